// Server-side search (soju.im/search, https://soju.im/doc/ext/search.html):
// `SEARCH in=#room;from=nick;after=<time>;before=<time>;text=words;limit=N`, answered by a batch
// of the matching PRIVMSG/NOTICE lines (with msgid and time tags), or `FAIL SEARCH <code> :text`.
// No server without the capability is ever asked.
//
// Answers are matched to requests by label where labeled-response is on, else by order (a server
// answers a client's commands in order). Either way a request that gets no answer within
// SEARCH_TIMEOUT_MS is rejected, so the user is told instead of waiting on a spinner; an
// unlabeled one keeps its place in the queue, so a late answer is dropped rather than taken for
// the next search's.
import { CAP } from '../../protocol/caps.ts';
import { ircMessage } from '../../protocol/message.ts';
import { escapeTagValue } from '../../protocol/tags.ts';
import { ClientError } from './errors.ts';
import type { Link } from './link.ts';
import type { ChatMessage, SearchHit, SearchQuery } from './types.ts';

/** Results asked for when the query does not say. */
export const DEFAULT_SEARCH_LIMIT = 50;
/** How long a search may go unanswered before the user is told. */
export const SEARCH_TIMEOUT_MS = 20_000;

interface Pending {
  readonly label: string | undefined;
  resolve: (hits: SearchHit[]) => void;
  reject: (err: ClientError) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Timed out: already rejected, waiting only to swallow a late answer (unlabeled). */
  expired: boolean;
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
  #nextLabel = 1;
  readonly #timeoutMs: number;

  constructor(timeoutMs = SEARCH_TIMEOUT_MS) {
    this.#timeoutMs = timeoutMs;
  }

  supported(s: Pick<Link, 'hasCap'>): boolean {
    return s.hasCap(CAP.search) && s.hasCap(CAP.batch);
  }

  request(s: Pick<Link, 'hasCap' | 'send'>, q: SearchQuery): Promise<SearchHit[]> {
    if (!this.supported(s)) return Promise.reject(new ClientError('protocol', 'The server does not support search'));
    const label = s.hasCap(CAP.labeledResponse) ? `search${this.#nextLabel++}` : undefined;
    return new Promise((resolve, reject) => {
      const p: Pending = { label, resolve, reject, timer: undefined, expired: false };
      p.timer = setTimeout(() => this.#expire(p), this.#timeoutMs);
      this.#pending.push(p);
      s.send(ircMessage('SEARCH', [searchAttributes(q)], undefined, label !== undefined ? { label } : {}));
    });
  }

  /** Whether `label` names a search we wait for (its ACK or error numeric is then ours). */
  owns(label: string): boolean {
    return this.#pending.some((p) => p.label === label);
  }

  /** A search batch ended: its messages, newest first, settle the request it answers. */
  received(messages: readonly ChatMessage[], label?: string): void {
    const hits = messages
      .map((m): SearchHit => ({ target: m.target, from: m.from, text: m.text, time: m.time, ...(m.msgid !== undefined ? { msgid: m.msgid } : {}) }))
      .sort((a, b) => b.time.getTime() - a.time.getTime());
    this.#take(label)?.resolve(hits);
  }

  /** FAIL SEARCH <code> :<text>, or an error numeric labeled for a search. */
  failed(reason: string, code: string, label?: string): void {
    this.#take(label)?.reject(new ClientError('protocol', `Search failed: ${reason}`, { serverCode: code }));
  }

  abortAll(reason: string): void {
    for (const p of this.#pending.splice(0)) {
      clearTimeout(p.timer);
      if (!p.expired) p.reject(new ClientError('closed', reason));
    }
  }

  /** The request an answer belongs to, removed from the queue; undefined for an expired one. */
  #take(label: string | undefined): Pending | undefined {
    // A label we do not wait for (a search that timed out) answers nothing.
    const i = this.#pending.findIndex((p) => p.label === label);
    if (i < 0) return undefined;
    const [p] = this.#pending.splice(i, 1);
    clearTimeout(p!.timer);
    return p!.expired ? undefined : p;
  }

  #expire(p: Pending): void {
    p.expired = true;
    // A labeled answer can no longer be mistaken for another's: forget the request.
    if (p.label !== undefined) this.#pending.splice(this.#pending.indexOf(p), 1);
    p.reject(new ClientError('timeout', 'The server did not answer the search'));
  }
}
