// draft/chathistory requests and their pages (https://ircv3.net/specs/extensions/chathistory):
// LATEST on join, BEFORE the oldest message we hold when the user scrolls up (loadOlder). Replies
// come as a `chathistory` batch (batches.ts), matched to requests by target in order.
import { CAP } from '../../protocol/caps.ts';
import { ircMessage } from '../../protocol/message.ts';
import { ClientError } from './errors.ts';
import type { Emits, Link } from './link.ts';
import type { ChatMessage } from './types.ts';

/** Direct conversations restored at connect (each costs one CHATHISTORY request). */
export const MAX_DM_TARGETS = 20;

/** What a history request needs of the connection. */
type Requester = Pick<Link, 'hasCap' | 'isupport' | 'send' | 'state'>;

interface Pending {
  kind: 'latest' | 'before' | 'around';
  resolve: (messages: ChatMessage[]) => void;
  reject: (err: ClientError) => void;
}

export class History {
  readonly #pending = new Map<string, Pending[]>();

  supported(s: Pick<Link, 'hasCap'>): boolean {
    return s.hasCap(CAP.chathistory) && s.hasCap(CAP.batch);
  }

  /** Page size within the server's ISUPPORT CHATHISTORY limit. */
  limit(s: Pick<Link, 'isupport'>, wanted: number): number {
    const max = Number(s.isupport.get('CHATHISTORY'));
    return Number.isFinite(max) && max > 0 ? Math.min(wanted, max) : wanted;
  }

  /**
   * CHATHISTORY LATEST: what was said before we came. After a reconnect, bounded by the newest
   * msgid we hold (`LATEST <target> msgid=<id> <limit>` returns only what came after it), so a
   * rejoin fills the gap without replaying what we have.
   */
  latest(s: Requester, target: string, limit: number, kind: Pending['kind'] = 'latest'): Promise<ChatMessage[]> {
    if (!this.supported(s) || limit <= 0) return Promise.resolve([]);
    const conv = s.state.conversations.get(s.state.fold(target));
    const newest = conv?.messages.findLast((m) => m.msgid !== undefined);
    const bound = newest ? `msgid=${newest.msgid}` : '*';
    return this.#request(s, target, kind, ['LATEST', target, bound, String(this.limit(s, limit))]);
  }

  /** CHATHISTORY BEFORE <target> <oldest we hold> <limit>. */
  before(s: Requester, target: string, limit: number): Promise<ChatMessage[]> {
    if (!this.supported(s)) return Promise.resolve([]);
    const conv = s.state.conversations.get(s.state.fold(target));
    const oldest = conv?.messages.find((m) => !m.localId || m.msgid !== undefined);
    // Nothing held yet: the newest page is the "older" one. Its messages are returned, not fired.
    if (!oldest) return this.latest(s, target, limit, 'before');
    const anchor = oldest.msgid !== undefined ? `msgid=${oldest.msgid}` : `timestamp=${oldest.time.toISOString()}`;
    return this.#request(s, target, 'before', ['BEFORE', target, anchor, String(this.limit(s, limit))]);
  }

  /**
   * CHATHISTORY AROUND <target> msgid=<id> <limit>: the message and its neighbours (a reply's
   * parent, a search hit). Resolves with the whole page; neither recorded nor fired (see received).
   */
  around(s: Requester, target: string, msgid: string, limit: number): Promise<ChatMessage[]> {
    if (!this.supported(s)) return Promise.resolve([]);
    return this.#request(s, target, 'around', ['AROUND', target, `msgid=${msgid}`, String(this.limit(s, limit))]);
  }

  #request(s: Requester, target: string, kind: Pending['kind'], params: string[]): Promise<ChatMessage[]> {
    return new Promise((resolve, reject) => {
      const key = s.state.fold(target);
      const list = this.#pending.get(key) ?? [];
      list.push({ kind, resolve, reject });
      this.#pending.set(key, list);
      s.send(ircMessage('CHATHISTORY', params));
    });
  }

  /** A chathistory batch ended: record new messages, announce them, settle the request. */
  received(s: Pick<Link, 'state'> & Emits<'message' | 'historyPage'>, target: string, messages: ChatMessage[]): void {
    const key = s.state.fold(target);
    const list = this.#pending.get(key);
    const req = list?.shift();
    if (list && list.length === 0) this.#pending.delete(key);
    messages.sort((a, b) => a.time.getTime() - b.time.getTime());
    let fresh: ChatMessage[];
    if (req?.kind === 'around') {
      // A page away from what is held: not recorded, so what is held stays gapless (BEFORE anchors on it).
      req.resolve(messages);
      return;
    }
    if (req?.kind === 'before') {
      // An older page goes in newest first, each before the equal-time messages already held, so
      // the server's order survives timestamp ties (a millisecond can hold several messages).
      const added = new Set<ChatMessage>();
      for (let i = messages.length - 1; i >= 0; i--) if (s.state.addMessage(messages[i]!, true)) added.add(messages[i]!);
      fresh = messages.filter((m) => added.has(m));
    } else {
      fresh = messages.filter((m) => s.state.addMessage(m));
    }
    if (fresh.length === 0 && !req) return;
    if (req?.kind !== 'before') for (const m of fresh) s.emit({ type: 'message', message: m });
    s.emit({ type: 'historyPage', page: { target: req ? (s.state.conversations.get(key)?.target ?? target) : target, messages: fresh } });
    req?.resolve(fresh);
  }

  /** FAIL CHATHISTORY ...: settle the request for that target (or the oldest one). */
  failed(s: Pick<Link, 'state'>, target: string | undefined, reason: string, code: string): void {
    let key = target !== undefined ? s.state.fold(target) : undefined;
    if (key === undefined || !this.#pending.has(key)) key = this.#pending.keys().next().value;
    if (key === undefined) return;
    const list = this.#pending.get(key)!;
    const req = list.shift();
    if (list.length === 0) this.#pending.delete(key);
    req?.reject(new ClientError('protocol', `History unavailable: ${reason}`, { serverCode: code }));
  }

  /**
   * CHATHISTORY TARGETS for the last `days`: which direct conversations had messages. Rooms get
   * their history on join; each DM partner found gets a LATEST page, so private conversations are
   * there after a restart too. Capped, since each target is one more request.
   */
  requestTargets(s: Pick<Link, 'hasCap' | 'isupport' | 'send'>, days = 30): void {
    if (!this.supported(s)) return;
    const now = Date.now();
    const from = new Date(now - days * 86_400_000).toISOString();
    // A little ahead of now: our clock and the server's may differ.
    const to = new Date(now + 86_400_000).toISOString();
    s.send(ircMessage('CHATHISTORY', ['TARGETS', `timestamp=${from}`, `timestamp=${to}`, String(this.limit(s, MAX_DM_TARGETS))]));
  }

  /** The targets batch ended: fetch the latest page of each direct conversation. */
  targetsReceived(s: Requester & Pick<Link, 'isChannel' | 'isMe'>, targets: Array<{ target: string; time?: Date }>, perTarget: number): void {
    const dms = targets
      .filter((t) => !s.isChannel(t.target) && !s.isMe(t.target))
      .sort((a, b) => (b.time?.getTime() ?? 0) - (a.time?.getTime() ?? 0))
      .slice(0, MAX_DM_TARGETS);
    for (const t of dms) this.latest(s, t.target, perTarget).catch(() => {});
  }

  /** The link dropped: nobody waits forever. */
  abortAll(reason: string): void {
    for (const list of this.#pending.values()) for (const req of list) req.reject(new ClientError('closed', reason));
    this.#pending.clear();
  }
}
