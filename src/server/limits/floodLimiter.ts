// Per-client flood control, the "fakelag" model of IRC servers (ircu/hybrid, ergo irc/fakelag.go):
// a client may send `burst` lines at once, then `rate` lines per second. Lines beyond that are not
// dropped but held in a queue and processed later, in order, as tokens refill; a client that keeps
// flooding until more than `maxQueued` lines are held is disconnected with "Excess Flood".
//
// Pure: no timers. The engine drives it:
//   const r = limiter.submit(line);
//   if (r === 'run') handle(line);
//   else if (r === 'queued') scheduleDrain(limiter.nextDelayMs());   // timer -> for (l of limiter.drain()) handle(l)
//   else /* 'excess' */ closeLink('Excess Flood');
// Opers are exempt: skip the limiter for them (or call setExempt(true), which also releases the queue on the next drain()).
import type { Clock } from './clock.ts';
import { TokenBucket } from './tokenBucket.ts';

export interface FloodLimiterOptions {
  /** Sustained lines per second. */
  rate: number;
  /** Lines allowed at once. */
  burst: number;
  /** Lines held back before 'excess'. 0 = never delay, excess as soon as the bucket is empty. */
  maxQueued: number;
  now?: Clock;
}

export type FloodDecision =
  /** Process the line now. */
  | 'run'
  /** Held back: process it when drain() returns it (call after nextDelayMs()). */
  | 'queued'
  /** Too much: disconnect with ERROR :Closing Link (Excess Flood). The line was not queued. */
  | 'excess';

export class FloodLimiter<T = string> {
  private readonly bucket: TokenBucket;
  private readonly maxQueued: number;
  private readonly queue: { item: T; cost: number }[] = [];
  private exempt = false;

  constructor(opts: FloodLimiterOptions) {
    this.bucket = new TokenBucket({ rate: opts.rate, burst: opts.burst, now: opts.now });
    this.maxQueued = opts.maxQueued;
  }

  /** Exempt clients (server operators) always run; queued lines are released by the next drain(). */
  setExempt(exempt: boolean): void {
    this.exempt = exempt;
  }

  /**
   * Offers one incoming line. `cost` lets the engine charge some lines less (e.g. the lines inside
   * a draft/multiline batch) or more; a cost above `burst` is clamped to `burst`.
   * Keeps order: while anything is queued, new lines queue behind it.
   */
  submit(item: T, cost = 1): FloodDecision {
    const c = Math.min(cost, this.bucket.burst);
    if (this.exempt && this.queue.length === 0) return 'run';
    if (this.queue.length === 0 && this.bucket.tryTake(c)) return 'run';
    if (this.exempt) {
      this.queue.push({ item, cost: 0 });
      return 'queued';
    }
    if (this.queue.length >= this.maxQueued) return 'excess';
    this.queue.push({ item, cost: c });
    return 'queued';
  }

  /** Lines whose turn has come, in arrival order (tokens are taken for each). */
  drain(): T[] {
    const out: T[] = [];
    while (this.queue.length > 0) {
      const head = this.queue[0] as { item: T; cost: number };
      if (!this.exempt && !this.bucket.tryTake(head.cost)) break;
      this.queue.shift();
      out.push(head.item);
    }
    return out;
  }

  /** ms until drain() can return the next held line: 0 = now, Infinity = nothing held. */
  nextDelayMs(): number {
    const head = this.queue[0];
    if (!head) return Infinity;
    return this.exempt ? 0 : this.bucket.msUntil(head.cost);
  }

  /** Nothing held back and the bucket full again: a new limiter would behave the same. */
  atRest(): boolean {
    return this.queue.length === 0 && this.bucket.available() >= this.bucket.burst;
  }

  /** Lines currently held back. */
  queued(): number {
    return this.queue.length;
  }

  /** Drops held lines (e.g. when the connection closes). */
  clear(): void {
    this.queue.length = 0;
  }
}
