// IRCv3 replies that are not about rooms or chat lines: TAGMSG (+typing), REGISTER results,
// MARKREAD, labeled-response ACK, and standard replies (FAIL/WARN/NOTE,
// https://ircv3.net/specs/extensions/standard-replies).
import type { IrcMessage } from '../../../protocol/message.ts';
import { STORED_OFFLINE } from '../../../protocol/conventions.ts';
import { parseSource } from '../../../protocol/source.ts';
import { TYPING_TAG } from '../typing.ts';
import type { TypingState } from '../types.ts';
import { parseTime } from './chat.ts';
import { setOffline } from './presence.ts';
import { reactionHandler } from './annotations.ts';
import type { HandlerContext, HandlerEntry } from './context.ts';
import type { Emits, Fires } from '../link.ts';
import type { LineContext } from '../link.ts';

/** What the IRCv3 handlers read and do: typing, account registration, read markers, standard replies. */
type ModernContext = Pick<HandlerContext, 'state' | 'features' | 'outgoing' | 'isChannel' | 'isMe' | 'maybeEndCap' | 'registration' | 'fail'> &
  Fires<'notice' | 'readMarker' | 'account' | 'error'> &
  Emits<'typing' | 'presence' | 'reaction' | 'redaction'>;


function tagmsgHandler(s: ModernContext, msg: IrcMessage): void {
  if (reactionHandler(s, msg)) return;
  const state = msg.tags[TYPING_TAG];
  if (state !== 'active' && state !== 'paused' && state !== 'done') return;
  const nick = parseSource(msg.source ?? '').nick;
  if (nick === '' || s.isMe(nick)) return;
  const target = s.isChannel(msg.params[0]!) ? msg.params[0]! : nick;
  s.features.typing.received(s, target, nick, state as TypingState);
}

function registerHandler(s: ModernContext, msg: IrcMessage): void {
  // REGISTER SUCCESS|VERIFICATION_REQUIRED <account> :<message>
  s.features.accounts.succeeded(s, msg.params[0]!, msg.params[1] ?? '', msg.params[2] ?? '');
}

/** MARKREAD <target> timestamp=<time> | * (https://ircv3.net/specs/extensions/read-marker) */
function markreadHandler(s: ModernContext, msg: IrcMessage): void {
  const value = msg.params[1] ?? '*';
  if (!value.startsWith('timestamp=')) return;
  const time = parseTime(value.slice('timestamp='.length));
  if (time) s.events.readMarker.fire({ target: msg.params[0]!, time });
}

/** labeled-response ACK: the server took a labeled command that has no other reply. */
function ackHandler(s: ModernContext, _msg: IrcMessage, ctx: LineContext): void {
  if (ctx.label !== undefined && s.features.search.owns(ctx.label)) return s.features.search.received([], ctx.label);
  const hit = ctx.label !== undefined ? s.outgoing.byLabel(ctx.label) : undefined;
  if (hit) s.outgoing.confirm(hit);
}

function standardReply(kind: 'fail' | 'warn' | 'note') {
  return (s: ModernContext, msg: IrcMessage, ctx: LineContext) => {
    // <command> <code> [<context>...] :<description>
    const command = msg.params[0]!.toUpperCase();
    const code = msg.params[1]!;
    const description = msg.params[msg.params.length - 1]!;
    const context = msg.params.slice(2, -1);
    if (command === 'REGISTER' && kind === 'fail') return s.features.accounts.failed(s, code, description);
    if (command === 'CHATHISTORY' && kind === 'fail') return s.features.history.failed(s, context[1], description, code);
    if (command === 'SEARCH' && kind === 'fail') return s.features.search.failed(description, code, ctx.label);
    // Read markers are sent on the user's behalf, never asked for: a refusal is not news for them.
    if (command === 'MARKREAD') return;
    const hit = ctx.label !== undefined ? s.outgoing.byLabel(ctx.label) : undefined;
    const sent = hit?.msg ?? (context[0] !== undefined && ['PRIVMSG', 'NOTICE', 'BATCH'].includes(command) ? s.outgoing.awaySubject(context[0]) : undefined);
    if (kind !== 'fail' && code === STORED_OFFLINE && (sent || context[0] !== undefined)) {
      if (context[0] !== undefined && !s.isChannel(context[0])) setOffline(s, context[0]);
      if (sent) s.outgoing.markStored(sent, description);
      return;
    }
    if (sent && kind === 'fail') {
      const part = hit ?? { msg: sent, part: sent.parts.find((p) => !p.done) ?? { text: '', done: false } };
      return s.outgoing.fail(part, description);
    }
    s.events.notice.fire({ kind, text: description, command, code });
  };
}

export const modernHandlers: Record<string, HandlerEntry> = {
  TAGMSG: { min: 1, fn: tagmsgHandler },
  REGISTER: { min: 2, fn: registerHandler },
  MARKREAD: { min: 1, fn: markreadHandler },
  ACK: { min: 0, fn: ackHandler },
  FAIL: { min: 3, fn: standardReply('fail') },
  WARN: { min: 3, fn: standardReply('warn') },
  NOTE: { min: 3, fn: standardReply('note') },
};
