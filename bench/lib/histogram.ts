// Latency histogram in microseconds: log-linear buckets (128 per power of two, < 1% error),
// so a million samples cost a few KB instead of a million-entry array.

const SUB_BITS = 7;
const SUB = 1 << SUB_BITS;
const BUCKETS = SUB * 40;

export type Percentiles = {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
};

export class Histogram {
  counts = new Float64Array(BUCKETS);
  count = 0;
  sum = 0;
  max = 0;

  record(us: number): void {
    const v = us < 0 ? 0 : Math.floor(us);
    this.count++;
    this.sum += v;
    if (v > this.max) this.max = v;
    this.counts[bucketOf(v)]!++;
  }

  /** Adds `n` samples of the same value (one chunk of deliveries read at one instant). */
  recordN(us: number, n: number): void {
    const v = us < 0 ? 0 : Math.floor(us);
    this.count += n;
    this.sum += v * n;
    if (v > this.max) this.max = v;
    this.counts[bucketOf(v)]! += n;
  }

  merge(other: Histogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i]!;
    this.count += other.count;
    this.sum += other.sum;
    if (other.max > this.max) this.max = other.max;
  }

  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(valueOf(i), this.max);
    }
    return this.max;
  }

  /** Percentiles in milliseconds, rounded to microseconds. */
  summaryMs(): Percentiles {
    const ms = (us: number): number => Math.round(us) / 1000;
    return {
      count: this.count,
      p50: ms(this.percentile(50)),
      p90: ms(this.percentile(90)),
      p99: ms(this.percentile(99)),
      p999: ms(this.percentile(99.9)),
      max: ms(this.max),
      mean: this.count ? Math.round(this.sum / this.count) / 1000 : 0,
    };
  }
}

function bucketOf(v: number): number {
  if (v < SUB) return v;
  const e = v < 2 ** 31 ? 31 - Math.clz32(v) : Math.floor(Math.log2(v));
  const shift = e - SUB_BITS;
  const idx = shift * SUB + Math.floor(v / 2 ** shift);
  // Values past the last bucket (days) share it.
  return idx < BUCKETS ? idx : BUCKETS - 1;
}

function valueOf(bucket: number): number {
  if (bucket < SUB) return bucket;
  const shift = Math.floor(bucket / SUB) - 1;
  const mant = bucket - shift * SUB;
  // Upper edge of the bucket: a conservative percentile.
  return (mant + 1) * 2 ** shift - 1;
}
