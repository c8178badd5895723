// Connections per IP address (--max-clients-per-ip). acquire() on accept, release() on close.
// IPv4-mapped IPv6 addresses (::ffff:1.2.3.4, what a dual-stack socket reports) count as the
// IPv4 address, so one host cannot double its allowance by switching address family.

export interface ConnectionLease {
  readonly ip: string;
  /** Gives the slot back; calling it twice is harmless. */
  release(): void;
}

export function normalizeIp(ip: string): string {
  const lower = ip.toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice(7) : lower;
}

export class ConnectionCounter {
  private readonly counts = new Map<string, number>();
  private readonly max: number;

  constructor(maxPerIp: number) {
    this.max = maxPerIp;
  }

  /** A lease if `ip` is under the limit (the connection then counts), else null: refuse it (ERROR :Too many connections from your IP). */
  acquire(ip: string): ConnectionLease | null {
    const key = normalizeIp(ip);
    const n = this.counts.get(key) ?? 0;
    if (n >= this.max) return null;
    this.counts.set(key, n + 1);
    let released = false;
    return {
      ip: key,
      release: () => {
        if (released) return;
        released = true;
        const m = (this.counts.get(key) ?? 1) - 1;
        if (m <= 0) this.counts.delete(key);
        else this.counts.set(key, m);
      },
    };
  }

  count(ip: string): number {
    return this.counts.get(normalizeIp(ip)) ?? 0;
  }

  /** Distinct IPs currently connected. */
  size(): number {
    return this.counts.size;
  }
}
