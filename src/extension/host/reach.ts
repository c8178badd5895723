// Who can reach a server Chat: Host runs on a non-loopback address, said once when it starts, with
// the fingerprint to share; and the names its certificate is made for. Pure: the caller passes
// os.hostname() and os.networkInterfaces(). Everything shown is ours (settings, this machine).
import type { NetworkInterfaceInfo } from 'node:os';
import { isIP } from 'node:net';

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

const unbracket = (host: string) => host.trim().replace(/^\[(.*)\]$/, '$1');

/** Addresses teammates can use: this machine's own for a wildcard listen address, else that address. */
export function reachableAddresses(listenHost: string, interfaces: Interfaces): string[] {
  const host = unbracket(listenHost);
  const wildcardV4 = host === '0.0.0.0' || host === '';
  const wildcardV6 = host === '::';
  if (!wildcardV4 && !wildcardV6) return [host];
  const out: string[] = [];
  for (const infos of Object.values(interfaces)) {
    for (const i of infos ?? []) {
      if (i.internal) continue;
      // Link-local IPv6 needs a zone to be dialled: not an address to hand out.
      if (i.family === 'IPv6' && (!wildcardV6 || /^fe80:/i.test(i.address))) continue;
      out.push(i.address);
    }
  }
  return [...new Set(out)];
}

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** subjectAltName entries: the listen name or the host name first (the common name), loopback, this machine's addresses. */
export function certificateNames(listenHost: string, hostname: string, interfaces: Interfaces): string[] {
  const host = unbracket(listenHost);
  const named = isIP(host) === 0 && DNS_NAME.test(host) ? [host] : [];
  const machine = DNS_NAME.test(hostname) ? [hostname] : [];
  return [...new Set([...named, ...machine, 'localhost', '127.0.0.1', '::1', ...reachableAddresses(listenHost, interfaces).filter((a) => a !== '::' && a !== '0.0.0.0')])];
}

export interface ReachInfo {
  readonly listenHost: string;
  readonly port: number;
  readonly tlsPort: number;
  readonly fingerprint256: string;
  /** From reachableAddresses(). */
  readonly addresses: readonly string[];
}

/** The notification Chat: Host shows once per start on a non-loopback address. */
export function reachMessage(r: ReachInfo): string {
  const where = r.addresses.length > 0 ? r.addresses.join(', ') : 'this machine';
  const host = r.addresses[0] ?? 'this machine’s address';
  return (
    `Chat: your chat server is open to your network on ${r.listenHost}: anyone who can reach ${where} can connect, ` +
    `with TLS on port ${r.tlsPort} (and without on port ${r.port}). ` +
    `Teammates set chatroom.host to ${host}, chatroom.port to ${r.tlsPort}, chatroom.tls to true and chatroom.tlsFingerprint to ${r.fingerprint256} (SHA-256 of this server's certificate).`
  );
}
