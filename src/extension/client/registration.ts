// Where one connection is in registration (https://modern.ircdocs.horse/#connection-registration):
// CAP negotiation, SASL, a before-connect REGISTER, nick retries, 001 and end of MOTD. One object,
// so the handlers that move it forward and the client that waits on it read the same flags.
import type { ClientError } from './errors.ts';

export class Registration {
  /** The nick we want; alternatives (nick_, nick__) are built from it. */
  readonly baseNick: string;
  /** A reconnect picks another nick on 433 rather than fail (our old self may linger). */
  readonly reconnecting: boolean;
  /** 001 arrived. */
  registered = false;
  /** Post-registration work (rejoin, MONITOR, WHO) done once, at end of MOTD. */
  welcomed = false;
  capEnded = false;
  saslInProgress = false;
  saslDone = false;
  /** REGISTER sent before CAP END and not yet answered. */
  preRegisterPending = false;
  /** Alternative nicks tried after 433 before registration. */
  nickTries = 0;
  /** Quietly trying to get baseNick back (a 433 then is expected, not news for the user). */
  regainingNick = false;
  /** Why the server is about to close the link (from ERROR / 465), reported instead of "closed". */
  closingError?: ClientError;
  readonly #waiters: Array<{ resolve: () => void; reject: (e: ClientError) => void }> = [];

  constructor(baseNick: string, reconnecting: boolean) {
    this.baseNick = baseNick;
    this.reconnecting = reconnecting;
  }

  /** Resolves at 001; rejects with the ClientError that ended registration. */
  whenRegistered(): Promise<void> {
    if (this.registered) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  markRegistered(): void {
    this.registered = true;
    this.capEnded = true;
    for (const w of this.#waiters.splice(0)) w.resolve();
  }

  /** Registration ended without 001 (or the link closed): whoever waits learns why. */
  reject(err: ClientError): void {
    for (const w of this.#waiters.splice(0)) w.reject(this.closingError ?? err);
  }
}
