// Slowing down password guessing (issue 11, "Guessing is slow"), in one object the login commands
// (SASL, OPER, PASS, REGISTER) share:
//
// - Backoff per address and per account (../limits/loginBackoff.ts): a few failures are free, then
//   every failure doubles the wait before the next attempt is even tested; attempts made too early
//   are refused (no hashing) and count as failures of the connection. Each such answer, and the
//   answer to a wrong password that starts a wait, is held back by that wait (at most
//   MAX_ANSWER_DELAY_MS): a guesser's connections each get one answer per second or two instead
//   of thousands, and a user's typo within the free failures is answered at once.
// - A connection that fails MAX_FAILURES_PER_CONNECTION times is disconnected.
// - Password hashing (scrypt, ~50 ms of a libuv thread) runs through a FairQueue: a few jobs at once
//   server-wide, one at a time per address plus a short wait list, so a burst from one address
//   cannot fill the thread pool and other users' logins start at once.
// - REGISTER: attempts per address per minute, and accounts per address per hour (--max-accounts-per-ip).
//
// Addresses are keyed per IPv4 address and per IPv6 /64 (one host usually holds a whole /64).
// A successful login resets its account's backoff but never its address's: otherwise an attacker
// with an account of their own could wipe their address's record between guesses.
import type { Client } from '../client.ts';
import type { ServerConfig } from '../config/types.ts';
import { FairQueue, ipKey, LoginBackoff, WindowCounter, type BackoffPolicy, type Clock } from '../limits/index.ts';
import { passwordMayCross, plaintextRefusalText } from './plaintext.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Per address: five typos are free, then 1 s, 2 s, 4 s ... up to 5 min between guesses. */
export const ADDRESS_BACKOFF: BackoffPolicy = { free: 5, baseMs: 1000, maxMs: 5 * MINUTE, forgetMs: HOUR };
/**
 * Per account (from any address): the same start, capped at 1 min, so a guesser spread over many
 * addresses is slowed too, while someone failing on purpose cannot lock the owner out for long.
 */
export const ACCOUNT_BACKOFF: BackoffPolicy = { free: 5, baseMs: 1000, maxMs: MINUTE, forgetMs: HOUR };
export const MAX_FAILURES_PER_CONNECTION = 3;
/** The longest a refusal or failure answer is held back (a person is still told in time). */
export const MAX_ANSWER_DELAY_MS = 2000;
const TIMER_SLACK_MS = 20;
/** How long "too many logins in progress" is held back. */
const BUSY_DELAY_MS = 1000;
/**
 * Hashing jobs at once: libuv's pool has 4 threads by default and file I/O and the DNS resolver
 * share it, so two at most; one per address, two more waiting per address.
 */
export const HASH_CONCURRENCY = 2;
export const HASH_WAITING_PER_ADDRESS = 2;
/** REGISTER attempts per address per minute (each may cost a hash). */
export const REGISTER_ATTEMPTS_PER_MINUTE = 10;

/** A refused or failed attempt: what to answer, when, and whether to drop the connection then. */
export interface Refusal {
  text: string;
  /** Hold the answer back this long first. */
  delayMs: number;
  /** The connection has failed too often: disconnect after answering. */
  disconnect: boolean;
}

/** Waits before a refusal is answered (Refusal.delayMs). */
export function holdBack(r: Refusal): Promise<void> {
  return r.delayMs > 0 ? new Promise((resolve) => setTimeout(resolve, r.delayMs)) : Promise.resolve();
}

export class AuthGuard {
  /** The TLS port clients are sent to (the bound one, set once listening), or null without TLS. */
  tlsPort: number | null = null;
  readonly #config: ServerConfig;
  readonly #byAddress: LoginBackoff;
  readonly #byAccount: LoginBackoff;
  readonly #hashing = new FairQueue({ concurrency: HASH_CONCURRENCY, perKey: 1, maxWaiting: HASH_WAITING_PER_ADDRESS });
  readonly #registerAttempts: WindowCounter;
  readonly #accountsMade: WindowCounter;
  /** Failed attempts per connection (a WeakMap: nothing on the 10,000 clients that never log in). */
  readonly #connFailures = new WeakMap<Client, number>();

  constructor(config: ServerConfig, now?: Clock) {
    this.#config = config;
    this.#byAddress = new LoginBackoff(ADDRESS_BACKOFF, now);
    this.#byAccount = new LoginBackoff(ACCOUNT_BACKOFF, now);
    this.#registerAttempts = new WindowCounter({ windowMs: MINUTE, max: REGISTER_ATTEMPTS_PER_MINUTE, now });
    this.#accountsMade = new WindowCounter({ windowMs: HOUR, max: config.maxAccountsPerIp, now });
  }

  /** The refusal text when this connection must not carry a password (plain text, another machine), else null. */
  plaintextRefusal(client: Client): string | null {
    const policy = { tlsPort: this.tlsPort, allowPlaintext: this.#config.allowPlaintextPasswords };
    if (passwordMayCross(client.conn, policy)) return null;
    return plaintextRefusalText(this.tlsPort!);
  }

  /** A refusal when the client's address (or `account`, folded) must still wait; null: test the password. */
  mustWait(client: Client, account?: string): Refusal | null {
    const byAddress = this.#byAddress.waitMs(ipKey(client.conn.ip));
    const byAccount = account === undefined ? 0 : this.#byAccount.waitMs(`account:${account}`);
    const wait = Math.max(byAddress, byAccount);
    // A client that waited out a held-back answer may be a timer's tick early: that is not early.
    if (wait <= TIMER_SLACK_MS) return null;
    const who = byAddress > 0 ? 'from your address' : 'for this account';
    const disconnect = this.#countFailure(client);
    return { text: `Too many failed logins ${who}: try again in ${Math.ceil(wait / 1000)} s`, delayMs: Math.min(wait, MAX_ANSWER_DELAY_MS), disconnect };
  }

  /** Records a wrong password; the answer (`text`) waits for the backoff it starts. */
  failed(client: Client, text: string, account?: string): Refusal {
    const ip = ipKey(client.conn.ip);
    this.#byAddress.fail(ip);
    let wait = this.#byAddress.waitMs(ip);
    if (account !== undefined) {
      this.#byAccount.fail(`account:${account}`);
      wait = Math.max(wait, this.#byAccount.waitMs(`account:${account}`));
    }
    return { text, delayMs: Math.min(wait, MAX_ANSWER_DELAY_MS), disconnect: this.#countFailure(client) };
  }

  succeeded(account: string): void {
    this.#byAccount.reset(`account:${account}`);
  }

  /**
   * Runs a hashing job in the client's address's turn. When that address already has too many
   * queued: the refusal instead (it counts as a failure of the connection: a client hammering us).
   */
  hash<T>(client: Client, job: () => Promise<T>): { result: Promise<T> } | Refusal {
    const result = this.#hashing.run(ipKey(client.conn.ip), job);
    if (result !== null) return { result };
    return { text: 'Too many logins in progress from your address: try again', delayMs: BUSY_DELAY_MS, disconnect: this.#countFailure(client) };
  }

  /** Why this client may not REGISTER now, or null. Counts the attempt. */
  registerRefusal(client: Client): string | null {
    const key = ipKey(client.conn.ip);
    const made = this.#accountsMade.waitMs(key);
    if (made > 0) {
      return `At most ${this.#config.maxAccountsPerIp} accounts may be registered from one address per hour: try again in ${Math.ceil(made / MINUTE)} min`;
    }
    const wait = this.#registerAttempts.waitMs(key);
    if (wait > 0) return `Too many registration attempts from your address: try again in ${Math.ceil(wait / 1000)} s`;
    this.#registerAttempts.add(key);
    return null;
  }

  accountRegistered(client: Client): void {
    this.#accountsMade.add(ipKey(client.conn.ip));
  }

  #countFailure(client: Client): boolean {
    const n = (this.#connFailures.get(client) ?? 0) + 1;
    this.#connFailures.set(client, n);
    return n >= MAX_FAILURES_PER_CONNECTION;
  }
}
