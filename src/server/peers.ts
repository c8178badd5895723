// Who shares a room with a client: the receivers of its NICK, QUIT, AWAY and account changes.
import type { Client } from './client.ts';
import type { Outgoing } from './outgoing.ts';

/** Every client in at least one room with `client` (each once), excluding `client` itself. */
export function peersOf(client: Client): Set<Client> {
  const out = new Set<Client>();
  for (const ch of client.channels) for (const m of ch.members.keys()) if (m !== client) out.add(m);
  return out;
}

/** Sends one line to every peer once (optionally only those with a capability) and, if asked, to the client. */
export function sendToPeers(client: Client, out: Outgoing, opts: { includeSelf?: boolean; cap?: string } = {}): void {
  for (const p of peersOf(client)) if (opts.cap === undefined || p.has(opts.cap)) p.send(out);
  if (opts.includeSelf && (opts.cap === undefined || client.has(opts.cap))) client.send(out);
}
