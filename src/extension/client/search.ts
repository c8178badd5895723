// Server-side search (soju.im/search, https://soju.im/doc/ext/search.html):
// `SEARCH in=#room;from=nick;after=<time>;before=<time>;text=words;limit=N`, answered by a batch
// of the matching PRIVMSG/NOTICE lines (with msgid and time tags), or `FAIL SEARCH <code> :text`.
// Requests are answered in order; no server without the capability is ever asked.
import { CAP } from '../../protocol/caps.ts';
import { ircMessage } from '../../protocol/message.ts';
import { escapeTagValue } from '../../protocol/tags.ts';
import { ClientError } from './errors.ts';
import type { Link } from './link.ts';
import type { ChatMessage, SearchHit, SearchQuery } from './types.ts';

/** Results asked for when the query does not say. */
export const DEFAULT_SEARCH_LIMIT = 50;

interface Pending {
  resolve: (hits: SearchHit[]) => void;
  reject: (err: ClientError) => void;
}

/** The SEARCH attribute string (tag-style `key=value;…`, values escaped as message-tag values). */
export function searchAttributes(q: SearchQuery): string {
  const attrs: string[] = [];
  const add = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== '') attrs.push(`${key}=${escapeTagValue(value)}`);
  };
  add('in', q.in);
  add('from', q.from);
  add('after', q.after?.toISOString());
  add('before', q.before?.toISOString());
  add('text', q.text?.trim());
  add('limit', String(q.limit ?? DEFAULT_SEARCH_LIMIT));
  return attrs.join(';');
}

export class Search {
  readonly #pending: Pending[] = [];

  supported(s: Pick<Link, 'hasCap'>): boolean {
    return s.hasCap(CAP.search) && s.hasCap(CAP.batch);
  }

  request(s: Pick<Link, 'hasCap' | 'send'>, q: SearchQuery): Promise<SearchHit[]> {
    if (!this.supported(s)) return Promise.reject(new ClientError('protocol', 'The server does not support search'));
    return new Promise((resolve, reject) => {
      this.#pending.push({ resolve, reject });
      s.send(ircMessage('SEARCH', [searchAttributes(q)]));
    });
  }

  /** A search batch ended: its messages, newest first, settle the oldest request. */
  received(messages: readonly ChatMessage[]): void {
    const hits = messages
      .map((m): SearchHit => ({ target: m.target, from: m.from, text: m.text, time: m.time, ...(m.msgid !== undefined ? { msgid: m.msgid } : {}) }))
      .sort((a, b) => b.time.getTime() - a.time.getTime());
    this.#pending.shift()?.resolve(hits);
  }

  /** FAIL SEARCH <code> :<text>. */
  failed(reason: string, code: string): void {
    this.#pending.shift()?.reject(new ClientError('protocol', `Search failed: ${reason}`, { serverCode: code }));
  }

  abortAll(reason: string): void {
    for (const p of this.#pending.splice(0)) p.reject(new ClientError('closed', reason));
  }
}
