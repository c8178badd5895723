// What the Chat view shows, kept on the extension side (the source of truth): conversations
// (rooms and direct messages) with unread and mention counts, members with presence, a bounded
// window of lines per conversation with delivery states, typing, and event lines. It posts small
// updates as things change and a full snapshot when asked (after the webview's `ready`).
// Pure (no vscode): the client events are fed in by bindClient (bind.ts); unit-tested directly.
import { casefold, type Casemapping } from '../../protocol/casemap.ts';
import type { ChatMessage, MemberInfo, MessageStateChange, Presence, TypingChange, UserInfo } from '../client/types.ts';
import type { ChatLine, ConnectionView, ConversationView, LineState, MemberView, SelfView, Snapshot, ToWebview } from '../../webview/messages.ts';
import { mentionsNick } from './mentions.ts';
import { parseSnippet } from './snippets.ts';

/** Lines kept per conversation for redraws; older pages come from the client or the server (CHATHISTORY). */
export const MAX_LINES_PER_CONVERSATION = 500;
/** Lines per scroll-back page. */
export const OLDER_PAGE_SIZE = 50;

interface Conversation {
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
  /** Rooms: members by casefolded nick. */
  members: Map<string, MemberInfo>;
  /** The next member list is the NAMES reply after our own JOIN: a baseline, not joins. */
  awaitingNames: boolean;
  loadingOlder?: Promise<void>;
}

/** What a received message meant, for notifications. */
export interface IncomingInfo {
  readonly conversation: string;
  readonly name: string;
  readonly kind: 'room' | 'dm';
  readonly from: string;
  readonly text: string;
  /** Counted as unread (not ours, not history, not read on screen). */
  readonly unread: boolean;
  readonly mention: boolean;
}

/** Where older lines come from: what the client still holds, else a server round trip. */
export interface OlderSource {
  /** Messages the client holds for the conversation, oldest first. */
  held(): readonly ChatMessage[];
  /** CHATHISTORY BEFORE the oldest held message: resolves with that page, oldest first. */
  fetch(): Promise<readonly ChatMessage[]>;
}

const PREFIX_RANK = '~&@%+';

/** A client message as a view line: snippet parsed, mention of `myNick` marked, own lines pending. */
export function toChatLine(m: ChatMessage, myNick: string, newId: () => string): ChatLine {
  const id = m.msgid ?? m.localId ?? newId();
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
  };
}

export class ChatViewModel {
  readonly #post: (message: ToWebview) => void;
  readonly #now: () => number;
  #connection: ConnectionView = { state: 'disconnected' };
  #connectTarget: string | undefined;
  #self: SelfView | undefined;
  readonly #conversations = new Map<string, Conversation>();
  readonly #users = new Map<string, UserInfo>();
  /** Our pending/sent messages: client localId -> where its line is. */
  readonly #sent = new Map<string, { conversation: string; lineId: string }>();
  #active: string | undefined;
  /** Rooms the user asked to join (Chat: Join Room): opened when the JOIN arrives. */
  readonly #openOnJoin = new Set<string>();
  #visible = false;
  /** The server's CASEMAPPING (from the client): conversation ids and member keys fold by it. */
  #casemapping: Casemapping = 'rfc1459';
  #historyAvailable = false;
  #seq = 0;
  #snapshotDue = false;
  #conversationsDue = false;
  #flushQueued = false;

  constructor(post: (message: ToWebview) => void, now: () => number = Date.now) {
    this.#post = post;
    this.#now = now;
  }

  // ---- reading ----

  /** A conversation's id: its name folded as the server compares names. */
  idOf(name: string): string {
    return this.#fold(name);
  }

  #fold(name: string): string {
    return casefold(name, this.#casemapping);
  }

  /** The server announced how it compares names: re-key everything keyed by a folded name. */
  setCasemapping(mapping: Casemapping): void {
    if (mapping === this.#casemapping) return;
    this.#casemapping = mapping;
    const ids = new Map<string, string>();
    const conversations = [...this.#conversations.values()];
    this.#conversations.clear();
    for (const c of conversations) {
      const id = this.#fold(c.name);
      ids.set(c.id, id);
      c.id = id;
      c.members = new Map([...c.members.values()].map((m) => [this.#fold(m.nick), m]));
      this.#conversations.set(id, c);
    }
    const users = [...this.#users.values()];
    this.#users.clear();
    for (const u of users) this.#users.set(this.#fold(u.nick), u);
    for (const where of this.#sent.values()) where.conversation = ids.get(where.conversation) ?? where.conversation;
    const open = [...this.#openOnJoin];
    this.#openOnJoin.clear();
    for (const id of open) this.#openOnJoin.add(ids.get(id) ?? id);
    if (this.#active !== undefined) this.#active = ids.get(this.#active) ?? this.#active;
    this.#snapshotDue = true;
    this.#schedule();
  }

  get connection(): ConnectionView {
    return this.#connection;
  }

  get active(): string | undefined {
    return this.#active;
  }

  /** Name of a conversation (as the server spells it). */
  nameOf(id: string): string | undefined {
    return this.#conversations.get(id)?.name;
  }

  kindOf(id: string): 'room' | 'dm' | undefined {
    return this.#conversations.get(id)?.kind;
  }

  joined(id: string): boolean {
    return this.#conversations.get(id)?.joined ?? false;
  }

  /** Lines held for a conversation, oldest first. */
  lines(id: string): readonly ChatLine[] {
    return this.#conversations.get(id)?.lines ?? [];
  }

  conversations(): ConversationView[] {
    const all = [...this.#conversations.values()];
    const order = (c: Conversation) => (c.kind === 'room' ? 0 : 1);
    all.sort((a, b) => order(a) - order(b) || a.id.localeCompare(b.id));
    return all.map((c) => this.#conversationView(c));
  }

  /** Total unread lines, for the status bar. */
  get unread(): number {
    let n = 0;
    for (const c of this.#conversations.values()) n += c.unread;
    return n;
  }

  /** Nicks we know of (members and DM partners), for Message User. */
  knownNicks(): string[] {
    const me = this.#self ? this.#fold(this.#self.nick) : undefined;
    return [...this.#users.values()].map((u) => u.nick).filter((n) => this.#fold(n) !== me).sort((a, b) => a.localeCompare(b));
  }

  /** The client localId behind a line (for retry). */
  localIdOf(conversation: string, lineId: string): string | undefined {
    for (const [localId, where] of this.#sent) if (where.conversation === conversation && where.lineId === lineId) return localId;
    return undefined;
  }

  snapshot(): Snapshot {
    const c = this.#active !== undefined ? this.#conversations.get(this.#active) : undefined;
    return {
      connection: this.#connection,
      self: this.#self,
      conversations: this.conversations(),
      active: c?.id,
      members: c ? this.#membersView(c) : [],
      lines: c ? [...c.lines] : [],
      hasOlder: c?.hasOlder ?? false,
      typing: c ? [...c.typing] : [],
    };
  }

  // ---- connection and self ----

  setConnection(connection: ConnectionView, self: SelfView | undefined): void {
    const wasOffline = this.#connection.state === 'disconnected';
    if (connection.state === 'disconnected') {
      const { target: _old, ...rest } = connection;
      connection = this.#connectTarget === undefined ? rest : { ...rest, target: this.#connectTarget };
    }
    this.#connection = connection;
    this.#self = self;
    this.#post({ type: 'connection', connection, self });
    // Presence is only known while connected: DM partners show offline, not a stale "away".
    if (wasOffline !== (connection.state === 'disconnected')) {
      this.#conversationsDue = true;
      this.#schedule();
    }
  }

  /** Where Chat: Connect goes with the current settings; shown while disconnected. */
  setConnectTarget(target: string | undefined): void {
    if (target === this.#connectTarget) return;
    this.#connectTarget = target;
    if (this.#connection.state === 'disconnected') this.setConnection(this.#connection, this.#self);
  }

  setSelf(self: SelfView | undefined): void {
    this.#self = self;
    this.#post({ type: 'connection', connection: this.#connection, self });
  }

  /** The server keeps history (draft/chathistory): conversations may have older lines. */
  setHistoryAvailable(available: boolean): void {
    this.#historyAvailable = available;
  }

  setViewVisible(visible: boolean): void {
    this.#visible = visible;
    if (visible && this.#active !== undefined) this.markRead(this.#active);
  }

  get viewVisible(): boolean {
    return this.#visible;
  }

  /** Forget everything (a connection to another server). */
  reset(): void {
    this.#conversations.clear();
    this.#users.clear();
    this.#sent.clear();
    this.#active = undefined;
    this.#snapshotDue = true;
    this.#schedule();
  }

  // ---- conversations ----

  #ensure(name: string, kind: 'room' | 'dm'): Conversation {
    const id = this.#fold(name);
    let c = this.#conversations.get(id);
    if (!c) {
      c = {
        id,
        name,
        kind,
        joined: kind === 'dm',
        unread: 0,
        mentions: 0,
        lines: [],
        hasOlder: this.#historyAvailable,
        typing: new Set(),
        members: new Map(),
        awaitingNames: false,
      };
      this.#conversations.set(id, c);
      this.#conversationsDue = true;
      this.#schedule();
    }
    return c;
  }

  /** Opens a conversation in the view (everything it shows changes: a snapshot). */
  open(id: string): boolean {
    const c = this.#conversations.get(id);
    if (!c) return false;
    this.#active = id;
    c.unread = 0;
    c.mentions = 0;
    this.#snapshotDue = true;
    this.#schedule();
    return true;
  }

  /** Opens the room once we are in it (Chat: Join Room). */
  openWhenJoined(id: string): void {
    if (this.#conversations.get(id)?.joined) this.open(id);
    else this.#openOnJoin.add(id);
  }

  /** When Chat: Clear Transcript last cleared the conversation (ms), if it did. */
  clearedAt(id: string): number | undefined {
    return this.#conversations.get(id)?.clearedAt;
  }

  /** Opens (creating) the direct conversation with `nick`; returns its id. */
  openDm(nick: string): string {
    const c = this.#ensure(nick, 'dm');
    this.open(c.id);
    return c.id;
  }

  /** Removes a conversation from the list (a DM closed, a room left). */
  remove(id: string): void {
    if (!this.#conversations.delete(id)) return;
    for (const [localId, where] of this.#sent) if (where.conversation === id) this.#sent.delete(localId);
    if (this.#active === id) this.#active = this.#conversations.keys().next().value;
    this.#snapshotDue = true;
    this.#schedule();
  }

  markRead(id: string): void {
    const c = this.#conversations.get(id);
    if (!c || (c.unread === 0 && c.mentions === 0)) return;
    c.unread = 0;
    c.mentions = 0;
    this.#conversationsDue = true;
    this.#schedule();
  }

  /** Chat: Clear Transcript: empties the view of the conversation; the server's history is untouched. */
  clear(id: string): boolean {
    const c = this.#conversations.get(id);
    if (!c) return false;
    c.lines = [];
    c.clearedAt = this.#now();
    c.hasOlder = false;
    c.unread = 0;
    c.mentions = 0;
    for (const [localId, where] of this.#sent) if (where.conversation === id) this.#sent.delete(localId);
    this.#post({ type: 'cleared', conversation: id });
    this.#conversationsDue = true;
    this.#schedule();
    return true;
  }

  // ---- lines ----

  #lineFrom(m: ChatMessage): ChatLine {
    return toChatLine(m, this.#self?.nick ?? '', () => `m${++this.#seq}`);
  }

  /** Inserts in time order; returns the position ('append' when last), or undefined if already held. */
  #insert(c: Conversation, line: ChatLine): 'append' | 'middle' | undefined {
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

  #addLine(c: Conversation, line: ChatLine): boolean {
    if (c.clearedAt !== undefined && line.time < c.clearedAt && !line.state) return false;
    const where = this.#insert(c, line);
    if (where === undefined) return false;
    if (c.id !== this.#active) return true;
    if (where === 'append') this.#post({ type: 'lines', conversation: c.id, lines: [line], position: 'append' });
    else {
      // History that belongs before lines already shown (a LATEST page after a live line): redraw once.
      this.#snapshotDue = true;
      this.#schedule();
    }
    return true;
  }

  /** A chat message: received, replayed from history, or our own at send time. */
  message(m: ChatMessage, isChannel: boolean): IncomingInfo | undefined {
    const kind = isChannel ? 'room' : 'dm';
    const c = this.#ensure(m.target, kind);
    if (c.name !== m.target && kind === 'dm') c.name = m.target;
    const line = this.#lineFrom(m);
    if (m.self && m.localId !== undefined) this.#sent.set(m.localId, { conversation: c.id, lineId: line.id });
    if (c.typing.delete(m.from) && c.id === this.#active) this.#post({ type: 'typing', conversation: c.id, nicks: [...c.typing] });
    if (this.#active === undefined) {
      this.#active = c.id;
      this.#snapshotDue = true;
      this.#schedule();
    }
    if (!this.#addLine(c, line)) return undefined;
    const readOnScreen = this.#visible && this.#active === c.id;
    const unread = !m.self && !m.history && !readOnScreen;
    if (m.self && !m.history && (c.unread > 0 || c.mentions > 0)) {
      // Writing in a conversation means having read it.
      c.unread = 0;
      c.mentions = 0;
      this.#conversationsDue = true;
    }
    if (unread) {
      c.unread += 1;
      if (line.mention || kind === 'dm') c.mentions += 1;
      this.#conversationsDue = true;
    }
    if (this.#conversationsDue) this.#schedule();
    return { conversation: c.id, name: c.name, kind, from: m.from, text: m.text, unread, mention: line.mention === true };
  }

  /** Our message's delivery state changed (and maybe its id: the server's msgid). */
  messageState(change: MessageStateChange): void {
    const where = this.#sent.get(change.localId);
    if (!where) return;
    const c = this.#conversations.get(where.conversation);
    const i = c ? c.lines.findIndex((l) => l.id === where.lineId) : -1;
    if (!c || i < 0) return;
    const old = c.lines[i]!;
    const newId = change.msgid !== undefined && change.msgid !== old.id && !c.lines.some((l) => l.id === change.msgid) ? change.msgid : undefined;
    const { reason: _r, ...rest } = old;
    const line: ChatLine = {
      ...rest,
      id: newId ?? old.id,
      state: change.state,
      ...(change.time ? { time: change.time.getTime() } : {}),
      ...(change.state === 'failed' || change.state === 'stored' ? (change.reason !== undefined ? { reason: change.reason } : {}) : {}),
    };
    c.lines[i] = line;
    where.lineId = line.id;
    if (c.id !== this.#active) return;
    this.#post({
      type: 'lineState',
      conversation: c.id,
      id: old.id,
      state: change.state,
      ...(newId !== undefined ? { newId } : {}),
      ...(line.reason !== undefined ? { reason: line.reason } : {}),
    });
  }

  #event(c: Conversation, text: string, from = ''): void {
    // Events happen as they arrive: never before a line already shown, even if the server's clock
    // (server-time on messages) runs ahead of ours.
    const time = Math.max(this.#now(), c.lines.at(-1)?.time ?? 0);
    this.#addLine(c, { id: `ev${++this.#seq}`, from, text, time, self: false, kind: 'event' });
  }

  // ---- rooms ----

  /** We joined a room (also after a reconnect). */
  roomJoined(name: string, members: readonly MemberInfo[] = []): void {
    const c = this.#ensure(name, 'room');
    c.name = name;
    c.members = new Map(members.map((m) => [this.#fold(m.nick), { ...m }]));
    const wasJoined = c.joined;
    c.joined = true;
    c.awaitingNames = true;
    if (!wasJoined) this.#event(c, `You joined ${name}`);
    if (this.#openOnJoin.delete(c.id)) this.open(c.id);
    else if (this.#active === undefined) {
      this.#active = c.id;
      this.#snapshotDue = true;
    }
    this.#conversationsDue = true;
    this.#schedule();
  }

  /** We left: parted, kicked, or the link dropped (the client rejoins then). */
  roomLeft(name: string, how: 'parted' | 'kicked' | 'disconnected', by?: string, message?: string): void {
    const c = this.#conversations.get(this.#fold(name));
    if (!c) return;
    const wasJoined = c.joined;
    c.joined = false;
    c.members.clear();
    c.typing.clear();
    if (how === 'kicked') this.#event(c, `You were removed from ${c.name} by ${by ?? 'the server'}${message ? ` (${message})` : ''}`);
    else if (how === 'parted' && wasJoined) this.#event(c, `You left ${c.name}`);
    if (c.id === this.#active) this.#post({ type: 'members', conversation: c.id, members: [] });
    this.#conversationsDue = true;
    this.#schedule();
  }

  /**
   * The member list changed. The client says who caused it (`by`) and why (`message`) but not
   * what; the difference to the previous list tells joins, parts, quits, kicks and nick changes.
   */
  roomMembers(name: string, members: readonly MemberInfo[], by?: string, message?: string): void {
    const c = this.#ensure(name, 'room');
    const before = c.members;
    const after = new Map(members.map((m) => [this.#fold(m.nick), { ...m }]));
    c.members = after;
    for (const m of members) {
      const key = this.#fold(m.nick);
      if (!this.#users.has(key)) this.#users.set(key, { nick: m.nick, presence: 'online' });
    }
    const baseline = c.awaitingNames && by === undefined;
    if (baseline) c.awaitingNames = false;
    else {
      const added = [...after.keys()].filter((k) => !before.has(k)).map((k) => after.get(k)!.nick);
      const removed = [...before.keys()].filter((k) => !after.has(k)).map((k) => before.get(k)!.nick);
      if (by !== undefined && message !== undefined && added.length === 1 && removed.length === 1 && this.#fold(removed[0]!) === this.#fold(by)) {
        this.#event(c, `${by} is now known as ${added[0]}`, by);
      } else {
        for (const nick of added) this.#event(c, `${nick} joined`, nick);
        for (const nick of removed) {
          const why = message ? ` (${message})` : '';
          if (by === undefined || this.#fold(by) === this.#fold(nick)) this.#event(c, `${nick} left${why}`, nick);
          else this.#event(c, `${nick} was removed by ${by}${why}`, nick);
        }
      }
    }
    if (c.id === this.#active) this.#post({ type: 'members', conversation: c.id, members: this.#membersView(c) });
  }

  roomTopic(name: string, topic: string | undefined, by?: string): void {
    const c = this.#ensure(name, 'room');
    const changed = (c.topic ?? '') !== (topic ?? '');
    if (topic === undefined || topic === '') delete c.topic;
    else c.topic = topic;
    if (changed && by !== undefined) this.#event(c, topic ? `${by} changed the topic to: ${topic}` : `${by} cleared the topic`, by);
    if (changed) {
      this.#conversationsDue = true;
      this.#schedule();
    }
  }

  // ---- people ----

  user(u: UserInfo): void {
    const key = this.#fold(u.nick);
    this.#users.set(key, { ...u });
    const active = this.#active !== undefined ? this.#conversations.get(this.#active) : undefined;
    if (active?.kind === 'room' && active.members.has(key)) {
      this.#post({ type: 'members', conversation: active.id, members: this.#membersView(active) });
    }
    if (this.#conversations.get(key)?.kind === 'dm') {
      this.#conversationsDue = true;
      this.#schedule();
    }
  }

  presenceOf(nick: string): Presence {
    if (this.#connection.state === 'disconnected') return 'offline';
    return this.#users.get(this.#fold(nick))?.presence ?? 'offline';
  }

  typing(change: TypingChange): void {
    const c = this.#conversations.get(this.#fold(change.target));
    if (!c || (this.#self && this.#fold(change.nick) === this.#fold(this.#self.nick))) return;
    const had = c.typing.has(change.nick);
    if (change.state === 'done') c.typing.delete(change.nick);
    else c.typing.add(change.nick);
    if (had === c.typing.has(change.nick)) return;
    if (c.id === this.#active) this.#post({ type: 'typing', conversation: c.id, nicks: [...c.typing] });
  }

  // ---- scroll-back ----

  /**
   * The view scrolled to the top: the next older page, from what the client still holds (the
   * window keeps fewer lines than the client) or else from the server.
   */
  loadOlder(id: string, source: OlderSource): Promise<void> {
    const c = this.#conversations.get(id);
    if (!c || !c.hasOlder) return Promise.resolve();
    c.loadingOlder ??= this.#loadOlder(c, source).finally(() => {
      delete c.loadingOlder;
    });
    return c.loadingOlder;
  }

  async #loadOlder(c: Conversation, source: OlderSource): Promise<void> {
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
    const lines = page
      .map((m) => this.#lineFrom(m))
      .filter((l) => !ids.has(l.id) && l.time <= oldest && (c.clearedAt === undefined || l.time >= c.clearedAt));
    c.lines.unshift(...lines);
    c.hasOlder = more && lines.length > 0;
    if (c.id === this.#active) this.#post({ type: 'lines', conversation: c.id, lines, position: 'prepend', hasOlder: c.hasOlder });
  }

  // ---- views ----

  #conversationView(c: Conversation): ConversationView {
    const presence = c.kind === 'dm' ? this.presenceOf(c.name) : undefined;
    return {
      id: c.id,
      name: c.name,
      kind: c.kind,
      joined: c.joined,
      unread: c.unread,
      mentions: c.mentions,
      ...(c.topic !== undefined ? { topic: c.topic } : {}),
      ...(presence !== undefined ? { presence } : {}),
    };
  }

  #membersView(c: Conversation): MemberView[] {
    if (c.kind !== 'room') return [];
    const rank = (p: string) => (p === '' ? PREFIX_RANK.length : PREFIX_RANK.indexOf(p[0]!) < 0 ? PREFIX_RANK.length - 1 : PREFIX_RANK.indexOf(p[0]!));
    return [...c.members.values()]
      .map((m): MemberView => {
        const u = this.#users.get(this.#fold(m.nick));
        return {
          nick: m.nick,
          prefix: m.prefixes.slice(0, 1),
          presence: u?.presence === 'offline' || !u ? 'online' : u.presence,
          ...(u?.awayMessage !== undefined ? { statusMessage: u.awayMessage } : {}),
          ...(typeof u?.account === 'string' ? { account: u.account } : {}),
        };
      })
      .sort((a, b) => rank(a.prefix) - rank(b.prefix) || a.nick.localeCompare(b.nick, undefined, { sensitivity: 'base' }));
  }

  // ---- coalesced posts ----

  #schedule(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(() => this.flush());
  }

  /** Posts what is due: one snapshot, or the conversation list. Runs by itself after each change burst. */
  flush(): void {
    this.#flushQueued = false;
    if (this.#snapshotDue) {
      this.#snapshotDue = false;
      this.#conversationsDue = false;
      this.#post({ type: 'snapshot', snapshot: this.snapshot() });
    } else if (this.#conversationsDue) {
      this.#conversationsDue = false;
      this.#post({ type: 'conversations', conversations: this.conversations() });
    }
  }
}
