// Turns a conversation's lines into the rows the message list draws: day separators between
// days, and a `grouped` flag for a line that continues the previous sender's run (no nick/time
// header). Pure: no DOM, so it is unit-tested under Node.
import type { ChatLine } from '../messages.ts';

/** A run of messages from one sender stays one group while the gap is under this. */
export const GROUP_GAP_MS = 5 * 60_000;

export type Row =
  | { readonly kind: 'day'; readonly key: string; readonly day: string; readonly label: string }
  | { readonly kind: 'line'; readonly key: string; readonly line: ChatLine; readonly grouped: boolean };

/** The local calendar day of a time, as YYYY-MM-DD (the separator's identity). */
export function dayKey(time: number): string {
  const d = new Date(time);
  const mm = String(d.getMonth() + 1).padStart(2, '0');
  const dd = String(d.getDate()).padStart(2, '0');
  return `${d.getFullYear()}-${mm}-${dd}`;
}

/** "Today", "Yesterday", or a date such as "Mon, 3 Nov 2026". */
export function dayLabel(time: number, now: number): string {
  const key = dayKey(time);
  if (key === dayKey(now)) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (key === dayKey(yesterday.getTime())) return 'Yesterday';
  return new Date(time).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
}

/** Kinds that may join a group; events, actions and snippets always stand alone with their header. */
function groupable(line: ChatLine): boolean {
  return (line.kind === 'privmsg' || line.kind === 'notice') && line.snippet === undefined;
}

/** Whether `line` continues `prev`'s group: same sender, same kind, same day, within GROUP_GAP_MS. */
export function continuesGroup(prev: ChatLine | undefined, line: ChatLine): boolean {
  if (!prev || !groupable(prev) || !groupable(line)) return false;
  if (prev.from !== line.from || prev.kind !== line.kind || prev.self !== line.self) return false;
  const gap = line.time - prev.time;
  return gap >= 0 && gap < GROUP_GAP_MS && dayKey(prev.time) === dayKey(line.time);
}

/** Rows for `lines` (oldest first): a day separator before the first line of each day. */
export function buildRows(lines: readonly ChatLine[], now: number = Date.now()): Row[] {
  const rows: Row[] = [];
  let prev: ChatLine | undefined;
  let day = '';
  for (const line of lines) {
    const key = dayKey(line.time);
    if (key !== day) {
      day = key;
      rows.push({ kind: 'day', key: `day:${key}`, day: key, label: dayLabel(line.time, now) });
      prev = undefined;
    }
    rows.push({ kind: 'line', key: `line:${line.id}`, line, grouped: continuesGroup(prev, line) });
    prev = line;
  }
  return rows;
}
