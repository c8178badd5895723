// Whether a host name or address stays on this machine. Decides where Chat: Host needs TLS and where
// a password may go in clear without asking: 127.0.0.0/8, ::1 (and its IPv4-mapped forms), localhost.
import { isIP } from 'node:net';

export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  // RFC 6761 6.3: localhost and its subdomains resolve to loopback.
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) !== 6) return false;
  const mapped = /^[0:]*:ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h); // ::ffff:127.0.0.1
  if (mapped) return mapped[1]!.startsWith('127.');
  return expandIpv6(h) === '0000:0000:0000:0000:0000:0000:0000:0001';
}

/** Eight 4-digit groups (an IPv4 tail is not expected here: handled above). */
function expandIpv6(ip: string): string {
  const [head = '', tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return groups.map((g) => g.padStart(4, '0')).join(':');
}
