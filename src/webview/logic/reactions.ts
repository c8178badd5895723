// Words and rules for message actions (issue 13), DOM-free: which actions a line offers, what a
// reaction button says to a screen reader, the quote of a reply's parent.
import type { ChatLine, MessageFeature, ReactionView, ReplyView } from '../messages.ts';

/** The reactions offered first; any other emoji can be typed. */
export const COMMON_REACTIONS = ['👍', '❤️', '😄', '🎉', '👀', '🙏', '✅'] as const;

/** Channel prefixes of room operators and above (founder ~, admin &, operator @). */
const OPERATOR_PREFIXES = '~&@';

export interface LineActionsAllowed {
  readonly react: boolean;
  readonly reply: boolean;
  readonly copy: boolean;
  readonly delete: boolean;
}

/**
 * What a line offers. Reactions, replies and deletion name the message by its msgid and need the
 * server's capability; deletion is for my own messages, or any in a room I operate.
 */
export function allowedActions(line: ChatLine, features: readonly MessageFeature[], operator: boolean): LineActionsAllowed {
  const message = line.kind !== 'event' && !line.deleted;
  const named = message && line.msgid !== undefined;
  return {
    react: named && features.includes('react'),
    reply: named && features.includes('reply'),
    copy: message,
    delete: named && features.includes('delete') && (line.self || operator),
  };
}

export function isOperatorPrefix(prefix: string): boolean {
  return prefix !== '' && OPERATOR_PREFIXES.includes(prefix);
}

/** "bob, carol and you" — who gave a reaction, me last as "you". */
export function reactors(r: ReactionView, myNick: string | undefined): string {
  const me = myNick?.toLowerCase();
  const others = r.nicks.filter((n) => n.toLowerCase() !== me);
  const names = r.mine ? [...others, 'you'] : others;
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The accessible name of a reaction button: what, how many, who, and what a click does. */
export function reactionLabel(r: ReactionView, myNick: string | undefined): string {
  const n = r.nicks.length;
  return `${r.reaction} ${n} ${n === 1 ? 'reaction' : 'reactions'} from ${reactors(r, myNick)}. ${r.mine ? 'Click to take yours back' : 'Click to add yours'}`;
}

/** The quote above a reply: "amy: the deploy is at noon" or, not loaded, a neutral line. */
export function quoteText(reply: ReplyView): string {
  if (reply.from === undefined) return 'Reply to an earlier message';
  return reply.text ? `${reply.from}: ${reply.text}` : reply.from;
}

/** A typed reaction: one short token (an emoji, or a word like "+1"); undefined if not usable. */
export function typedReaction(text: string): string | undefined {
  const t = text.trim();
  if (t === '' || /\s/.test(t) || t.length > 32) return undefined;
  return t;
}
