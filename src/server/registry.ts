// Who and what exists right now: clients by casefolded nick, rooms by casefolded name.
// CASEMAPPING=rfc1459 (src/protocol/casemap.ts): `Nick[]` and `nick{}` are the same nick.
import { casefold } from '../protocol/casemap.ts';
import { Channel } from './channel.ts';
import type { Client } from './client.ts';

export class Registry {
  /** Every connection, registered or not. */
  readonly clients = new Set<Client>();
  readonly #byNick = new Map<string, Client>();
  readonly #channels = new Map<string, Channel>();

  fold(name: string): string {
    return casefold(name);
  }

  addClient(c: Client): void {
    this.clients.add(c);
  }

  removeClient(c: Client): void {
    if (!this.clients.delete(c)) return;
    if (c.nick !== '*' && this.#byNick.get(casefold(c.nick)) === c) this.#byNick.delete(casefold(c.nick));
  }

  findNick(nick: string): Client | undefined {
    return this.#byNick.get(casefold(nick));
  }

  /** Claims `nick` for `c` (releasing its old one). The caller checked it is free. */
  setNick(c: Client, nick: string): void {
    if (c.nick !== '*' && this.#byNick.get(casefold(c.nick)) === c) this.#byNick.delete(casefold(c.nick));
    c.nick = nick;
    this.#byNick.set(casefold(nick), c);
  }

  /** Gives up the client's nick (it goes back to '*', e.g. when registration refused it). */
  releaseNick(c: Client): void {
    if (c.nick !== '*' && this.#byNick.get(casefold(c.nick)) === c) this.#byNick.delete(casefold(c.nick));
    c.nick = '*';
  }

  get registeredCount(): number {
    let n = 0;
    for (const c of this.clients) if (c.registered) n++;
    return n;
  }

  findChannel(name: string): Channel | undefined {
    return this.#channels.get(casefold(name));
  }

  /** Returns the room, creating an empty one when missing (`created` tells which). */
  getOrCreateChannel(name: string): { channel: Channel; created: boolean } {
    const folded = casefold(name);
    const existing = this.#channels.get(folded);
    if (existing) return { channel: existing, created: false };
    const channel = new Channel(name, folded);
    this.#channels.set(folded, channel);
    return { channel, created: true };
  }

  /** Forgets an empty unregistered room (registered rooms stay, with their topic and modes). */
  dropIfEmpty(ch: Channel): void {
    if (ch.members.size === 0 && !ch.registered) this.#channels.delete(ch.folded);
  }

  get channels(): IterableIterator<Channel> {
    return this.#channels.values();
  }
}
