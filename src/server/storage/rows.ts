// Row <-> StoredMessage mapping shared by the writer and the history queries.
import type { MessageKind, StoredMessage } from './types.ts';

export interface MessageRow {
  id: number;
  msgid: string;
  target: string;
  target_type: 'channel' | 'dm';
  target_display: string;
  kind: MessageKind;
  source: string;
  sender_nick: string;
  sender_account: string | null;
  sender_party: string | null;
  time: number;
  text: string;
  tags: string | null;
  multiline: number;
}

export const MESSAGE_COLUMNS =
  'id, msgid, target, target_type, target_display, kind, source, sender_nick, sender_account, sender_party, time, text, tags, multiline';

export function parseTags(json: string | null): Record<string, string> {
  if (!json) return {};
  try {
    const v = JSON.parse(json) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const out: Record<string, string> = {};
      for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
      return out;
    }
  } catch {
    // a damaged tags column must not make the message unreadable
  }
  return {};
}

export function toStoredMessage(r: MessageRow): StoredMessage {
  return {
    id: Number(r.id),
    msgid: r.msgid,
    target: r.target,
    type: r.target_type,
    targetDisplay: r.target_display,
    kind: r.kind,
    source: r.source,
    senderNick: r.sender_nick,
    senderAccount: r.sender_account,
    senderParty: r.sender_party ?? null,
    time: Number(r.time),
    text: r.text,
    tags: parseTags(r.tags),
    multiline: r.multiline !== 0,
  };
}
