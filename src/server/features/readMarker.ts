// draft/read-marker (https://ircv3.net/specs/extensions/read-marker): MARKREAD <target> [timestamp=...].
// The marker is per account (per connection without one) and per target (a room, or the peer of a DM), stored, and only moves
// forward. Get: `MARKREAD <target>` -> `MARKREAD <target> timestamp=...|*`. Set: the stored value is
// sent back to the sender and, when it moved, to the account's other connections with the
// capability. After a JOIN, a client with the capability gets the room's marker before
// RPL_ENDOFNAMES, as the spec requires. Markers are never shown to other users.
// A client without an account keeps its markers for that connection only, in memory (at most
// GUEST_MARKERS targets, the oldest-set forgotten first); they go with the connection.
// A marker is stored only for a target whose history the account may read (issue 11: nothing grows
// without bound): a room it may read (chathistory.ts), or a conversation it has; else FAIL
// MARKREAD INVALID_PARAMS, and nothing is stored.
import { CAP } from '../../protocol/caps.ts';
import { casefold } from '../../protocol/casemap.ts';
import type { Client } from '../client.ts';
import type { CommandContext, ServerContext } from '../context.ts';
import { serverTime } from '../msgtags.ts';
import { Outgoing } from '../outgoing.ts';
import { parseHistoryPoint } from '../storage/index.ts';
import { resolveTarget } from './chathistory.ts';
import type { AccountSessions } from './sessions.ts';

const MAX_TARGET_LENGTH = 64;
const TARGET = /^[^\s,*?!@:][^\s,*?!@]*$/;
/** Markers kept per connection without an account. */
const GUEST_MARKERS = 1000;
/** Markers of connections without an account: casefolded target -> ms. */
const guestMarkers = new WeakMap<Client, Map<string, number>>();

export function installReadMarkers(server: ServerContext, sessions: AccountSessions): void {
  server.caps.register({ name: CAP.readMarker });
  server.commands.add('MARKREAD', { handler: (ctx) => markreadHandler(ctx, sessions), minParams: 0 });
  server.hooks.on('joinReply', (client, channel, reply) => {
    if (!client.has(CAP.readMarker)) return;
    reply.send(markreadLine(server, client, channel.name, read(server, client, channel.name)));
  });
}

function read(server: ServerContext, client: Client, target: string): number | null {
  const account = client.account;
  if (account === null) return guestMarkers.get(client)?.get(casefold(target)) ?? null;
  try {
    return server.store.readMarkers.get(account, target);
  } catch (err) {
    server.log.error(`reading the read marker of ${account} for ${target} failed`, err);
    return null;
  }
}

/** Whether `client` may keep a marker for `target`: a room whose history it may read, or a DM conversation it has. */
function markable(server: ServerContext, client: Client, target: string): boolean {
  const where = resolveTarget(server, client, target);
  if (where === null || where.key === null) return false;
  if (where.party === undefined) return true; // a room
  try {
    return server.store.history.newestTime(where.key) !== null;
  } catch (err) {
    server.log.error(`reading the conversation of ${client.nick} with ${target} failed`, err);
    return false;
  }
}

function markreadLine(server: ServerContext, _to: Client, target: string, time: number | null): Outgoing {
  return new Outgoing({ tags: {}, source: server.name, command: 'MARKREAD', params: [target, time === null ? '*' : `timestamp=${serverTime(time)}`] });
}

function markreadHandler(ctx: CommandContext, sessions: AccountSessions): void {
  const { server, client, msg, reply } = ctx;
  const target = msg.params[0];
  if (target === undefined || target === '') return reply.fail('MARKREAD', 'NEED_MORE_PARAMS', 'Missing parameters');
  if (target.length > MAX_TARGET_LENGTH || !TARGET.test(target)) return reply.fail('MARKREAD', 'INVALID_PARAMS', 'Invalid target', target);
  const param = msg.params[1];
  if (param === undefined) return reply.send(markreadLine(server, client, target, read(server, client, target)));
  const point = parseHistoryPoint(param);
  if (point === null || point === 'invalid' || !('time' in point)) {
    return reply.fail('MARKREAD', 'INVALID_PARAMS', 'The marker must be timestamp=YYYY-MM-DDThh:mm:ss.sssZ', param);
  }
  if (!markable(server, client, target)) return reply.fail('MARKREAD', 'INVALID_PARAMS', 'No such room or conversation, or no access to its history', target);
  // The spec: a marker names a message the user has seen, so never one in the future.
  const wanted = Math.min(point.time, Date.now());
  const account = client.account;
  if (account === null) return reply.send(markreadLine(server, client, target, setGuest(client, target, wanted)));
  const before = read(server, client, target);
  let stored: number;
  try {
    stored = server.store.readMarkers.set(account, target, wanted);
  } catch (err) {
    server.log.error(`saving the read marker of ${account} for ${target} failed`, err);
    return reply.fail('MARKREAD', 'INTERNAL_ERROR', 'The read timestamp could not be set', target);
  }
  const out = markreadLine(server, client, target, stored);
  reply.send(out);
  if (stored === before) return;
  for (const other of sessions.of(account)) if (other !== client && other.has(CAP.readMarker)) other.send(out);
}

/** Sets a marker kept for this connection only (no account); returns the stored (never older) one. */
function setGuest(client: Client, target: string, time: number): number {
  let markers = guestMarkers.get(client);
  if (markers === undefined) guestMarkers.set(client, (markers = new Map()));
  const key = casefold(target);
  const stored = Math.max(markers.get(key) ?? time, time);
  markers.delete(key); // re-insert: the newest last
  markers.set(key, stored);
  if (markers.size > GUEST_MARKERS) markers.delete(markers.keys().next().value!);
  return stored;
}
