// draft/chathistory (https://ircv3.net/specs/extensions/chathistory): CHATHISTORY LATEST, BEFORE,
// AFTER, AROUND, BETWEEN by `msgid=` or `timestamp=`, and TARGETS. Each page is one indexed range
// scan in storage (../storage/history.ts) and comes back in a `chathistory` batch whose lines carry
// server-time, msgid and account tags as they were first relayed.
//
// Who may read what (issue 11):
//  - a room: its members; anyone else only if the room exists and is neither secret (+s),
//    invite-only (+i) nor keyed (+k), and they are not banned from it. Only the room's current
//    life is served (Channel.historyFrom): not what an earlier room of that name heard before it
//    emptied, or before a restart, unless it is registered;
//  - a conversation between two users: only its two parties (../dmParties.ts), each an account or,
//    without one, that one connection (a nick is not an identity: someone else may take it).
// Anything else, including an unknown room or a name no nick can have, is FAIL CHATHISTORY
// INVALID_TARGET. A nick with no conversation of the asker's gets an empty batch.
import { BATCH_TYPE, CAP } from '../../protocol/caps.ts';
import { casefold } from '../../protocol/casemap.ts';
import { isChannelName, isValidNick } from '../../protocol/validate.ts';
import type { Client } from '../client.ts';
import type { CommandContext, ServerContext } from '../context.ts';
import type { LineWriter } from '../batches.ts';
import { serverTime } from '../msgtags.ts';
import { Outgoing } from '../outgoing.ts';
import { channelKey, dmKey, parseHistoryPoint } from '../storage/index.ts';
import type { HistoryPoint, HistoryRequest, StoredMessage } from '../storage/types.ts';
import { historyAnnotator, type Annotator } from './annotations.ts';
import { renderMessage, writeRendered } from './replay.ts';

/** ISUPPORT CHATHISTORY: the most messages one request returns (larger requests are cut to it). */
export const CHATHISTORY_LIMIT = 100;
/**
 * Bytes of message text in one page. A page of 100 long multiline snippets would otherwise be
 * megabytes and overflow the receiver's sendq; the rest is one more request away.
 */
export const PAGE_TEXT_BYTES = 256 * 1024;
/** A target name longer than this is not a nick or a room. */
const MAX_TARGET_LENGTH = 64;

type Sub = 'LATEST' | 'BEFORE' | 'AFTER' | 'AROUND' | 'BETWEEN' | 'TARGETS';
/** Parameters after the subcommand (target, points, limit). */
const ARITY: Record<Sub, number> = { LATEST: 3, BEFORE: 3, AFTER: 3, AROUND: 3, BETWEEN: 4, TARGETS: 3 };

export function installChathistory(server: ServerContext): void {
  server.caps.register({ name: CAP.chathistory });
  // Only so a client can ask for reactions (TAGMSG) in history pages: the spec allows nothing but
  // PRIVMSG and NOTICE in them otherwise. No JOIN/PART/MODE/TOPIC/NICK: those are not stored.
  server.caps.register({ name: CAP.eventPlayback });
  server.isupport.set('CHATHISTORY', String(CHATHISTORY_LIMIT));
  // Both kinds of reference are accepted; msgid first (preferred: exact, no ties).
  server.isupport.set('MSGREFTYPES', 'msgid,timestamp');
  server.commands.add('CHATHISTORY', { handler: chathistoryHandler, minParams: 0 });
}

function chathistoryHandler(ctx: CommandContext): void {
  const { msg, reply } = ctx;
  const fail = (code: string, text: string, ...context: string[]) => reply.fail('CHATHISTORY', code, text, ...context);
  const raw = msg.params[0];
  if (raw === undefined || raw === '') return fail('NEED_MORE_PARAMS', 'Missing parameters', '*');
  const sub = raw.toUpperCase();
  if (!Object.hasOwn(ARITY, sub)) return fail('UNKNOWN_COMMAND', 'Unknown command', raw);
  const s = sub as Sub;
  const args = msg.params.slice(1);
  if (args.length < ARITY[s]) return fail('NEED_MORE_PARAMS', 'Missing parameters', s);
  const limitParam = args[ARITY[s] - 1]!;
  if (!/^\d{1,9}$/.test(limitParam) || Number(limitParam) === 0) return fail('INVALID_PARAMS', 'The limit must be a positive number', s, limitParam);
  const limit = Math.min(Number(limitParam), CHATHISTORY_LIMIT);
  if (s === 'TARGETS') return targets(ctx, args[0]!, args[1]!, limit);

  const target = args[0]!;
  const points: (HistoryPoint | null)[] = [];
  for (const p of args.slice(1, ARITY[s] - 1)) {
    const point = parseHistoryPoint(p);
    if (point === 'invalid' || (point === null && s !== 'LATEST')) {
      return fail('INVALID_PARAMS', 'A reference must be msgid=<id> or timestamp=<YYYY-MM-DDThh:mm:ss.sssZ>', s, p);
    }
    points.push(point);
  }
  const where = resolveTarget(ctx.server, ctx.client, target);
  if (!where) return fail('INVALID_TARGET', 'Messages could not be retrieved: no such target, or no access to its history', s, target);
  const [a, b] = points;
  let req: HistoryRequest;
  switch (s) {
    case 'LATEST':
      req = a ? { kind: 'LATEST', after: a, limit } : { kind: 'LATEST', limit };
      break;
    case 'BETWEEN':
      req = { kind: 'BETWEEN', start: a!, end: b!, limit };
      break;
    default:
      req = { kind: s, point: a!, limit };
  }
  let messages: StoredMessage[] = [];
  try {
    const result = where.key === null ? { ok: true, messages } : ctx.server.store.history.query(where.key, req, where.from);
    // A msgid that is not in this target's history: nothing before or after it (an empty batch).
    messages = result.ok ? result.messages : [];
  } catch (err) {
    ctx.server.log.error(`CHATHISTORY ${s} ${target} failed`, err);
    return fail('MESSAGE_ERROR', 'Messages could not be retrieved', s, target);
  }
  messages = messages.filter((m) => m.kind !== 'TAGMSG');
  // Keep the side of the page nearest its anchor when the page is too big.
  const fromNewest = s === 'LATEST' || s === 'BEFORE' || (s === 'BETWEEN' && isBackward(a!, b!));
  messages = withinBudget(messages, fromNewest);
  const annotate = historyAnnotator(ctx.server, ctx.client, messages);
  sendHistoryBatch(ctx.client, reply, where.display, messages, where.party, annotate);
}

function isBackward(a: HistoryPoint, b: HistoryPoint): boolean {
  return 'time' in a && 'time' in b && a.time > b.time;
}

function withinBudget(messages: StoredMessage[], fromNewest: boolean): StoredMessage[] {
  let bytes = 0;
  const order = fromNewest ? [...messages].reverse() : messages;
  const kept: StoredMessage[] = [];
  for (const m of order) {
    bytes += Buffer.byteLength(m.text) + 100;
    if (bytes > PAGE_TEXT_BYTES && kept.length > 0) break;
    kept.push(m);
  }
  return fromNewest ? kept.reverse() : kept;
}

interface Where {
  /** Storage key; null: a conversation the asker never had (nothing to read). */
  key: string | null;
  /** The batch's target parameter. */
  display: string;
  /** For a DM: the viewer's party (Client.party), to tell its own messages from the peer's. */
  party?: string;
  /** For a room: the start of its current life (Channel.historyFrom). */
  from?: number;
}

/** Where the history of `target` is, if `client` may read it. */
export function resolveTarget(server: ServerContext, client: Client, target: string): Where | null {
  if (target.length > MAX_TARGET_LENGTH || target === '*') return null;
  if (isChannelName(target)) {
    const ch = server.registry.findChannel(target);
    if (!ch) return null;
    if (!ch.members.has(client)) {
      if (ch.flags.has('s') || ch.flags.has('i') || ch.key !== null) return null;
      if (ch.isBanned(client, (x) => server.registry.fold(x))) return null;
    }
    return { key: channelKey(ch.name), display: ch.name, from: ch.historyFrom };
  }
  // Not a room and no nick (or account) could be spelled so: not a target at all.
  if (!isValidNick(target, MAX_TARGET_LENGTH)) return null;
  const peer = peerParty(server, client, target);
  return {
    key: peer === null ? null : dmKey(client.party, peer.party),
    display: peer?.display ?? target,
    party: client.party,
  };
}

/**
 * The party `client` means by the nick or account name `name`, and how that party spells it:
 * whoever is connected under it, else the account of that name, else whom this connection last
 * talked to under it, else (for an account) the peer of its newest conversation shown under that
 * name. Null: none.
 */
function peerParty(server: ServerContext, client: Client, name: string): { party: string; display: string } | null {
  const online = server.registry.findNick(name);
  if (online?.registered) return { party: online.party, display: online.nick };
  try {
    const account = server.store.accounts.getAccount(name);
    if (account !== null) return { party: account.name, display: account.displayName };
    const remembered = client.peerNamed(name);
    if (remembered !== undefined) return { party: remembered, display: client.peerSpelling(name) ?? name };
    const stored = client.account === null ? null : server.store.history.peerNamed(client.account, name);
    return stored === null ? null : { party: stored, display: name };
  } catch (err) {
    server.log.error(`finding the conversation of ${client.nick} with ${name} failed`, err);
    return null;
  }
}

/**
 * Writes stored messages to `client` as one `chathistory` batch (plain lines without `batch`).
 * For a DM, messages from the peer are addressed to the viewer's current nick, its own to the
 * peer as written: what a client expects to see in a query window.
 */
export function sendHistoryBatch(
  client: Client,
  out: LineWriter,
  batchTarget: string,
  messages: readonly StoredMessage[],
  party?: string,
  annotate?: Annotator,
): void {
  out.openBatch(BATCH_TYPE.chathistory, [batchTarget]);
  // Lines are rendered with the batch tag already on them (no copy per line).
  const id = out.batch;
  const me = party === undefined ? undefined : casefold(party);
  for (const m of messages) {
    let target = m.targetDisplay;
    // senderParty: null in DMs stored before schema 4, whose parties were account or nick.
    // A DM: the peer's messages are addressed to the viewer's current nick, its own to the peer as
    // the peer spells its name now (the batch's target), not as it was typed.
    if (m.type === 'dm' && me !== undefined) target = casefold(m.senderParty ?? m.senderAccount ?? m.senderNick) !== me ? client.nick : batchTarget;
    const extra = annotate?.(m, target, id);
    if (extra?.replace) {
      for (const line of extra.replace) out.send(line);
      continue;
    }
    writeRendered(renderMessage(m, target, { outerBatch: id }), client, out);
    for (const line of extra?.after ?? []) out.send(line);
  }
  out.closeBatch();
}

/** CHATHISTORY TARGETS <timestamp> <timestamp> <limit>: conversations and rooms active in the window. */
function targets(ctx: CommandContext, from: string, to: string, limit: number): void {
  const { server, client, reply } = ctx;
  const a = parseHistoryPoint(from);
  const b = parseHistoryPoint(to);
  if (a === null || a === 'invalid' || !('time' in a)) return reply.fail('CHATHISTORY', 'INVALID_PARAMS', 'TARGETS needs two timestamp= references', 'TARGETS', from);
  if (b === null || b === 'invalid' || !('time' in b)) return reply.fail('CHATHISTORY', 'INVALID_PARAMS', 'TARGETS needs two timestamp= references', 'TARGETS', to);
  let found;
  try {
    found = server.store.history.targets({
      party: client.party,
      channels: [...client.channels].map((ch) => ({ name: ch.name, from: ch.historyFrom })),
      from: a.time,
      to: b.time,
      limit,
    });
  } catch (err) {
    server.log.error('CHATHISTORY TARGETS failed', err);
    return reply.fail('CHATHISTORY', 'MESSAGE_ERROR', 'Targets could not be retrieved', 'TARGETS', '*');
  }
  reply.openBatch(BATCH_TYPE.chathistoryTargets);
  for (const t of found) {
    reply.send(new Outgoing({ tags: {}, source: server.name, command: 'CHATHISTORY', params: ['TARGETS', t.name, serverTime(t.lastTime)] }));
  }
  reply.closeBatch();
}
