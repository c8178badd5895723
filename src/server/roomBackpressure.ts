// Backpressure from a room's members to its senders.
//
// A message to a room is one line queued for every member. When the readers fall behind (a room
// talking flat out, members on slow links), the kernel's socket buffers fill and the lines pile up
// in our memory, up to each member's sendq: 1,000 members × 1 MiB. Instead, when most of a room's
// members are behind, the server stops reading whoever sends to it (TCP then pushes back on the
// sender, whose lines wait in its own socket buffers: nothing is dropped) and reads it again once
// most members have caught up.
//
// A member that stays behind for STUCK_MS no longer counts: a client that never reads, or reads
// slower than the room talks, must not hold the room forever. It is left to its sendq, which
// disconnects it as before, and the room goes on.
import type { Channel } from './channel.ts';
import type { Client } from './client.ts';
import type { ServerContext } from './context.ts';
import { holdReading } from './dispatch.ts';
import type { Outgoing } from './outgoing.ts';

/** Output a member has not taken (beyond the kernel's buffers) before it counts as behind. */
const BEHIND_BYTES = 32 * 1024;
/** A member behind for this long is left to its sendq and no longer holds the room. */
const STUCK_MS = 3000;
/** How often a held room counts its members again. */
const RECHECK_MS = 10;
/** A room's holds are logged at most this often (a room talking flat out may hold every few ms). */
const LOG_EVERY_MS = 60_000;

interface Pressure {
  /** Senders not read because of this room. */
  readonly held: Set<Client>;
  readonly timer: NodeJS.Timeout;
}

const pressured = new Map<Channel, Pressure>();
/** How many rooms hold each held sender (one may send to several). */
const holds = new WeakMap<Client, number>();
/** When each room's hold was last logged (ms). */
const logged = new WeakMap<Channel, number>();

/** Relays `out` to every member but the sender, and holds the sender when most of them are behind. */
export function relayToRoom(server: ServerContext, sender: Client, room: Channel, out: Outgoing): void {
  const threshold = behindBytes(server);
  const now = Date.now();
  let receivers = 0;
  let behind = 0;
  for (const m of room.members.keys()) {
    if (m === sender) continue;
    m.send(out);
    receivers++;
    if (m.conn.lagging(threshold, STUCK_MS, now)) behind++;
  }
  if (2 * behind > receivers) holdSender(server, sender, room);
}

function behindBytes(server: ServerContext): number {
  // A small --sendq disconnects members before they would count as behind: then no backpressure.
  return Math.min(BEHIND_BYTES, server.config.limits.sendqBytes / 4);
}

function holdSender(server: ServerContext, sender: Client, room: Channel): void {
  let p = pressured.get(room);
  if (p === undefined) {
    p = { held: new Set(), timer: setInterval(() => recheck(server, room), RECHECK_MS) };
    p.timer.unref();
    pressured.set(room, p);
    const now = Date.now();
    if (now - (logged.get(room) ?? -LOG_EVERY_MS) >= LOG_EVERY_MS) {
      logged.set(room, now);
      server.log.info(`${room.name}: most members are behind on their output; not reading ${sender.nick} until they catch up`);
    }
  }
  if (p.held.has(sender)) return;
  p.held.add(sender);
  const n = holds.get(sender) ?? 0;
  holds.set(sender, n + 1);
  if (n === 0) holdReading(server, sender, 'room', true);
}

/** Releases the room's senders once at most a quarter of its members are behind (or it emptied). */
function recheck(server: ServerContext, room: Channel): void {
  const threshold = behindBytes(server);
  const now = Date.now();
  let behind = 0;
  for (const m of room.members.keys()) if (m.conn.lagging(threshold, STUCK_MS, now)) behind++;
  if (4 * behind > room.members.size) return;
  const p = pressured.get(room)!;
  clearInterval(p.timer);
  pressured.delete(room);
  for (const sender of p.held) {
    const n = (holds.get(sender) ?? 1) - 1;
    if (n > 0) holds.set(sender, n);
    else {
      holds.delete(sender);
      holdReading(server, sender, 'room', false);
    }
  }
}
