// "Passwords never cross a network in clear without consent" (issue 11). When the server has a TLS
// port, a password sent on a plain connection from another machine (AUTHENTICATE, REGISTER, OPER,
// PASS) is refused and the client is told the TLS port; --allow-plaintext-passwords consents for a
// trusted LAN. Loopback stays allowed: those bytes never leave the machine.
import { BlockList, isIPv4, isIPv6 } from 'node:net';

const loopback6 = new BlockList();
loopback6.addAddress('::1', 'ipv6');
// IPv4-mapped 127.0.0.0/8 however it is spelled (::ffff:127.0.0.1, ::ffff:7f00:1).
loopback6.addSubnet('::ffff:7f00:0', 104, 'ipv6');

/** True for 127.0.0.0/8, ::1 and IPv4-mapped 127.x addresses, in any spelling. */
export function isLoopback(ip: string): boolean {
  const addr = ip.replace(/%.*$/, '').toLowerCase(); // zone index (fe80::1%eth0)
  if (isIPv4(addr)) return addr.startsWith('127.');
  if (!isIPv6(addr)) return false;
  return loopback6.check(addr, 'ipv6');
}

export interface PlainTextPolicy {
  /** The TLS port clients should use, or null when the server has none. */
  tlsPort: number | null;
  /** --allow-plaintext-passwords. */
  allowPlaintext: boolean;
}

/**
 * Whether a password may be accepted on this connection: always over TLS, from loopback, on a
 * server without TLS (nothing better to offer) or with --allow-plaintext-passwords.
 */
export function passwordMayCross(conn: { secure: boolean; ip: string }, policy: PlainTextPolicy): boolean {
  return conn.secure || policy.tlsPort === null || policy.allowPlaintext || isLoopback(conn.ip);
}

/** The text of the refusal: what to do instead. */
export function plaintextRefusalText(tlsPort: number): string {
  return `Passwords are not accepted on a plain-text connection from another machine: reconnect with TLS on port ${tlsPort}`;
}
