// Connections per IP address (--max-clients-per-ip). tryAdd() on accept, remove() on close: a
// count per address and nothing per connection (10,000 idle clients must stay small).
// IPv4-mapped IPv6 addresses (::ffff:1.2.3.4, what a dual-stack socket reports) count as the
// IPv4 address, so one host cannot double its allowance by switching address family.

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

  /**
   * Counts a connection from `ip` if it is under the limit (true), else false: refuse it
   * (ERROR :Too many connections from your IP). The caller gives the slot back with remove(ip),
   * exactly once per connection.
   */
  tryAdd(ip: string): boolean {
    const key = normalizeIp(ip);
    const n = this.counts.get(key) ?? 0;
    if (n >= this.max) return false;
    this.counts.set(key, n + 1);
    return true;
  }

  /** Gives back a slot taken with tryAdd(). */
  remove(ip: string): void {
    const key = normalizeIp(ip);
    const m = (this.counts.get(key) ?? 1) - 1;
    if (m <= 0) this.counts.delete(key);
    else this.counts.set(key, m);
  }

  count(ip: string): number {
    return this.counts.get(normalizeIp(ip)) ?? 0;
  }

  /** Distinct IPs currently connected. */
  size(): number {
    return this.counts.size;
  }
}
