// Server tags on user-sourced lines, each sent only to receivers that negotiated its capability:
// `time` (server-time), `account` (account-tag), `msgid` (message-tags). See outgoing.ts.
import { CAP } from '../protocol/caps.ts';
import type { Client } from './client.ts';
import type { TagSpec } from './outgoing.ts';

/** ISO 8601 with milliseconds in UTC, as server-time requires. */
export function serverTime(ms: number = Date.now()): string {
  return new Date(ms).toISOString();
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
  for (const [key, value] of Object.entries(clientTags)) tags.push({ key, value, cap: CAP.messageTags });
  return tags;
}
