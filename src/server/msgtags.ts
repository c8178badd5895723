// Server tags on user-sourced lines, each sent only to receivers that negotiated its capability:
// `time` (server-time), `account` (account-tag), `msgid` (message-tags). See outgoing.ts.
import { CAP } from '../protocol/caps.ts';
import type { Client } from './client.ts';
import type { ServerContext } from './context.ts';
import type { TagSpec } from './outgoing.ts';
import { storedTagBytes } from './storage/messages.ts';

// Date#toISOString costs ~0.6 µs; a history page stamps 100 lines and every relay one. Messages
// close in time share their second, so the "YYYY-MM-DDThh:mm:ss." part is kept for the last second
// seen and only the milliseconds are appended.
/** ECMAScript's time range: ±100,000,000 days from 1970. */
const MAX_DATE_MS = 8.64e15;
let cachedSecond = Number.NaN;
let cachedPrefix = '';

/** ISO 8601 with milliseconds in UTC, as server-time requires: 2019-01-04T14:33:26.123Z. */
export function serverTime(ms: number = Date.now()): string {
  // Fractions, NaN and out-of-range values keep Date's own behaviour (truncation, RangeError).
  if (!Number.isInteger(ms) || Math.abs(ms) > MAX_DATE_MS) return new Date(ms).toISOString();
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    const iso = new Date(second * 1000).toISOString();
    cachedSecond = second;
    cachedPrefix = iso.slice(0, iso.length - 4); // drop "000Z"
  }
  const rest = ms - second * 1000;
  return `${cachedPrefix}${rest < 10 ? '00' : rest < 100 ? '0' : ''}${rest}Z`;
}

/** Tags for an event caused by `from` (JOIN, PART, NICK, QUIT...), stamped now. */
export function eventTags(from: Client | null, time: number = Date.now()): TagSpec[] {
  const tags: TagSpec[] = [{ key: 'time', value: serverTime(time), cap: CAP.serverTime }];
  if (from?.account) tags.push({ key: 'account', value: from.account, cap: CAP.accountTag });
  // bot-mode: everything a +B client causes is marked (features/bot.ts).
  if (from?.modes.has('B')) tags.push({ key: 'bot', value: '', cap: CAP.messageTags });
  return tags;
}

/** Tags for a stored message: its server time and msgid, plus the sender's account and its client tags. */
export function messageTags(
  from: Client,
  stored: { time: number; msgid: string },
  clientTags: Readonly<Record<string, string>> = {},
): TagSpec[] {
  const tags = eventTags(from, stored.time);
  tags.push({ key: 'msgid', value: stored.msgid, cap: CAP.messageTags });
  for (const key in clientTags) tags.push({ key, value: clientTags[key]!, cap: CAP.messageTags });
  return tags;
}

/**
 * Why a message's client-only tags are too big to store (--max-tag-bytes), or null. The answer is
 * 417 ERR_INPUTTOOLONG and the message is neither stored nor relayed: a message is never relayed
 * with tags its history would lack. No tags (the usual case) costs one property check.
 */
export function tagsTooLong(server: ServerContext, clientTags: Readonly<Record<string, string>>): string | null {
  if (Object.keys(clientTags).length === 0) return null;
  const max = server.config.limits.maxStoredTagBytes;
  const bytes = storedTagBytes(clientTags);
  return bytes > max ? `Message tags too long to store (${bytes} bytes, at most ${max}): message not sent` : null;
}
