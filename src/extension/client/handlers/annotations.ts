// What is said about a message after it was sent: reactions (TAGMSG with `+draft/react` or
// `+draft/unreact` and `+draft/reply`, https://ircv3.net/specs/client-tags/react) and deletions
// (`REDACT <target> <msgid> [:reason]`, https://ircv3.net/specs/extensions/message-redaction).
// Live, they are emitted at once; replayed in a chathistory batch, batches.ts emits them after the
// page's messages, so a consumer finds the message first.
import { REACT_TAG, REPLY_TAG, UNREACT_TAG } from '../../../protocol/clienttags.ts';
import type { IrcMessage } from '../../../protocol/message.ts';
import { parseSource } from '../../../protocol/source.ts';
import type { ChatEvent } from '../chatEvents.ts';
import type { Reaction, Redaction } from '../types.ts';
import type { HandlerContext, HandlerEntry } from './context.ts';
import type { Emits } from '../link.ts';

type AnnotationContext = Pick<HandlerContext, 'isChannel' | 'isMe' | 'state'> & Emits<'reaction' | 'redaction'>;

/** Longest reaction we take (the server bounds them too; a hostile one must not flood the view). */
export const MAX_REACTION_CHARS = 64;

/** The conversation a line about `target` from `from` belongs to (as for messages). */
function conversationOf(s: Pick<HandlerContext, 'isChannel' | 'isMe'>, target: string, from: string, conversation?: string): string {
  if (conversation !== undefined) return conversation;
  return s.isChannel(target) || s.isMe(from) ? target : from;
}

/** The reaction a TAGMSG carries, if it carries one. */
export function reactionOf(s: Pick<HandlerContext, 'isChannel' | 'isMe'>, msg: IrcMessage, history: boolean, conversation?: string): Reaction | undefined {
  const msgid = msg.tags[REPLY_TAG];
  const add = msg.tags[REACT_TAG];
  const remove = msg.tags[UNREACT_TAG];
  const reaction = add ?? remove;
  if (!msgid || !reaction || reaction.length > MAX_REACTION_CHARS || msg.params.length < 1) return undefined;
  const nick = parseSource(msg.source ?? '').nick;
  if (nick === '') return undefined;
  const r: Reaction = { target: conversationOf(s, msg.params[0]!, nick, conversation), msgid, nick, reaction, remove: add === undefined, self: s.isMe(nick) };
  if (history) r.history = true;
  return r;
}

/** The deletion a REDACT line says. */
export function redactionOf(s: Pick<HandlerContext, 'isChannel' | 'isMe'>, msg: IrcMessage, history: boolean, conversation?: string): Redaction | undefined {
  if (msg.params.length < 2 || msg.params[1] === '') return undefined;
  const by = parseSource(msg.source ?? '').nick;
  const r: Redaction = { target: conversationOf(s, msg.params[0]!, by, conversation), msgid: msg.params[1]!, by };
  if (msg.params[2]) r.reason = msg.params[2];
  if (history) r.history = true;
  return r;
}

/** A reaction or a deletion as the chat event to emit, for a line replayed in history. */
export function annotationEvent(s: Pick<HandlerContext, 'isChannel' | 'isMe'>, msg: IrcMessage, conversation: string): ChatEvent | undefined {
  const command = msg.command.toUpperCase();
  if (command === 'TAGMSG') {
    const reaction = reactionOf(s, msg, true, conversation);
    return reaction ? { type: 'reaction', reaction } : undefined;
  }
  if (command === 'REDACT') {
    const redaction = redactionOf(s, msg, true, conversation);
    return redaction ? { type: 'redaction', redaction } : undefined;
  }
  return undefined;
}

/** A live TAGMSG: true when it was a reaction (emitted). */
export function reactionHandler(s: AnnotationContext, msg: IrcMessage): boolean {
  const reaction = reactionOf(s, msg, false);
  if (!reaction) return false;
  s.emit({ type: 'reaction', reaction });
  return true;
}

function redactHandler(s: AnnotationContext, msg: IrcMessage): void {
  const redaction = redactionOf(s, msg, false);
  if (!redaction) return;
  s.state.redact(redaction.target, redaction.msgid);
  s.emit({ type: 'redaction', redaction });
}

export const annotationHandlers: Record<string, HandlerEntry> = {
  REDACT: { min: 2, fn: redactHandler },
};
