// Backoff for failed logins (SASL, OPER, PASS), per key: an IP address or an account name.
// The first `free` failures cost nothing (typos, a client retrying a stale password); after that
// each failure doubles the wait before the key may try again, up to `maxMs`. A key that has been
// quiet for `forgetMs` starts over. While a key waits, attempts are refused without checking the
// password, so a guess made too early is never tested (and costs the server no hashing).
//
// Pure: the clock is injected (tests drive it, ./clock.ts). Bounded: at most `maxKeys` keys are
// kept; past that the least recently failed are forgotten first.
import { systemClock, type Clock } from './clock.ts';

export interface BackoffPolicy {
  /** Failures before any wait. */
  free: number;
  /** Wait after the first failure past `free`; doubles with each further failure. */
  baseMs: number;
  maxMs: number;
  /** A key with no failure for this long is forgotten. */
  forgetMs: number;
  /** Keys kept at most (memory bound under an attack from many addresses). */
  maxKeys?: number;
}

interface Entry {
  failures: number;
  last: number;
}

export class LoginBackoff {
  readonly #policy: BackoffPolicy;
  readonly #now: Clock;
  readonly #entries = new Map<string, Entry>();
  readonly #maxKeys: number;

  constructor(policy: BackoffPolicy, now: Clock = systemClock) {
    this.#policy = policy;
    this.#now = now;
    this.#maxKeys = policy.maxKeys ?? 100_000;
  }

  /** The wait after `failures` failures (0 while they are free). */
  delayFor(failures: number): number {
    const { free, baseMs, maxMs } = this.#policy;
    if (failures < free) return 0;
    return Math.min(maxMs, baseMs * 2 ** Math.min(failures - free, 30));
  }

  /** Milliseconds `key` must still wait before its next attempt is tested (0 = now). */
  waitMs(key: string): number {
    const e = this.#live(key);
    if (e === undefined) return 0;
    return Math.max(0, e.last + this.delayFor(e.failures) - this.#now());
  }

  /** Failures counted for `key` (0 once forgotten). */
  failures(key: string): number {
    return this.#live(key)?.failures ?? 0;
  }

  fail(key: string): void {
    const e = this.#live(key);
    this.#entries.delete(key); // re-inserted last: the Map's order is "least recently failed first"
    this.#entries.set(key, { failures: (e?.failures ?? 0) + 1, last: this.#now() });
    if (this.#entries.size > this.#maxKeys) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  /** Forgets `key`'s failures (a correct password for an account). */
  reset(key: string): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  #live(key: string): Entry | undefined {
    const e = this.#entries.get(key);
    if (e !== undefined && this.#now() - e.last >= this.#policy.forgetMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return e;
  }
}
