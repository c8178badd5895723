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
export function notificationText(info: IncomingInfo, maxChars = 140): string {
  const text = info.text.replace(/\s+/g, ' ').trim();
  const short = text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
  return info.kind === 'dm' ? `${info.from} (direct message): ${short}` : `${info.from} in ${info.name}: ${short}`;
}
