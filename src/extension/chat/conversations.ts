// The conversations the view lists (rooms and direct messages), keyed by their name folded as the
// server compares names, with what the list shows of each: joined, unread and mention counts,
// topic. Which one is open lives here too. Lines are lines.ts's, members and presence people.ts's.
import { casefold, type Casemapping } from '../../protocol/casemap.ts';
import type { MemberInfo } from '../client/types.ts';
import type { ChatLine, ConversationView, Presence } from '../../webview/messages.ts';

export interface Conversation {
  id: string;
  name: string;
  readonly kind: 'room' | 'dm';
  joined: boolean;
  unread: number;
  mentions: number;
  topic?: string;
  lines: ChatLine[];
  hasOlder: boolean;
  /** Chat: Clear Transcript: lines before this time stay out of the view. */
  clearedAt?: number;
  typing: Set<string>;
  /** Rooms: members by folded nick. */
  members: Map<string, MemberInfo>;
  loadingOlder?: Promise<void>;
  /**
   * A page around an older message (a reply's parent, a search hit: CHATHISTORY AROUND), shown
   * instead of `lines` until the conversation is opened again. Live lines still go to `lines`.
   */
  aroundLines?: ChatLine[];
}

export class Conversations {
  readonly #all = new Map<string, Conversation>();
  #casemapping: Casemapping = 'rfc1459';
  /** The open conversation. */
  active: string | undefined;
  /** Rooms the user asked to join (Chat: Join Room): opened when the JOIN arrives. */
  readonly openOnJoin = new Set<string>();
  /** The server keeps history: a new conversation may have older lines. */
  historyAvailable = false;

  get casemapping(): Casemapping {
    return this.#casemapping;
  }

  /** A name as the server compares it (ISUPPORT CASEMAPPING). */
  fold(name: string): string {
    return casefold(name, this.#casemapping);
  }

  get(id: string): Conversation | undefined {
    return this.#all.get(id);
  }

  byName(name: string): Conversation | undefined {
    return this.#all.get(this.fold(name));
  }

  get activeConversation(): Conversation | undefined {
    return this.active !== undefined ? this.#all.get(this.active) : undefined;
  }

  values(): IterableIterator<Conversation> {
    return this.#all.values();
  }

  /** The conversation called `name`, created if new (`created` then: the list changed). */
  ensure(name: string, kind: 'room' | 'dm'): { c: Conversation; created: boolean } {
    const id = this.fold(name);
    const existing = this.#all.get(id);
    if (existing) return { c: existing, created: false };
    const c: Conversation = { id, name, kind, joined: kind === 'dm', unread: 0, mentions: 0, lines: [], hasOlder: this.historyAvailable, typing: new Set(), members: new Map() };
    this.#all.set(id, c);
    return { c, created: true };
  }

  /** Makes it the open one, read. */
  open(id: string): boolean {
    const c = this.#all.get(id);
    if (!c) return false;
    this.active = id;
    c.unread = 0;
    c.mentions = 0;
    return true;
  }

  /** Read up to now; returns whether the counts changed. */
  markRead(id: string): boolean {
    const c = this.#all.get(id);
    if (!c || (c.unread === 0 && c.mentions === 0)) return false;
    c.unread = 0;
    c.mentions = 0;
    return true;
  }

  /** Chat: Clear Transcript: no lines, none older, nothing unread; lines before `now` stay out. */
  clearLines(id: string, now: number): boolean {
    const c = this.#all.get(id);
    if (!c) return false;
    c.lines = [];
    c.clearedAt = now;
    c.hasOlder = false;
    c.unread = 0;
    c.mentions = 0;
    return true;
  }

  /** Removes it; the open one moves to the first left. */
  delete(id: string): boolean {
    if (!this.#all.delete(id)) return false;
    if (this.active === id) this.active = this.#all.keys().next().value;
    return true;
  }

  clear(): void {
    this.#all.clear();
    this.active = undefined;
  }

  /** Rooms first, then direct messages, each by id. */
  sorted(): Conversation[] {
    const order = (c: Conversation) => (c.kind === 'room' ? 0 : 1);
    return [...this.#all.values()].sort((a, b) => order(a) - order(b) || a.id.localeCompare(b.id));
  }

  /** Another CASEMAPPING: re-keys everything by it; returns old id → new id. */
  setCasemapping(mapping: Casemapping): Map<string, string> {
    this.#casemapping = mapping;
    const ids = new Map<string, string>();
    const all = [...this.#all.values()];
    this.#all.clear();
    for (const c of all) {
      const id = this.fold(c.name);
      ids.set(c.id, id);
      c.id = id;
      c.members = new Map([...c.members.values()].map((m) => [this.fold(m.nick), m]));
      this.#all.set(id, c);
    }
    const open = [...this.openOnJoin];
    this.openOnJoin.clear();
    for (const id of open) this.openOnJoin.add(ids.get(id) ?? id);
    if (this.active !== undefined) this.active = ids.get(this.active) ?? this.active;
    return ids;
  }
}

/** Counts an incoming line; returns whether it counted as unread. Writing there reads it. */
export function countLine(c: Conversation, line: { self: boolean; history: boolean; mention: boolean }, readOnScreen: boolean): { unread: boolean; changed: boolean } {
  if (line.self && !line.history && (c.unread > 0 || c.mentions > 0)) {
    c.unread = 0;
    c.mentions = 0;
    return { unread: false, changed: true };
  }
  const unread = !line.self && !line.history && !readOnScreen;
  if (!unread) return { unread: false, changed: false };
  c.unread += 1;
  if (line.mention || c.kind === 'dm') c.mentions += 1;
  return { unread: true, changed: true };
}

export function conversationView(c: Conversation, presence: Presence | undefined, statusMessage?: string): ConversationView {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    joined: c.joined,
    unread: c.unread,
    mentions: c.mentions,
    ...(c.topic !== undefined ? { topic: c.topic } : {}),
    ...(presence !== undefined ? { presence } : {}),
    ...(statusMessage !== undefined && statusMessage !== '' ? { statusMessage } : {}),
  };
}
