// draft/message-redaction (https://ircv3.net/specs/extensions/message-redaction):
// `REDACT <target> <msgid> [:reason]` deletes a stored PRIVMSG/NOTICE, or a reaction (TAGMSG).
//
// Who may: the sender (by account when logged in; a guest only from the connection that sent it),
// an operator of the room for any message in it, a server operator for any. There is no time
// window. The target is resolved with chathistory.ts resolveTarget, so only a message in history
// the redactor may read can be named: anything else is UNKNOWN_MSGID (no leak of other rooms'
// or other people's msgids).
//
// On success the text is blanked in storage (the search index forgets it), its reactions and any
// offline delivery still queued are dropped, and the REDACT (with time, msgid, account) goes to the
// target's members with the capability and back to the redactor; clients without it get nothing
// live (a fallback NOTICE per deletion would be noise) and no longer find the message in history.
// CHATHISTORY serves the REDACT in the message's place to clients with the capability
// (annotations.ts). Refusals: FAIL REDACT INVALID_TARGET | UNKNOWN_MSGID | REDACT_FORBIDDEN.
import { CAP } from '../../protocol/caps.ts';
import { casefold } from '../../protocol/casemap.ts';
import { isChannelName } from '../../protocol/validate.ts';
import type { Client } from '../client.ts';
import type { CommandContext, ServerContext } from '../context.ts';
import { messageTags } from '../msgtags.ts';
import { Outgoing } from '../outgoing.ts';
import { newMsgid } from '../storage/index.ts';
import { resolveTarget } from './chathistory.ts';

/** Msgids a guest (no account) sent on this connection: the only messages it may redact. */
const GUEST_MEMORY = 1000;

/**
 * The last GUEST_MEMORY msgids a guest sent, in a ring: one store per message. (A Set that drops
 * its oldest entry was 5 % of the server's time in the DM benchmark; REDACT, which looks an id up,
 * is rare.)
 */
class RecentMsgids {
  readonly #ids: string[] = [];
  #oldest = 0;

  add(msgid: string): void {
    if (this.#ids.length < GUEST_MEMORY) {
      this.#ids.push(msgid);
      return;
    }
    this.#ids[this.#oldest] = msgid;
    this.#oldest = (this.#oldest + 1) % GUEST_MEMORY;
  }

  has(msgid: string): boolean {
    return this.#ids.includes(msgid);
  }
}

export function installRedaction(server: ServerContext): void {
  server.caps.register({ name: CAP.messageRedaction });
  const sentByGuest = new WeakMap<Client, RecentMsgids>();
  server.hooks.on('message', (client, _target, stored) => {
    if (client.account !== null) return;
    let mine = sentByGuest.get(client);
    if (!mine) sentByGuest.set(client, (mine = new RecentMsgids()));
    mine.add(stored.msgid);
  });
  server.commands.add('REDACT', { handler: (ctx) => redactHandler(ctx, sentByGuest), minParams: 2 });
}

function redactHandler(ctx: CommandContext, sentByGuest: WeakMap<Client, RecentMsgids>): void {
  const { server, client, msg, reply } = ctx;
  const [target, msgid] = msg.params as [string, string];
  const reason = msg.params[2] ?? '';
  const where = resolveTarget(server, client, target);
  if (!where) return reply.fail('REDACT', 'INVALID_TARGET', `You cannot delete messages from ${target}`, target);
  const ch = isChannelName(target) ? server.registry.findChannel(target) : undefined;
  const moderator = client.isOper || (ch?.isOp(client) ?? false);
  const unknown = () => reply.fail('REDACT', 'UNKNOWN_MSGID', 'This message does not exist or is too old', target, msgid);
  const forbidden = () => reply.fail('REDACT', 'REDACT_FORBIDDEN', 'You are not authorised to delete this message', target, msgid);
  const ownAccount = (account: string | null) => account !== null && client.account !== null && casefold(account) === casefold(client.account);
  const readable = (time: number) => (where.from === undefined || time >= where.from) && time >= (server.store.history.keepSince?.() ?? -Infinity);
  const stamp = { time: Date.now(), msgid: newMsgid() };
  const record = { msgid: stamp.msgid, source: client.hostmask, senderAccount: client.account, reason: reason === '' ? null : reason, time: stamp.time };

  const m = server.store.messages.findByMsgid(msgid);
  if (m && where.key !== null && m.target === where.key && readable(m.time) && m.kind !== 'TAGMSG') {
    const mine = ownAccount(m.senderAccount) || (m.senderAccount === null && client.account === null && sentByGuest.get(client)?.has(m.msgid) === true);
    if (!mine && !moderator) return forbidden();
    if (!server.store.annotations.redact({ messageId: m.id, ...record })) return unknown(); // redacted already
  } else {
    const r = server.store.annotations.reactionByMsgid(msgid);
    if (!r || r.target !== where.key || !readable(r.time)) return unknown();
    if (!ownAccount(r.senderAccount) && !moderator) return forbidden();
    server.store.annotations.removeReactionByMsgid(msgid);
  }
  // The redactor gets it back (labeled, with its msgid and time): the confirmation.
  reply.send(relay(server, client, target, msgid, reason, stamp));
}

/** Sends the REDACT to the target's other receivers; returns the line for the redactor. */
function relay(server: ServerContext, client: Client, target: string, msgid: string, reason: string, stamp: { time: number; msgid: string }): Outgoing {
  const line = (shown: string) =>
    new Outgoing({ tags: {}, source: client.hostmask, command: 'REDACT', params: reason === '' ? [shown, msgid] : [shown, msgid, reason] }, messageTags(client, stamp));
  let echo: Outgoing;
  if (isChannelName(target)) {
    const ch = server.registry.findChannel(target)!;
    echo = line(ch.name);
    for (const member of ch.members.keys()) if (member !== client && member.has(CAP.messageRedaction)) member.send(echo);
  } else {
    const user = server.registry.findNick(target);
    echo = line(user?.registered ? user.nick : target);
    if (user?.registered && user !== client && user.has(CAP.messageRedaction)) user.send(echo);
  }
  return echo;
}
