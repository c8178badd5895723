// The lines of each conversation as the view shows them: a bounded window in time order, our own
// messages with their delivery state, event lines, and scroll-back pages. Knows nothing of who is
// in a room: it places lines and says where they went.
import type { ChatMessage, MessageStateChange } from '../client/types.ts';
import type { ChatLine, LineState } from '../../webview/messages.ts';
import type { Conversation } from './conversations.ts';
import { mentionsNick } from './mentions.ts';
import { parseSnippet } from './snippets.ts';

/** Lines kept per conversation for redraws; older pages come from the client or the server (CHATHISTORY). */
export const MAX_LINES_PER_CONVERSATION = 500;
/** Lines per scroll-back page. */
export const OLDER_PAGE_SIZE = 50;

/** Where older lines come from: what the client still holds, else a server round trip. */
export interface OlderSource {
  /** Messages the client holds for the conversation, oldest first. */
  held(): readonly ChatMessage[];
  /** CHATHISTORY BEFORE the oldest held message: resolves with that page, oldest first. */
  fetch(): Promise<readonly ChatMessage[]>;
}

/** A client message as a view line: snippet parsed, mention of `myNick` marked, own lines pending. */
export function toChatLine(m: ChatMessage, myNick: string, newId: () => string): ChatLine {
  const id = m.msgid ?? m.localId ?? newId();
  if (m.redacted) return { id, from: m.from, text: 'This message was deleted.', time: m.time.getTime(), self: m.self, kind: m.kind, deleted: true, ...(m.msgid !== undefined ? { msgid: m.msgid } : {}) };
  const mention = !m.self && mentionsNick(m.text, myNick);
  const snippet = m.kind === 'privmsg' ? parseSnippet(m.text) : undefined;
  return {
    id,
    from: m.from,
    text: m.text,
    time: m.time.getTime(),
    self: m.self,
    kind: m.kind,
    ...(m.self && m.localId !== undefined && m.msgid === undefined ? { state: 'pending' as LineState } : {}),
    ...(mention ? { mention: true } : {}),
    ...(snippet ? { snippet } : {}),
    ...(m.msgid !== undefined ? { msgid: m.msgid } : {}),
    ...(m.replyTo !== undefined ? { replyTo: { id: m.replyTo } } : {}),
  };
}

/** What a delivery-state change did to a line, for the webview's `lineState`. */
export interface LineStateUpdate {
  conversation: string;
  id: string;
  state: LineState;
  newId?: string;
  reason?: string;
}

export class Lines {
  /** Our pending/sent messages: client localId → where its line is. */
  readonly #sent = new Map<string, { conversation: string; lineId: string }>();
  #seq = 0;

  newId(prefix: 'm' | 'ev'): string {
    return `${prefix}${++this.#seq}`;
  }

  /** Remembers where our own message's line is, to follow its delivery state. */
  track(localId: string, conversation: string, lineId: string): void {
    this.#sent.set(localId, { conversation, lineId });
  }

  /** The client localId behind a line (for retry). */
  localIdOf(conversation: string, lineId: string): string | undefined {
    for (const [localId, where] of this.#sent) if (where.conversation === conversation && where.lineId === lineId) return localId;
    return undefined;
  }

  /** The conversation's lines went away (removed, cleared). */
  forget(conversation: string): void {
    for (const [localId, where] of this.#sent) if (where.conversation === conversation) this.#sent.delete(localId);
  }

  clear(): void {
    this.#sent.clear();
  }

  /** Conversation ids changed (another CASEMAPPING). */
  rekey(ids: ReadonlyMap<string, string>): void {
    for (const where of this.#sent.values()) where.conversation = ids.get(where.conversation) ?? where.conversation;
  }

  /** Places a line in time order: 'append' when last, 'middle' before others, undefined if cleared or held. */
  add(c: Conversation, line: ChatLine): 'append' | 'middle' | undefined {
    if (c.clearedAt !== undefined && line.time < c.clearedAt && !line.state) return undefined;
    if (c.lines.some((l) => l.id === line.id)) return undefined;
    let i = c.lines.length;
    while (i > 0 && c.lines[i - 1]!.time > line.time) i--;
    c.lines.splice(i, 0, line);
    const appended = i === c.lines.length - 1;
    if (c.lines.length > MAX_LINES_PER_CONVERSATION) {
      const dropped = c.lines.splice(0, c.lines.length - MAX_LINES_PER_CONVERSATION);
      c.hasOlder = true;
      for (const d of dropped) {
        const localId = this.localIdOf(c.id, d.id);
        if (localId !== undefined) this.#sent.delete(localId);
      }
    }
    return appended ? 'append' : 'middle';
  }

  /** An event line: it happens as it arrives, never before a line already shown (server clocks run ahead). */
  eventLine(c: Conversation, text: string, from: string, now: number): ChatLine {
    const time = Math.max(now, c.lines.at(-1)?.time ?? 0);
    return { id: this.newId('ev'), from, text, time, self: false, kind: 'event' };
  }

  /** Our message's delivery state changed (and maybe its id: the server's msgid). */
  deliveryChanged(change: MessageStateChange, find: (id: string) => Conversation | undefined): LineStateUpdate | undefined {
    const where = this.#sent.get(change.localId);
    if (!where) return undefined;
    const c = find(where.conversation);
    const i = c ? c.lines.findIndex((l) => l.id === where.lineId) : -1;
    if (!c || i < 0) return undefined;
    const old = c.lines[i]!;
    const newId = change.msgid !== undefined && change.msgid !== old.id && !c.lines.some((l) => l.id === change.msgid) ? change.msgid : undefined;
    const { reason: _r, ...rest } = old;
    const line: ChatLine = {
      ...rest,
      id: newId ?? old.id,
      ...(change.msgid !== undefined ? { msgid: change.msgid } : {}),
      state: change.state,
      ...(change.time ? { time: change.time.getTime() } : {}),
      ...(change.state === 'failed' || change.state === 'stored' ? (change.reason !== undefined ? { reason: change.reason } : {}) : {}),
    };
    c.lines[i] = line;
    where.lineId = line.id;
    return { conversation: c.id, id: old.id, state: change.state, ...(newId !== undefined ? { newId } : {}), ...(line.reason !== undefined ? { reason: line.reason } : {}) };
  }

  /**
   * The next older page: from what the client still holds (the window keeps fewer lines than the
   * client), else from the server. Returns the lines put in front.
   */
  async older(c: Conversation, source: OlderSource, toLine: (m: ChatMessage) => ChatLine): Promise<ChatLine[]> {
    const oldest = c.lines.find((l) => l.kind !== 'event')?.time ?? Infinity;
    const ids = new Set(c.lines.map((l) => l.id));
    const held = source.held().filter((m) => m.time.getTime() <= oldest && !ids.has(m.msgid ?? m.localId ?? ''));
    let page: readonly ChatMessage[];
    let more: boolean;
    if (held.length > 0) {
      page = held.slice(-OLDER_PAGE_SIZE);
      more = true;
    } else {
      page = await source.fetch().catch(() => []);
      more = page.length > 0;
    }
    const lines = page.map(toLine).filter((l) => !ids.has(l.id) && l.time <= oldest && (c.clearedAt === undefined || l.time >= c.clearedAt));
    c.lines.unshift(...lines);
    c.hasOlder = more && lines.length > 0;
    return lines;
  }
}
