// Which incoming messages raise a VS Code notification (chatroom.notifications). Pure.
import type { NotificationsSetting } from './settings.ts';
import type { IncomingInfo } from './viewModel.ts';

/** Fewer toasts in a busy room: one per conversation per this long. */
export const NOTIFY_QUIET_MS = 10_000;

export function shouldNotify(setting: NotificationsSetting, info: IncomingInfo, viewVisible: boolean): boolean {
  if (viewVisible || !info.unread || setting === 'none') return false;
  return setting === 'all' || info.kind === 'dm' || info.mention;
}

/** The toast text: who, where, and the start of the message (one line). */
export function notificationText(info: IncomingInfo, maxChars = 140, unread = 1): string {
  const text = info.text.replace(/\s+/g, ' ').trim();
  const short = text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
  const count = unread > 1 ? `, ${unread} unread` : '';
  return info.kind === 'dm' ? `${info.from} (direct message${count}): ${short}` : `${info.from} in ${info.name}${count ? ` (${unread} unread)` : ''}: ${short}`;
}

/** What to do with a message that passed shouldNotify(). */
export type NotifyDecision =
  /** Show a toast now. */
  | { readonly kind: 'show'; readonly text: string }
  /** A toast for this conversation was shown less than NOTIFY_QUIET_MS ago: ask again after `delayMs`. */
  | { readonly kind: 'later'; readonly delayMs: number }
  /** Nothing (a later toast is already due for this conversation). */
  | { readonly kind: 'skip' };

/**
 * The policy for repeated messages in one conversation (README "Notifications"): at most one toast
 * per conversation every NOTIFY_QUIET_MS, but no message goes unsaid. A message in the quiet time
 * is held; when the quiet time ends and the conversation is still unread, one toast says how many
 * are unread and shows the latest ("bob (direct message, 3 unread): …"); read by then, nothing.
 * Pure: the caller owns the clock and the timer.
 */
export class NotifyGate {
  readonly #lastShown = new Map<string, number>();
  readonly #held = new Map<string, IncomingInfo>();

  incoming(info: IncomingInfo, now: number): NotifyDecision {
    const last = this.#lastShown.get(info.conversation);
    if (last === undefined || now - last >= NOTIFY_QUIET_MS) {
      this.#lastShown.set(info.conversation, now);
      this.#held.delete(info.conversation);
      return { kind: 'show', text: notificationText(info) };
    }
    const due = this.#held.has(info.conversation);
    this.#held.set(info.conversation, info);
    return due ? { kind: 'skip' } : { kind: 'later', delayMs: last + NOTIFY_QUIET_MS - now };
  }

  /** The quiet time of a held conversation ended: the toast to show (with the unread count), if any. */
  due(conversation: string, unread: number, viewVisible: boolean, now: number): string | undefined {
    const info = this.#held.get(conversation);
    this.#held.delete(conversation);
    if (!info || unread === 0 || viewVisible) return undefined;
    this.#lastShown.set(conversation, now);
    return notificationText(info, 140, unread);
  }
}
