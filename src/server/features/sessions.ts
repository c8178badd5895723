// Which connections are logged in to which account. Several clients of one person (the editor, a
// phone, irssi) share an account: read markers are broadcast to all of them, and a DM to an
// account with no connection is kept for its return (offlineDelivery.ts).
import { casefold } from '../../protocol/casemap.ts';
import type { Client } from '../client.ts';
import type { ServerContext } from '../context.ts';

export class AccountSessions {
  readonly #byAccount = new Map<string, Set<Client>>();

  constructor(server: ServerContext) {
    // 'login' also fires during SASL before registration; such a client is added at 'registered'
    // (a quit is only reported for registered clients, so adding it earlier could leak).
    server.hooks.on('login', (c) => c.registered && this.#add(c));
    server.hooks.on('registered', (c) => this.#add(c));
    server.hooks.on('quit', (c) => this.#remove(c));
  }

  #add(c: Client): void {
    if (c.account === null) return;
    const key = casefold(c.account);
    let set = this.#byAccount.get(key);
    if (!set) this.#byAccount.set(key, (set = new Set()));
    set.add(c);
  }

  #remove(c: Client): void {
    if (c.account === null) return;
    const key = casefold(c.account);
    const set = this.#byAccount.get(key);
    if (!set) return;
    set.delete(c);
    if (set.size === 0) this.#byAccount.delete(key);
  }

  /** Registered, open connections logged in to `account`. */
  of(account: string): Client[] {
    const set = this.#byAccount.get(casefold(account));
    return set ? [...set].filter((c) => c.registered && !c.quitting) : [];
  }

  isOnline(account: string): boolean {
    return this.of(account).length > 0;
  }
}
