// A token bucket: holds up to `burst` tokens, refilled continuously at `rate` tokens per second.
// Time comes from an injectable clock (ms), so tests use a fake one and never sleep.
import { systemClock, type Clock } from './clock.ts';

export interface TokenBucketOptions {
  /** Tokens added per second (sustained rate). > 0. */
  rate: number;
  /** Bucket size: tokens available at once. >= 1. */
  burst: number;
  now?: Clock;
}

export class TokenBucket {
  readonly rate: number;
  readonly burst: number;
  private readonly now: Clock;
  private tokens: number;
  private last: number;

  constructor(opts: TokenBucketOptions) {
    if (!(opts.rate > 0) || !(opts.burst >= 1)) throw new RangeError(`TokenBucket needs rate > 0 and burst >= 1, got rate=${opts.rate} burst=${opts.burst}`);
    this.rate = opts.rate;
    this.burst = opts.burst;
    this.now = opts.now ?? systemClock;
    this.tokens = opts.burst; // a new client gets its whole burst (connect: CAP, NICK, USER, JOINs)
    this.last = this.now();
  }

  private refill(): void {
    const t = this.now();
    if (t > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
    }
    this.last = t; // a clock that goes backwards just refills nothing
  }

  /** Tokens available now (fractional). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /** Takes `cost` tokens if there are enough; true if taken. */
  tryTake(cost = 1): boolean {
    this.refill();
    if (this.tokens + 1e-9 >= cost) {
      this.tokens = Math.max(0, this.tokens - cost);
      return true;
    }
    return false;
  }

  /** Milliseconds until `cost` tokens will be available (0 = now). A cost above burst is never available: Infinity. */
  msUntil(cost = 1): number {
    if (cost > this.burst) return Infinity;
    this.refill();
    const missing = cost - this.tokens;
    return missing <= 1e-9 ? 0 : Math.ceil((missing / this.rate) * 1000);
  }
}
