// What the Chat view shows, kept on the extension side (the source of truth). It takes the client
// core's typed events (apply(), fed by bind.ts) and posts small updates as things change and a full
// snapshot when asked (after the webview's `ready`). Pure (no vscode); unit-tested directly.
// The parts, one concern each: conversations.ts (the list, unread counts, which one is open),
// lines.ts (the line window, delivery states, scroll-back), people.ts (presence and members),
// roomEvents.ts (what a room event does), eventTexts.ts (the words), posts.ts (coalescing).
import type { Casemapping } from '../../protocol/casemap.ts';
import type { ChatEvent } from '../client/chatEvents.ts';
import type { ChatMessage, MessageStateChange, Presence, TypingChange, UserInfo } from '../client/types.ts';
import type { ChatLine, ConnectionView, ConversationView, SelfView, Snapshot, ToWebview } from '../../webview/messages.ts';
import { type Conversation, Conversations, conversationView } from './conversations.ts';
import { Lines, toChatLine, type OlderSource } from './lines.ts';
import { Annotations } from './annotations.ts';
import { applyEvent, type IncomingInfo, onDelivery, onMessage, onPresence, onTyping } from './messageEvents.ts';
import { People } from './people.ts';
import { loadOlder } from './scrollBack.ts';
import { Posts } from './posts.ts';
import type { ModelScope } from './scope.ts';

export { MAX_LINES_PER_CONVERSATION, OLDER_PAGE_SIZE, toChatLine, type OlderSource } from './lines.ts';
export type { IncomingInfo } from './messageEvents.ts';

export class ChatViewModel {
  readonly #now: () => number;
  readonly #conversations = new Conversations();
  readonly #people = new People((name) => this.#conversations.fold(name));
  readonly #lines = new Lines();
  readonly #annotations = new Annotations((nick) => this.#conversations.fold(nick));
  readonly #posts: Posts;
  readonly #scope: ModelScope;
  #connection: ConnectionView = { state: 'disconnected' };
  #connectTarget: string | undefined;
  #hostPort: number | undefined;
  #self: SelfView | undefined;
  #visible = false;

  constructor(post: (message: ToWebview) => void, now: () => number = Date.now) {
    this.#now = now;
    this.#posts = new Posts(post, () => this.snapshot(), () => this.conversations());
    this.#scope = {
      conversations: this.#conversations,
      people: this.#people,
      lines: this.#lines,
      posts: this.#posts,
      annotations: this.#annotations,
      decorate: (c, line) => this.#decorate(c, line),
      annotated: (c, msgid) => this.#annotated(c, msgid),
      selfNick: () => this.#self?.nick,
      visible: () => this.#visible,
      ensure: (name, kind) => this.#ensure(name, kind),
      addLine: (c, line) => this.#addLine(c, line),
      eventLine: (c, text, from = '') => this.#addLine(c, this.#lines.eventLine(c, text, from, this.#now())),
      membersChanged: (c) => {
        if (c.id === this.#conversations.active) this.#posts.send({ type: 'members', conversation: c.id, members: this.#people.membersView(c) });
      },
      open: (id) => this.open(id),
    };
  }

  // ---- reading ----

  get connection(): ConnectionView {
    return this.#connection;
  }

  get active(): string | undefined {
    return this.#conversations.active;
  }

  /** A conversation's id: its name folded as the server compares names. */
  idOf(name: string): string {
    return this.#conversations.fold(name);
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
    return this.#conversations.sorted().map((c) => conversationView(c, c.kind === 'dm' ? this.presenceOf(c.name) : undefined, c.kind === 'dm' ? this.statusMessageOf(c.name) : undefined));
  }

  /** Total unread lines, for the status bar. */
  get unread(): number {
    let n = 0;
    for (const c of this.#conversations.values()) n += c.unread;
    return n;
  }

  /** Nicks we know of (members and DM partners), for Message User. */
  knownNicks(): string[] {
    return this.#people.nicks(this.#self?.nick);
  }

  /** The client localId behind a line (for retry). */
  localIdOf(conversation: string, lineId: string): string | undefined {
    return this.#lines.localIdOf(conversation, lineId);
  }

  presenceOf(nick: string): Presence {
    return this.#people.presenceOf(nick, this.#connection.state !== 'disconnected');
  }

  /** A user's away/busy message while connected (for the DM header). */
  statusMessageOf(nick: string): string | undefined {
    if (this.#connection.state === 'disconnected') return undefined;
    const u = this.#people.get(nick);
    return u && u.presence !== 'online' && u.presence !== 'offline' ? u.awayMessage : undefined;
  }

  /** When Chat: Clear Transcript last cleared the conversation (ms), if it did. */
  clearedAt(id: string): number | undefined {
    return this.#conversations.get(id)?.clearedAt;
  }

  snapshot(): Snapshot {
    const c = this.#conversations.activeConversation;
    return {
      connection: this.#connection,
      self: this.#self,
      conversations: this.conversations(),
      active: c?.id,
      members: c ? this.#people.membersView(c) : [],
      lines: c ? [...(c.aroundLines ?? c.lines)] : [],
      // Around an older message: no scroll-back from there; "Back to the latest" opens it again.
      hasOlder: c?.aroundLines ? false : (c?.hasOlder ?? false),
      typing: c ? [...c.typing] : [],
      ...(c?.aroundLines ? { around: true } : {}),
    };
  }

  /** A line of a conversation by its id or msgid (shown or held in the window). */
  line(id: string, lineId: string): ChatLine | undefined {
    const c = this.#conversations.get(id);
    if (!c) return undefined;
    return (c.aroundLines ?? c.lines).find((l) => l.id === lineId || l.msgid === lineId) ?? c.lines.find((l) => l.id === lineId || l.msgid === lineId);
  }

  /** Whether I gave `reaction` to the message (to toggle it). */
  gaveReaction(id: string, msgid: string, reaction: string): boolean {
    const me = this.#self?.nick;
    return me !== undefined && this.#annotations.gave(id, msgid, reaction, me);
  }

  /**
   * Scrolls the view to a line the window holds (opening its conversation); false when it does not
   * hold it (then load the page around it: showAround).
   */
  reveal(id: string, lineId: string): boolean {
    const c = this.#conversations.get(id);
    const line = c ? (c.aroundLines ?? c.lines).find((l) => l.id === lineId || l.msgid === lineId) : undefined;
    if (!c || !line) return false;
    if (this.#conversations.active !== id) this.open(id);
    this.#posts.send({ type: 'reveal', conversation: id, id: line.id });
    return true;
  }

  /** Shows the page around an older message (CHATHISTORY AROUND) and scrolls to it. */
  showAround(id: string, messages: readonly ChatMessage[], lineId: string): boolean {
    const c = this.#conversations.get(id);
    if (!c || messages.length === 0) return false;
    const me = this.#self?.nick ?? '';
    const lines = [...messages].sort((a, b) => a.time.getTime() - b.time.getTime()).map((m) => toChatLine(m, me, () => this.#lines.newId('m')));
    c.aroundLines = lines.map((l) => this.#decorate(c, l, lines));
    if (this.#conversations.active !== id) this.#conversations.open(id);
    this.#posts.snapshotDue();
    const target = c.aroundLines.find((l) => l.id === lineId || l.msgid === lineId);
    if (target) this.#posts.send({ type: 'reveal', conversation: id, id: target.id });
    return target !== undefined;
  }

  #decorate(c: Conversation, line: ChatLine, among: readonly ChatLine[] = c.aroundLines ?? c.lines): ChatLine {
    const parentId = line.replyTo?.id;
    const parent = parentId !== undefined ? (among.find((l) => l.msgid === parentId) ?? c.lines.find((l) => l.msgid === parentId)) : undefined;
    return this.#annotations.decorate(c.id, line, this.#self?.nick, parent);
  }

  /** Reactions or deletion of `msgid` changed: its line, and the replies quoting it, drawn again. */
  #annotated(c: Conversation, msgid: string): void {
    for (const lines of c.aroundLines ? [c.lines, c.aroundLines] : [c.lines]) {
      for (let i = 0; i < lines.length; i++) {
        const l = lines[i]!;
        if (l.msgid !== msgid && l.replyTo?.id !== msgid) continue;
        const next = this.#decorate(c, l, lines);
        lines[i] = next;
        if (c.id === this.#conversations.active && lines === (c.aroundLines ?? c.lines)) this.#posts.send({ type: 'lineUpdate', conversation: c.id, line: next });
      }
    }
  }

  // ---- connection and self ----

  setConnection(connection: ConnectionView, self: SelfView | undefined): void {
    const wasOffline = this.#connection.state === 'disconnected';
    if (connection.state === 'disconnected') {
      const { target: _old, hostPort: _oldPort, ...rest } = connection;
      connection = {
        ...rest,
        ...(this.#connectTarget !== undefined ? { target: this.#connectTarget } : {}),
        ...(this.#hostPort !== undefined ? { hostPort: this.#hostPort } : {}),
      };
    }
    this.#connection = connection;
    this.#self = self;
    this.#posts.send({ type: 'connection', connection, self });
    // Presence is only known while connected: DM partners show offline, not a stale "away".
    if (wasOffline !== (connection.state === 'disconnected')) this.#posts.conversationsDue();
    if (!wasOffline && connection.state === 'disconnected') this.#leftEverything();
  }

  /**
   * Disconnected (Disconnect, Stop Hosting, a refused reconnect): we are in no room any more, so no
   * room shows members, typing or a presence we can no longer know; everything shown agrees with
   * "not connected". The lines stay readable; the next connection rejoins and refills the lists.
   */
  #leftEverything(): void {
    for (const c of this.#conversations.values()) {
      c.typing.clear();
      if (c.kind !== 'room') continue;
      c.joined = false;
      c.members.clear();
    }
    this.#people.clear();
    this.#posts.snapshotDue();
  }

  /** Where Chat: Connect goes, and the port Chat: Host would use, with the current settings; shown while disconnected. */
  setConnectTarget(target: string | undefined, hostPort?: number): void {
    if (target === this.#connectTarget && hostPort === this.#hostPort) return;
    this.#connectTarget = target;
    this.#hostPort = hostPort;
    if (this.#connection.state === 'disconnected') this.setConnection(this.#connection, this.#self);
  }

  setSelf(self: SelfView | undefined): void {
    this.#self = self;
    this.#posts.send({ type: 'connection', connection: this.#connection, self });
  }

  /** The server keeps history (draft/chathistory): conversations may have older lines. */
  setHistoryAvailable(available: boolean): void {
    this.#conversations.historyAvailable = available;
  }

  /** The server announced how it compares names: re-key everything keyed by a folded name. */
  setCasemapping(mapping: Casemapping): void {
    if (mapping === this.#conversations.casemapping) return;
    const ids = this.#conversations.setCasemapping(mapping);
    this.#people.rekey();
    this.#lines.rekey(ids);
    this.#annotations.rekey(ids);
    this.#posts.snapshotDue();
  }

  setViewVisible(visible: boolean): void {
    this.#visible = visible;
    if (visible && this.#conversations.active !== undefined) this.markRead(this.#conversations.active);
  }

  get viewVisible(): boolean {
    return this.#visible;
  }

  /** Forget everything (a connection to another server). */
  reset(): void {
    this.#conversations.clear();
    this.#people.clear();
    this.#lines.clear();
    this.#annotations.clear();
    this.#posts.snapshotDue();
  }

  // ---- conversations ----

  #ensure(name: string, kind: 'room' | 'dm'): Conversation {
    const { c, created } = this.#conversations.ensure(name, kind);
    if (created) this.#posts.conversationsDue();
    return c;
  }

  /** Opens a conversation in the view (everything it shows changes: a snapshot). */
  open(id: string): boolean {
    // Opening a conversation shows its latest lines, also after a page around an older message.
    const c = this.#conversations.get(id);
    if (c) delete c.aroundLines;
    if (!this.#conversations.open(id)) return false;
    this.#posts.snapshotDue();
    return true;
  }

  /** Opens the room once we are in it (Chat: Join Room). */
  openWhenJoined(id: string): void {
    if (this.#conversations.get(id)?.joined) this.open(id);
    else this.#conversations.openOnJoin.add(id);
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
    this.#lines.forget(id);
    this.#annotations.forget(id);
    this.#posts.snapshotDue();
  }

  markRead(id: string): void {
    if (this.#conversations.markRead(id)) this.#posts.conversationsDue();
  }

  /** Chat: Clear Transcript: empties the view of the conversation; the server's history is untouched. */
  clear(id: string): boolean {
    if (!this.#conversations.clearLines(id, this.#now())) return false;
    this.#lines.forget(id);
    this.#posts.send({ type: 'cleared', conversation: id });
    this.#posts.conversationsDue();
    return true;
  }

  // ---- events from the client core ----

  /** One event of the client core (bind.ts); a message returns what it meant (for notifications). */
  apply(e: ChatEvent, isChannel: (name: string) => boolean): IncomingInfo | undefined {
    return applyEvent(this.#scope, e, isChannel);
  }

  #addLine(c: Conversation, line: ChatLine): boolean {
    const where = this.#lines.add(c, line);
    if (where === undefined) return false;
    if (c.id !== this.#conversations.active || c.aroundLines) return true;
    // History that belongs before lines already shown (a LATEST page after a live line): redraw once.
    if (where === 'append') this.#posts.send({ type: 'lines', conversation: c.id, lines: [line], position: 'append' });
    else this.#posts.snapshotDue();
    return true;
  }

  // The events one by one (tests and callers with a single fact).

  message(m: ChatMessage, isChannel: boolean): IncomingInfo | undefined {
    return onMessage(this.#scope, m, isChannel);
  }

  messageState(change: MessageStateChange): void {
    onDelivery(this.#scope, change);
  }

  user(u: UserInfo): void {
    onPresence(this.#scope, u);
  }

  typing(change: TypingChange): void {
    onTyping(this.#scope, change);
  }

  /** The view scrolled to the top: the next older page (scrollBack.ts). */
  loadOlder(id: string, source: OlderSource): Promise<void> {
    return loadOlder(this.#scope, id, source);
  }

  /** Posts what is due now (it also runs by itself after each burst of changes). */
  flush(): void {
    this.#posts.flush();
  }
}
