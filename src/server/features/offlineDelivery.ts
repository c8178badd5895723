// Direct messages to a registered account whose owner is not connected (issue 4, "delivery
// receipts"). Instead of 401 the message is stored like any DM (CHATHISTORY finds it) and the
// sender is told so in a way stock clients display:
//
//   :server 301 <me> <nick> :<nick> is offline; your message was stored and will be delivered when they return
//   :server NOTE PRIVMSG STORED_OFFLINE <nick> :<nick> is offline; your message was stored ...   (standard-replies clients)
//
// (NOTICE gets only the NOTE: RFC 2812 forbids automatic replies to a NOTICE.) With echo-message the
// sender still gets its echo with msgid and time: the message is accepted and stored.
//
// Delivery: the message is queued for the account (storage `offline_dms`). When the account next
// connects, its queued DMs are replayed to that connection once, oldest first, as `chathistory`
// batches per sender (plain PRIVMSGs with server-time for clients without `batch`): a stock client
// shows them in the query window like any message. They stay in history for CHATHISTORY either way.
// A nick that is neither connected nor an account gets 401 ERR_NOSUCHNICK (the core's answer).
// An account connected under another nick than its name gets the DM at once, without the notice.
import { CAP } from '../../protocol/caps.ts';
import { STORED_OFFLINE, storedOfflineText } from '../../protocol/conventions.ts';
import { RPL_AWAY } from '../../protocol/numerics.ts';
import { BatchWriter } from '../batches.ts';
import type { Client } from '../client.ts';
import type { ServerContext } from '../context.ts';
import type { Reply } from '../reply.ts';
import type { StoredMessage } from '../storage/types.ts';
import { sendHistoryBatch } from './chathistory.ts';
import { linesFor, renderMessage } from './replay.ts';
import type { AccountSessions } from './sessions.ts';

/** Queued DMs replayed at one connection; more stay queued for the next (and are in CHATHISTORY). */
export const OFFLINE_REPLAY_LIMIT = 200;

const sessionsOf = new WeakMap<ServerContext, AccountSessions>();

export function installOfflineDelivery(server: ServerContext, sessions: AccountSessions): void {
  sessionsOf.set(server, sessions);
  server.offlineDelivery = {
    recipientFor: (nick) => offlineAccount(server, nick),
    isConnected: (account) => sessions.of(account).length > 0,
    sessionsOf: (account) => sessions.of(account),
    storedForLater: (ctx, nick) => tellSender(server, ctx.reply, ctx.client, ctx.msg.command, nick),
  };

  // After the commit: a DM whose target nick is not connected went to an account (else it was a
  // 401). If the account is connected under another nick it gets the message now; otherwise the
  // message was queued for the account's next connection in its own transaction (messaging.ts).
  server.hooks.on('message', (_from, target, stored) => {
    if (stored.type !== 'dm' || server.registry.findNick(target)?.registered) return;
    const account = offlineAccount(server, target);
    if (account === null) return;
    for (const c of sessions.of(account)) for (const line of linesFor(renderMessage(stored, c.nick), c)) c.send(line);
  });

  const replay = (client: Client) => {
    if (client.account === null) return;
    // After the reply that completed registration (the welcome burst) has been flushed.
    setImmediate(() => replayQueued(server, client));
  };
  server.hooks.on('registered', replay);
  server.hooks.on('login', (c) => c.registered && replay(c));
}

/** The account a DM to the not-connected `nick` is kept for, or null (then 401). */
function offlineAccount(server: ServerContext, nick: string): string | null {
  try {
    return server.store.accounts.getAccount(nick)?.displayName ?? null;
  } catch (err) {
    server.log.error(`looking up account ${nick} failed`, err);
    return null;
  }
}

/** Tells the sender of a DM to an offline account that it was stored (see the header). */
export function tellSender(server: ServerContext, reply: Reply, client: Client, kind: string, nick: string): void {
  // The account is connected under another nick: it gets the message now (see the hook above).
  if (sessionsOf.get(server)?.isOnline(nick)) return;
  const text = storedOfflineText(nick);
  const notice = kind.toUpperCase() === 'NOTICE';
  if (!notice) reply.numeric(RPL_AWAY, nick, text);
  if (client.has(CAP.standardReplies)) reply.standard('NOTE', notice ? 'NOTICE' : 'PRIVMSG', STORED_OFFLINE, text, nick);
}

function replayQueued(server: ServerContext, client: Client): void {
  if (client.conn.isClosing || client.account === null) return;
  let messages: StoredMessage[];
  try {
    messages = server.store.offline.take(client.account, OFFLINE_REPLAY_LIMIT);
  } catch (err) {
    server.log.error(`reading offline DMs for ${client.account} failed`, err);
    return;
  }
  if (messages.length === 0) return;
  // One batch per sender, in the order their first message arrived.
  const bySender = new Map<string, StoredMessage[]>();
  for (const m of messages) {
    // Two guests with one nick are two senders (their parties differ).
    const key = server.registry.fold(m.senderParty ?? m.senderAccount ?? m.senderNick);
    const list = bySender.get(key) ?? [];
    list.push(m);
    bySender.set(key, list);
  }
  for (const list of bySender.values()) {
    const first = list[0]!;
    // The conversation as the client knows it: the sender's current nick if online, else its name.
    const senderName = first.senderAccount ?? first.senderNick;
    const online = server.registry.findNick(first.senderNick);
    const peer = online?.registered && online.account !== null && server.registry.fold(online.account) === server.registry.fold(senderName) ? online.nick : first.senderNick;
    sendHistoryBatch(client, new BatchWriter((line) => client.send(line), { source: server.name, receiver: client }), peer, list, client.account);
  }
}
