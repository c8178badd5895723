// TAGMSG (https://ircv3.net/specs/extensions/message-tags#the-tagmsg-tag-only-message): a message
// with only client-only tags (`+typing`, `+draft/react`, `+draft/reply`...). Relayed only to
// receivers that negotiated message-tags (anyone else would see an empty line), with server-time,
// a fresh msgid and account-tag like any message; echoed to the sender with echo-message. Typing
// is not stored; a reaction (+draft/react with +draft/reply) is, before it is relayed (reactions.ts).
// Errors as for PRIVMSG (401/403/404). To an account not connected under the nick it was sent to,
// a reaction is stored and echoed like any (its owner sees it with the message in their history,
// their connections under other nicks get it now); anything else, typing, is dropped silently
// (nobody is there to see it). `+typing` is rate-limited (typing.ts).
import { CAP } from '../../protocol/caps.ts';
import { ERR_CANNOTSENDTOCHAN, ERR_NEEDREGGEDNICK, ERR_NORECIPIENT, ERR_NOSUCHCHANNEL, ERR_NOSUCHNICK } from '../../protocol/numerics.ts';
import { isClientTag } from '../../protocol/tags.ts';
import { isChannelName } from '../../protocol/validate.ts';
import type { Client } from '../client.ts';
import { cannotSendReason } from '../commands/messaging.ts';
import type { CommandContext, ServerContext } from '../context.ts';
import { messageTags } from '../msgtags.ts';
import { Outgoing } from '../outgoing.ts';
import { newMsgid } from '../storage/index.ts';
import { isReaction, recordReaction, type Refusal } from './reactions.ts';
import { TYPING_TAG, TypingLimiter } from './typing.ts';

export function installTagmsg(server: ServerContext): void {
  const typing = new TypingLimiter();
  server.commands.add('TAGMSG', { handler: (ctx) => tagmsgHandler(ctx, typing), minParams: 0 });
}

function tagmsgHandler(ctx: CommandContext, typing: TypingLimiter): void {
  const { server, client, msg, reply } = ctx;
  const target = (msg.params[0] ?? '').split(',')[0]!;
  if (target === '') return reply.numeric(ERR_NORECIPIENT, 'No recipient given (TAGMSG)');
  if (server.config.requireLogin && client.account === null) {
    return reply.numeric(ERR_NEEDREGGEDNICK, target, 'You must be logged in to an account to send messages (SASL or REGISTER)');
  }
  const clientTags: Record<string, string> = {};
  for (const [k, v] of Object.entries(msg.tags)) if (isClientTag(k)) clientTags[k] = v;

  let receivers: Iterable<Client>;
  let shown: string;
  /** Receivers who get the TAGMSG addressed to their own nick (an account's other sessions). */
  let byOwnNick = false;
  if (isChannelName(target)) {
    const ch = server.registry.findChannel(target);
    if (!ch) return reply.numeric(ERR_NOSUCHCHANNEL, target, 'No such channel');
    const why = cannotSendReason(server, client, ch);
    if (why !== null) return reply.numeric(ERR_CANNOTSENDTOCHAN, ch.name, why);
    receivers = ch.members.keys();
    shown = ch.name;
  } else {
    const user = server.registry.findNick(target);
    if (user?.registered) {
      receivers = [user];
      shown = user.nick;
    } else {
      const offline = server.offlineDelivery;
      const account = offline?.recipientFor(target) ?? null;
      if (account === null) return reply.numeric(ERR_NOSUCHNICK, target, 'No such nick/channel');
      if (!isReaction(clientTags)) return; // typing to someone who is not there
      receivers = offline!.sessionsOf(account);
      shown = target;
      byOwnNick = true;
    }
  }
  const state = clientTags[TYPING_TAG];
  if (state !== undefined && !typing.allow(client, server.registry.fold(shown), state)) return;

  const stamp = { time: Date.now(), msgid: newMsgid() };
  let refused: Refusal | null;
  try {
    refused = recordReaction(server, client, shown, clientTags, stamp);
  } catch (err) {
    server.log.error(`storing a reaction to ${shown} failed`, err);
    return reply.fail('TAGMSG', 'MESSAGE_NOT_STORED', 'Reaction not delivered: the server could not store it', shown);
  }
  if (refused) return reply.fail('TAGMSG', refused.code, refused.text, shown);
  const out = new Outgoing(
    { tags: {}, source: client.hostmask, command: 'TAGMSG', params: [shown] },
    messageTags(client, stamp, clientTags),
  );
  // A TAGMSG to oneself is delivered (unlabeled) like a PRIVMSG; in a room the sender only gets the echo.
  for (const r of receivers) {
    if ((r === client && isChannelName(target)) || !r.has(CAP.messageTags)) continue;
    r.send(byOwnNick ? new Outgoing({ ...out.msg, params: [r.nick] }, out.tags) : out);
  }
  if (client.has(CAP.echoMessage) && client.has(CAP.messageTags)) reply.send(out);
}
