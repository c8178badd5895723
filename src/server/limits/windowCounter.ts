// Events per key within a sliding window (accounts registered per IP per hour). Keeps at most
// `max` timestamps per key, and at most `maxKeys` keys (oldest dropped first).
import { systemClock, type Clock } from './clock.ts';

export class WindowCounter {
  readonly #windowMs: number;
  readonly #max: number;
  readonly #maxKeys: number;
  readonly #now: Clock;
  readonly #times = new Map<string, number[]>();

  constructor(opts: { windowMs: number; max: number; maxKeys?: number; now?: Clock }) {
    this.#windowMs = opts.windowMs;
    this.#max = opts.max;
    this.#maxKeys = opts.maxKeys ?? 100_000;
    this.#now = opts.now ?? systemClock;
  }

  /** Milliseconds until `key` may have one more event (0 = now). */
  waitMs(key: string): number {
    const t = this.#recent(key);
    if (t.length < this.#max) return 0;
    return Math.max(0, t[0]! + this.#windowMs - this.#now());
  }

  add(key: string): void {
    const t = this.#recent(key);
    t.push(this.#now());
    if (t.length > this.#max) t.shift();
    this.#times.delete(key);
    this.#times.set(key, t);
    if (this.#times.size > this.#maxKeys) {
      const oldest = this.#times.keys().next().value;
      if (oldest !== undefined) this.#times.delete(oldest);
    }
  }

  #recent(key: string): number[] {
    const t = this.#times.get(key) ?? [];
    const cutoff = this.#now() - this.#windowMs;
    while (t.length > 0 && t[0]! <= cutoff) t.shift();
    if (t.length === 0) this.#times.delete(key);
    return t;
  }
}
