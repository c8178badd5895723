// PRIVMSG and NOTICE to rooms and users (RFC 2812 §3.3, modern.ircdocs.horse#privmsg-message).
//
// Every delivered message is stored first: the handler queues it in the storage group commit and
// relays it only once the commit resolved, so a message anyone received is on disk (kill -9 safe).
// The relayed line carries the stored msgid and server time. The sender of a PRIVMSG always learns
// about a target it could not reach (401/403/404/407/411/412/477); a NOTICE gets no such reply.
import { CAP } from '../../protocol/caps.ts';
import { casefold } from '../../protocol/casemap.ts';
import { textBytesLeft } from '../../protocol/limits.ts';
import { truncateUtf8 } from '../../protocol/message.ts';
import {
  ERR_INPUTTOOLONG,
  ERR_CANNOTSENDTOCHAN,
  ERR_NEEDREGGEDNICK,
  ERR_NORECIPIENT,
  ERR_NOSUCHCHANNEL,
  ERR_NOSUCHNICK,
  ERR_NOTEXTTOSEND,
  ERR_TOOMANYTARGETS,
  RPL_AWAY,
} from '../../protocol/numerics.ts';
import { isClientTag } from '../../protocol/tags.ts';
import { isChannelName } from '../../protocol/validate.ts';
import type { Channel } from '../channel.ts';
import { uptimeSec, type Client } from '../client.ts';
import type { CommandContext, CommandSpec, ServerContext } from '../context.ts';
import { dmBetween, dmToAccount } from '../dmParties.ts';
import { MAX_MSG_TARGETS } from '../isupport.ts';
import { messageTags, tagsTooLong } from '../msgtags.ts';
import { Outgoing } from '../outgoing.ts';
import { relayToRoom } from '../roomBackpressure.ts';
import { channelKey, dmKey } from '../storage/keys.ts';
import { newMsgid } from '../storage/msgid.ts';
import type { MessageKind, NewMessage, StoredMessage } from '../storage/types.ts';

/** Whether `c` may speak in `ch`: +n (members only), +m (voice needed), +b (banned, unless voiced). */
export function cannotSendReason(server: ServerContext, c: Client, ch: Channel): string | null {
  if (c.isOper) return null;
  const member = ch.members.get(c);
  if (!member && ch.flags.has('n')) return 'Cannot send to channel (no external messages)';
  const privileged = member !== undefined && (member.op || member.voice);
  if (ch.flags.has('m') && !privileged) return 'Cannot send to channel (+m)';
  if (!privileged && ch.isBanned(c, (s) => server.registry.fold(s))) return 'Cannot send to channel (you are banned)';
  return null;
}

interface Delivery {
  target: string;
  channel: Channel | null;
  user: Client | null;
  stored: Promise<StoredMessage>;
}

/**
 * Stores and relays one message to a comma-separated target list, answering the sender for every
 * target it cannot reach. Used by PRIVMSG and NOTICE; a module can reuse it (e.g. for the lines of
 * a draft/multiline batch). Resolves after every relay (each waits for its storage commit).
 */
export async function deliverMessage(
  ctx: CommandContext,
  kind: 'PRIVMSG' | 'NOTICE',
  targetList: string,
  rawText: string,
  clientTags: Readonly<Record<string, string>> = {},
): Promise<void> {
  const { server, client, reply } = ctx;
  const numeric = errorReplies(kind, reply);
  client.lastActive = uptimeSec();
  const tagProblem = tagsTooLong(server, clientTags);
  if (tagProblem !== null) return reply.numeric(ERR_INPUTTOOLONG, tagProblem);
  // One target is the usual case: no list to split and deduplicate.
  const targets = targetList.includes(',') ? [...new Set(targetList.split(',').filter((t) => t !== ''))] : targetList === '' ? [] : [targetList];
  const deliveries: Delivery[] = [];
  targets.forEach((target, i) => {
    if (i >= MAX_MSG_TARGETS) return numeric(ERR_TOOMANYTARGETS, target, `Too many targets (at most ${MAX_MSG_TARGETS})`);
    if (server.config.requireLogin && client.account === null) {
      return numeric(ERR_NEEDREGGEDNICK, target, 'You must be logged in to an account to send messages (SASL or REGISTER)');
    }
    const text = fitText(client, kind, target, rawText);
    if (isChannelName(target)) {
      const ch = server.registry.findChannel(target);
      if (!ch) return numeric(ERR_NOSUCHCHANNEL, target, 'No such channel');
      const why = cannotSendReason(server, client, ch);
      if (why !== null) return numeric(ERR_CANNOTSENDTOCHAN, ch.name, why);
      const stored = store(server, client, kind, { type: 'channel', name: ch.name }, text, clientTags, { time: ch.messageTime() });
      deliveries.push({ target: ch.name, channel: ch, user: null, stored });
      return;
    }
    const user = server.registry.findNick(target);
    if (!user?.registered) {
      // Not online: a module may keep DMs for an account's return (issue 4); else 401.
      const account = server.offlineDelivery?.recipientFor(target) ?? null;
      if (account === null) return numeric(ERR_NOSUCHNICK, target, 'No such nick/channel');
      // Queued in the same transaction as the message: a crash cannot keep one without the other.
      const queueFor = server.offlineDelivery?.isConnected(account) ? undefined : account;
      const stored = store(server, client, kind, dmToAccount(client, account), text, clientTags, queueFor === undefined ? {} : { queueFor });
      deliveries.push({ target, channel: null, user: null, stored });
      server.offlineDelivery?.storedForLater(ctx, target);
      return;
    }
    if (kind === 'PRIVMSG' && user.away !== null) numeric(RPL_AWAY, user.nick, user.away);
    const stored = store(server, client, kind, dmBetween(client, user), text, clientTags);
    deliveries.push({ target: user.nick, channel: null, user, stored });
  });

  // Relay in commit order. Messages queued in the same turn share one transaction.
  for (const d of deliveries) {
    let stored: StoredMessage;
    try {
      stored = await d.stored;
    } catch (err) {
      server.log.error(`storing a message to ${d.target} failed`, err);
      reply.fail(kind, 'MESSAGE_NOT_STORED', 'Message not delivered: the server could not store it', d.target);
      continue;
    }
    const out = new Outgoing(
      { tags: {}, source: client.hostmask, command: kind, params: [d.target, stored.text] },
      messageTags(client, stored, stored.tags),
    );
    const echo = client.has(CAP.echoMessage);
    if (d.channel) {
      relayToRoom(server, client, d.channel, out);
    } else if (d.user) {
      // A message to oneself is delivered like any other, unlabeled (labeled-response: the delivery
      // is a side effect, not the response); with echo-message the labeled echo comes as well.
      d.user.send(out);
    }
    // echo-message: the sender gets its own message back, with msgid and time (a delivery receipt).
    if (echo) reply.send(out);
    server.hooks.emit('message', client, d.target, stored);
  }
}

/**
 * RFC 2812 §3.3.2: a NOTICE never triggers an automatic reply, errors included (two bots must not
 * answer each other's errors forever). A failure to store it is still a FAIL: that is the server's
 * fault, not an answer to the text.
 */
function errorReplies(kind: 'PRIVMSG' | 'NOTICE', reply: CommandContext['reply']): (numeric: string, ...params: string[]) => void {
  return kind === 'NOTICE' ? () => undefined : (numeric, ...params) => reply.numeric(numeric, ...params);
}

function makeHandler(kind: 'PRIVMSG' | 'NOTICE') {
  return function messageHandler(ctx: CommandContext): Promise<void> | void {
    const { msg, reply } = ctx;
    const numeric = errorReplies(kind, reply);
    const targetList = msg.params[0] ?? '';
    if (targetList === '') return numeric(ERR_NORECIPIENT, `No recipient given (${kind})`);
    const text = msg.params[1] ?? '';
    if (text === '') return numeric(ERR_NOTEXTTOSEND, 'No text to send');
    const clientTags: Record<string, string> = {};
    for (const k in msg.tags) if (isClientTag(k)) clientTags[k] = msg.tags[k]!;
    return deliverMessage(ctx, kind, targetList, text, clientTags);
  };
}

function store(
  server: ServerContext,
  client: Client,
  kind: MessageKind,
  target: NewMessage['target'],
  text: string,
  tags: Readonly<Record<string, string>>,
  extra: Pick<NewMessage, 'queueFor' | 'time'> = {},
): Promise<StoredMessage> {
  try {
    const msg: NewMessage = {
      target,
      kind,
      source: client.hostmask,
      senderNick: client.nick,
      senderAccount: client.account,
      text,
      tags, // encoded to JSON as it is queued: later changes to the object do not reach storage
      ...extra,
    };
    if (!server.config.durability) return storeWithoutWaiting(server, msg);
    return server.store.messages.enqueue(msg);
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * `--durability off` (benchmarks only, to show what the commit path costs): the message is still
 * stored in the next group commit, but relayed at once with the msgid and time it will be stored
 * with. A kill -9 can then lose messages that were already relayed.
 */
function storeWithoutWaiting(server: ServerContext, msg: NewMessage): Promise<StoredMessage> {
  msg.msgid = newMsgid();
  msg.time ??= Date.now();
  server.store.messages.enqueue(msg).catch((err: unknown) => server.log.error('storing a relayed message failed (--durability off)', err));
  const t = msg.target;
  return Promise.resolve({
    id: 0, // not known before the commit; nothing on the relay path reads it
    msgid: msg.msgid,
    target: t.type === 'channel' ? channelKey(t.name) : dmKey(t.from, t.to),
    type: t.type,
    targetDisplay: t.type === 'channel' ? t.name : (t.toName ?? t.to),
    kind: msg.kind,
    source: msg.source,
    senderNick: msg.senderNick,
    senderAccount: msg.senderAccount,
    senderParty: t.type === 'dm' ? casefold(t.from) : null,
    time: msg.time,
    text: msg.text,
    tags: msg.tags ?? {},
    multiline: msg.multiline === true,
  });
}

/** Cuts the text so the relayed line (`:mask KIND target :text\r\n`) fits in 512 bytes (RFC 1459 §2.3). */
function fitText(client: Client, kind: string, target: string, text: string): string {
  return truncateUtf8(text, Math.max(0, textBytesLeft(client.hostmask, kind, target)));
}

export const messagingCommands: Record<string, CommandSpec> = {
  PRIVMSG: { handler: makeHandler('PRIVMSG'), minParams: 0, pipelined: true },
  NOTICE: { handler: makeHandler('NOTICE'), minParams: 0, pipelined: true },
};
