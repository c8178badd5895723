// Registered rooms: a room created by a logged-in user is registered to that account (its founder).
// Topic, modes, key, limit, bans and per-account roles are written to storage on every change and
// loaded at start-up, so they survive a restart and an op who rejoins gets +o back.
import type { Channel, FlagMode } from './channel.ts';
import type { Client } from './client.ts';
import type { ServerContext } from './context.ts';

/** Loads every registered room into the registry (empty, waiting for members). */
export function loadRegisteredRooms(server: ServerContext): number {
  const records = server.store.channels.listChannels();
  for (const rec of records) {
    const { channel: ch } = server.registry.getOrCreateChannel(rec.displayName);
    ch.founder = rec.founder;
    ch.createdAt = Math.floor(rec.createdAt / 1000);
    // Its life began at registration: earlier lives of the name (unregistered) stay unserved.
    ch.historyFrom = rec.createdAt;
    ch.topic = rec.topic ?? '';
    ch.topicSetBy = rec.topicSetBy ?? '';
    ch.topicSetAt = rec.topicTime !== null ? Math.floor(rec.topicTime / 1000) : 0;
    ch.flags.clear();
    for (const m of rec.modes) if ('imnst'.includes(m)) ch.flags.add(m as FlagMode);
    ch.key = rec.key;
    ch.limit = rec.limit;
    ch.bans = server.store.channels.listBans(rec.name).map((b) => ({ mask: b.mask, setBy: b.setBy, setAt: Math.floor(b.time / 1000) }));
    for (const { account, role } of server.store.channels.listRoles(rec.name)) {
      (role === 'op' ? ch.opAccounts : ch.voiceAccounts).add(account);
    }
  }
  return records.length;
}

/**
 * Starts a new room's life: its history is served from now on (issue 11: a room that emptied, or a
 * restart, must not hand what was said to whoever creates it next). After the newest message
 * stored under its name, even with a clock stepped back, and strictly after the last time any
 * room was dropped: a message to the old room may still be committing, stamped no later than that.
 */
export function startLife(server: ServerContext, ch: Channel): void {
  let newest: number | null = null;
  try {
    newest = server.store.history.newestTime(ch.folded);
  } catch (err) {
    server.log.error(`reading the history of ${ch.name} failed`, err);
  }
  ch.historyFrom = Math.max(Date.now(), server.registry.lastDropAt + 1, newest === null ? 0 : newest + 1);
}

/**
 * Rooms registered to `account` (casefolded), counted over the registry, where every registered
 * room lives from start-up on. Only when a logged-in user creates a room: never per message.
 */
export function registeredRoomCount(server: ServerContext, account: string): number {
  let n = 0;
  for (const ch of server.registry.channels) if (ch.founder === account) n++;
  return n;
}

/** Registers a new room to its logged-in creator. */
export function registerRoom(server: ServerContext, ch: Channel, founder: Client): void {
  if (founder.account === null) return;
  ch.founder = server.registry.fold(founder.account);
  saveRoom(server, ch);
}

/** Writes the room's topic and modes (no-op for unregistered rooms). Storage errors are logged, not fatal. */
export function saveRoom(server: ServerContext, ch: Channel): void {
  if (ch.founder === null) return;
  try {
    server.store.channels.saveChannel({
      name: ch.name,
      displayName: ch.name,
      founder: ch.founder,
      topic: ch.topic === '' ? null : ch.topic,
      topicSetBy: ch.topicSetBy === '' ? null : ch.topicSetBy,
      topicTime: ch.topicSetAt === 0 ? null : ch.topicSetAt * 1000,
      modes: [...ch.flags].join(''),
      key: ch.key,
      limit: ch.limit,
      // The exact start of its life (historyFrom), to the ms: RPL_CREATIONTIME reads its seconds.
      createdAt: ch.historyFrom,
    });
  } catch (err) {
    server.log.error(`saving room ${ch.name} failed`, err);
  }
}

/** Records a member's +o/+v as a role of its account in a registered room. */
export function saveRole(server: ServerContext, ch: Channel, member: Client): void {
  if (ch.founder === null || member.account === null) return;
  const account = server.registry.fold(member.account);
  const m = ch.members.get(member);
  const role = m?.op ? 'op' : m?.voice ? 'voice' : null;
  ch.opAccounts.delete(account);
  ch.voiceAccounts.delete(account);
  if (role === 'op') ch.opAccounts.add(account);
  if (role === 'voice') ch.voiceAccounts.add(account);
  try {
    server.store.channels.setRole(ch.name, account, role);
  } catch (err) {
    server.log.error(`saving role in ${ch.name} failed`, err);
  }
}

export function saveBan(server: ServerContext, ch: Channel, mask: string, add: boolean, setBy: string): void {
  if (ch.founder === null) return;
  try {
    if (add) server.store.channels.addBan(ch.name, { mask, setBy, time: Date.now() });
    else server.store.channels.removeBan(ch.name, mask);
  } catch (err) {
    server.log.error(`saving ban in ${ch.name} failed`, err);
  }
}

/** The role a joining member gets back in a registered room. */
export function restoredRole(server: ServerContext, ch: Channel, c: Client): { op: boolean; voice: boolean } {
  if (ch.founder === null || c.account === null) return { op: false, voice: false };
  const account = server.registry.fold(c.account);
  return { op: account === ch.founder || ch.opAccounts.has(account), voice: ch.voiceAccounts.has(account) };
}
