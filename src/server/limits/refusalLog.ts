// Refused connections (--max-clients-per-ip, --max-clients) told to the operator, without letting a
// flood of them become a flood of log lines: the first refusal after a quiet minute is logged at
// once, with its address and reason; those that follow are counted and summed up once a minute
// for as long as they go on.
import type { Refusal } from './connectionCounter.ts';

const PERIOD_MS = 60_000;

/** Runs `fn` after `ms` (without keeping the process alive); returns a cancel function. */
export type Schedule = (fn: () => void, ms: number) => () => void;

const unrefTimer: Schedule = (fn, ms) => {
  const t = setTimeout(fn, ms);
  t.unref();
  return () => clearTimeout(t);
};

export class RefusalLog {
  readonly #write: (line: string) => void;
  readonly #periodMs: number;
  readonly #schedule: Schedule;
  readonly #counts = new Map<Refusal, { n: number; last: string }>();
  #cancel: (() => void) | undefined;

  constructor(write: (line: string) => void, opts: { periodMs?: number; schedule?: Schedule } = {}) {
    this.#write = write;
    this.#periodMs = opts.periodMs ?? PERIOD_MS;
    this.#schedule = opts.schedule ?? unrefTimer;
  }

  refused(refusal: Refusal, ip: string, why: string): void {
    if (this.#cancel === undefined) {
      this.#write(`refused a connection from ${ip}: ${why}`);
      this.#arm();
      return;
    }
    const c = this.#counts.get(refusal);
    if (c) {
      c.n++;
      c.last = ip;
    } else this.#counts.set(refusal, { n: 1, last: ip });
  }

  dispose(): void {
    this.#cancel?.();
    this.#cancel = undefined;
  }

  #arm(): void {
    this.#cancel = this.#schedule(() => this.#flush(), this.#periodMs);
  }

  #flush(): void {
    if (this.#counts.size === 0) {
      this.#cancel = undefined; // a quiet period: the next refusal is logged at once again
      return;
    }
    const parts = [...this.#counts].map(([r, c]) => `${c.n} ${r === 'per-ip' ? 'over the per-address limit' : 'with the server full'} (the last from ${c.last})`);
    const total = [...this.#counts.values()].reduce((sum, c) => sum + c.n, 0);
    this.#write(`refused ${total} more connection(s) in the last ${Math.round(this.#periodMs / 1000)} s: ${parts.join(', ')}`);
    this.#counts.clear();
    this.#arm();
  }
}
