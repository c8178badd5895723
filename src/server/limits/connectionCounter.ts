// Connections per address and in all (--max-clients-per-ip, --max-clients). admit() at TCP accept
// (before a TLS handshake costs anything), remove() when that connection is gone: a count per
// address and nothing per connection (10,000 idle clients must stay small).
//
// The key of an address (ipKey):
//  - IPv4-mapped IPv6 addresses (::ffff:1.2.3.4, what a dual-stack socket reports) count as the
//    IPv4 address, so one host cannot double its allowance by switching address family;
//  - IPv6 addresses count per /64: one host usually holds a whole /64 (RFC 7421: SLAAC and
//    privacy addresses pick the low 64 bits), so per address it could open billions of "hosts".

/** Why admit() refused a connection. */
export type Refusal = 'per-ip' | 'total';

export function normalizeIp(ip: string): string {
  const lower = ip.toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice(7) : lower;
}

/** The 8 groups of an IPv6 address (without leading zeros), or null if it is not one. */
export function ipv6Groups(ip: string): string[] | null {
  const addr = ip.split('%')[0] as string; // fe80::1%eth0: the zone is not part of the address
  const halves = addr.split('::');
  if (halves.length > 2) return null;
  const parse = (s: string | undefined): string[] | null => {
    if (s === undefined || s === '') return [];
    const parts = s.split(':');
    const last = parts[parts.length - 1] as string;
    if (last.includes('.')) {
      // An IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) is the last two groups.
      const o = last.split('.').map((x) => (/^\d{1,3}$/.test(x) ? Number(x) : NaN));
      if (o.length !== 4 || o.some((x) => !(x <= 255))) return null;
      const [a, b, c, d] = o as [number, number, number, number];
      parts.splice(parts.length - 1, 1, ((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
    }
    return parts.every((p) => /^[0-9a-f]{1,4}$/i.test(p)) ? parts.map((p) => parseInt(p, 16).toString(16)) : null;
  };
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  if (head === null || tail === null) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const zeros = 8 - head.length - tail.length;
  if (zeros < 1) return null;
  return [...head, ...Array<string>(zeros).fill('0'), ...tail];
}

/** What an address counts as: the IPv4 address itself, or its IPv6 /64 network. */
export function ipKey(ip: string): string {
  const n = normalizeIp(ip);
  if (!n.includes(':')) return n;
  const groups = ipv6Groups(n);
  return groups === null ? n : `${groups.slice(0, 4).join(':')}::/64`;
}

export class ConnectionCounter {
  private readonly counts = new Map<string, number>();
  private readonly maxPerIp: number;
  private readonly maxTotal: number;
  private total = 0;

  constructor(maxPerIp: number, maxTotal = Infinity) {
    this.maxPerIp = maxPerIp;
    this.maxTotal = maxTotal;
  }

  /**
   * Counts a connection from `ip` if it is under both limits (null), else says which limit it hit:
   * refuse it. The caller gives the slot back with remove(ip), exactly once per admitted connection.
   */
  admit(ip: string): Refusal | null {
    if (this.total >= this.maxTotal) return 'total';
    const key = ipKey(ip);
    const n = this.counts.get(key) ?? 0;
    if (n >= this.maxPerIp) return 'per-ip';
    this.counts.set(key, n + 1);
    this.total++;
    return null;
  }

  /** Gives back a slot taken with admit(). */
  remove(ip: string): void {
    const key = ipKey(ip);
    const n = this.counts.get(key);
    if (n === undefined) return;
    this.total--;
    if (n <= 1) this.counts.delete(key);
    else this.counts.set(key, n - 1);
  }

  /** Connections counted for the address (its /64 for IPv6). */
  count(ip: string): number {
    return this.counts.get(ipKey(ip)) ?? 0;
  }

  /** Connections counted in all. */
  get connections(): number {
    return this.total;
  }

  /** Distinct addresses (IPv6 networks) currently connected. */
  size(): number {
    return this.counts.size;
  }
}
