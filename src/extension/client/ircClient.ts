// The IRC client the extension uses: a facade over the client core (core.ts: the long-lived model,
// delivery tracking, the features, the events) and the connection of the moment (connector.ts:
// transport, keepalive, reconnecting with backoff). No `vscode` import: tested over real TCP.
import { CAP } from '../../protocol/caps.ts';
import type { Casemapping } from '../../protocol/casemap.ts';
import { ircMessage } from '../../protocol/message.ts';
import type { Disposable, Event } from './emitter.ts';
import { ClientError } from './errors.ts';
import type { ChatEvent } from './chatEvents.ts';
import type { ClientEvents } from './events.ts';
import { Connector } from './connector.ts';
import { createCore, type ClientCore } from './core.ts';
import type { Features, Status } from './features.ts';
import type { ClientOptions, ServerAddress } from './options.ts';
import type { OutgoingTracker } from './outgoing.ts';
import { awayCommand } from './presence.ts';
import { transmit } from './send.ts';
import type { Session } from './session.ts';
import type { ChatState } from './state.ts';
import type { RegisterResult } from './accounts.ts';
import { REACT_TAG, REPLY_TAG, UNREACT_TAG } from '../../protocol/clienttags.ts';
import { MAX_REACTION_CHARS } from './handlers/annotations.ts';
import type {
  ChatMessage,
  ConnectionState,
  HistoryPage,
  MessageKind,
  MessageState,
  MessageStateChange,
  RoomChange,
  RoomInfo,
  SearchHit,
  SearchQuery,
  ServerNotice,
  TypingChange,
  TypingState,
  UserInfo,
} from './types.ts';

export { ClientError } from './errors.ts';
export type { ClientErrorCode } from './errors.ts';
export type { ClientOptions, ServerAddress } from './options.ts';
export type { Disposable, Event } from './emitter.ts';
export type { RegisterResult } from './accounts.ts';
export type { Status } from './features.ts';
export type * from './types.ts';
export type * from './chatEvents.ts';

/** What sendMessage() returns: the id to follow in onDidChangeMessageState and to retry(). */
export interface OutgoingMessageHandle {
  readonly localId: string;
  readonly target: string;
  readonly state: MessageState;
  readonly reason?: string;
}

export class IrcClient implements Disposable {
  readonly #options: ClientOptions;
  readonly #core: ClientCore;
  readonly #events: ClientEvents;
  readonly #state: ChatState;
  readonly #features: Features;
  readonly #outgoing: OutgoingTracker;
  readonly #connector: Connector;
  #disposed = false;

  readonly onDidChangeState: Event<ConnectionState>;
  /** Every chat fact as a typed event (chatEvents.ts): joined, parted, kicked, quit, renamed, topic, presence, message... */
  readonly onDidChat: Event<ChatEvent>;
  /** Every message shown in a conversation: received, replayed (history: true), and our own at send time. */
  readonly onDidMessage: Event<ChatMessage>;
  /** Problems not reported through a promise: a dropped link, a fatal error while reconnecting, a handler failure. */
  readonly onDidError: Event<ClientError>;
  readonly onDidChangeMessageState: Event<MessageStateChange>;
  readonly onDidChangeRoom: Event<RoomChange>;
  readonly onDidChangeUser: Event<UserInfo>;
  readonly onDidChangeNick: Event<string>;
  readonly onDidChangeTyping: Event<TypingChange>;
  readonly onDidLoadHistory: Event<HistoryPage>;
  readonly onDidNotice: Event<ServerNotice>;
  readonly onDidChangeAccount: Event<string | null>;
  readonly onDidChangeReadMarker: Event<{ target: string; time: Date }>;
  readonly onDidChangeCapabilities: Event<ReadonlySet<string>>;
  /** The server's CASEMAPPING (ISUPPORT) changed how names compare: see fold(). */
  readonly onDidChangeCasemapping: Event<Casemapping>;
  /** Raw lines in and out (secrets redacted), for a log channel. */
  readonly onDidRawLine: Event<{ direction: 'in' | 'out'; line: string }>;
  /** A server of the list failed (refused, timed out, closed before registering...): the next one is tried. */
  readonly onDidFailServer: Event<{ server: ServerAddress; error: ClientError }>;

  constructor(options: ClientOptions) {
    this.#options = { ...options };
    this.#core = createCore(this.#options);
    this.#connector = new Connector(this.#core);
    ({ events: this.#events, state: this.#state, features: this.#features, outgoing: this.#outgoing } = this.#core);
    this.onDidChangeState = this.#events.state.event;
    this.onDidChat = this.#events.chat.event;
    this.onDidMessage = this.#events.message.event;
    this.onDidError = this.#events.error.event;
    this.onDidChangeMessageState = this.#events.messageState.event;
    this.onDidChangeRoom = this.#events.room.event;
    this.onDidChangeUser = this.#events.user.event;
    this.onDidChangeNick = this.#events.nick.event;
    this.onDidChangeTyping = this.#events.typing.event;
    this.onDidLoadHistory = this.#events.history.event;
    this.onDidNotice = this.#events.notice.event;
    this.onDidChangeAccount = this.#events.account.event;
    this.onDidChangeReadMarker = this.#events.readMarker.event;
    this.onDidChangeCapabilities = this.#events.capabilities.event;
    this.onDidChangeCasemapping = this.#events.casemapping.event;
    this.onDidRawLine = this.#events.raw.event;
    this.onDidFailServer = this.#events.serverFailed.event;
  }

  // ---- state ----

  get nick(): string {
    return this.#connector.nick;
  }

  /** The nick the user asked for; differs from `nick` while we go by an alternative (nick_). */
  get wantedNick(): string {
    return this.#connector.wantedNick;
  }

  /** How the server compares names (ISUPPORT CASEMAPPING; rfc1459 until it says). */
  get casemapping(): Casemapping {
    return this.#state.casemapping;
  }

  /** A name as the server compares it: the one casefold for nicks, rooms and conversation ids. */
  fold(name: string): string {
    return this.#state.fold(name);
  }

  /** Whether `nick` is the wanted one, under the server's casemapping. */
  get hasWantedNick(): boolean {
    return this.#state.same(this.nick, this.#connector.wantedNick);
  }

  get state(): ConnectionState {
    return this.#connector.state;
  }

  /** The server of the current connection (while disconnected: the last one tried). */
  get server(): ServerAddress | undefined {
    const s = this.#connector.server;
    return s ? { ...s } : undefined;
  }

  /** Negotiated IRCv3 capabilities of the current connection. */
  get capabilities(): ReadonlySet<string> {
    return new Set(this.#connector.session?.caps.enabled ?? []);
  }

  /** RPL_ISUPPORT tokens of the current connection. */
  get isupport(): ReadonlyMap<string, string | true> {
    return new Map(this.#connector.session?.isupport ?? []);
  }

  get account(): string | null | undefined {
    return this.#features.accounts.account;
  }

  get status(): { status: Status; message?: string } {
    return this.#features.statusMessage === undefined ? { status: this.#features.status } : { status: this.#features.status, message: this.#features.statusMessage };
  }

  rooms(): RoomInfo[] {
    return [...this.#state.rooms.values()].filter((r) => r.joined || r.wanted).map((r) => this.#state.roomInfo(r));
  }

  room(name: string): RoomInfo | undefined {
    const r = this.#state.room(name);
    return r ? this.#state.roomInfo(r) : undefined;
  }

  user(nick: string): UserInfo | undefined {
    const u = this.#state.user(nick);
    return u ? { ...u } : undefined;
  }

  users(): UserInfo[] {
    return [...this.#state.users.values()].map((u) => ({ ...u }));
  }

  /** Messages held for a conversation (a room or a nick), oldest first. */
  messages(target: string): readonly ChatMessage[] {
    return this.#state.conversations.get(this.#state.fold(target))?.messages ?? [];
  }

  /** Conversation targets we hold messages for (rooms and DM partners). */
  conversations(): string[] {
    return [...this.#state.conversations.values()].map((c) => c.target);
  }

  messageState(localId: string): OutgoingMessageHandle | undefined {
    const m = this.#outgoing.get(localId);
    return m ? handleOf(m) : undefined;
  }

  // ---- connection (connector.ts) ----

  /** Connects and registers; resolves at 001, rejects with a ClientError. */
  connect(): Promise<void> {
    if (this.#disposed) return Promise.reject(new ClientError('closed', 'The client was disposed'));
    return this.#connector.connect();
  }

  /** Sends QUIT, waits for the server to close (briefly), and stops reconnecting. */
  quit(reason = 'Leaving'): Promise<void> {
    return this.#connector.quit(reason);
  }

  /** Stops at once: no QUIT round trip, no reconnect. */
  disconnect(): void {
    this.#connector.disconnect();
  }

  dispose(): void {
    if (this.#disposed) return;
    this.disconnect();
    this.#disposed = true;
    this.#features.dispose();
    this.#events.dispose();
  }

  #registeredSession(): Session | undefined {
    return this.#connector.registeredSession();
  }

  // ---- rooms ----

  join(channel: string, key?: string): void {
    const room = this.#state.ensureRoom(channel);
    room.wanted = true;
    if (key !== undefined) room.key = key;
    const s = this.#registeredSession();
    if (s) this.#features.sendJoin(s, channel, key);
  }

  part(channel: string, reason?: string): void {
    const room = this.#state.room(channel);
    if (room) room.wanted = false;
    const s = this.#registeredSession();
    if (!s) return;
    s.joinSent.delete(this.#state.fold(channel));
    s.send(ircMessage('PART', reason ? [channel, reason] : [channel]));
  }

  setTopic(channel: string, topic: string): void {
    this.#registeredSession()?.send(ircMessage('TOPIC', [channel, topic]));
  }

  changeNick(nick: string): void {
    this.#connector.changeNick(nick);
  }

  // ---- messages ----

  /** `replyTo`: the msgid of the message this one answers (`+draft/reply`, sent with message-tags). */
  sendMessage(target: string, text: string, options: { replyTo?: string } = {}): OutgoingMessageHandle {
    return this.#sendChat(target, text, 'privmsg', options.replyTo);
  }

  /** CTCP ACTION (/me). */
  sendAction(target: string, text: string): OutgoingMessageHandle {
    return this.#sendChat(target, text, 'action');
  }

  sendNotice(target: string, text: string): OutgoingMessageHandle {
    return this.#sendChat(target, text, 'notice');
  }

  /** Sends a failed message again, under the same localId. Returns false if it cannot be retried. */
  retry(localId: string): boolean {
    const out = this.#outgoing.get(localId);
    if (!out || out.state !== 'failed') return false;
    this.#outgoing.restart(out);
    this.#dispatch(out);
    return true;
  }

  #sendChat(target: string, text: string, kind: MessageKind, replyTo?: string): OutgoingMessageHandle {
    const out = this.#outgoing.create(target, text, kind);
    if (replyTo !== undefined) out.replyTo = replyTo;
    // A password typed to services (IDENTIFY <password> in the NickServ conversation) is not shown.
    const shown = this.#core.secrets.maskOwn(target, text);
    const chat: ChatMessage = { target, from: this.#connector.nick, text: shown, time: new Date(), self: true, kind, localId: out.localId };
    if (replyTo !== undefined) chat.replyTo = replyTo;
    out.chat = chat;
    this.#state.addMessage(chat);
    this.#events.emit({ type: 'message', message: chat });
    this.#dispatch(out);
    return handleOf(out);
  }

  #dispatch(out: ReturnType<OutgoingTracker['create']>): void {
    const s = this.#registeredSession();
    if (out.text.trim() === '') {
      this.#outgoing.fail({ msg: out, part: { text: '', done: false } }, 'Empty message');
      return;
    }
    if (!s) {
      this.#outgoing.fail({ msg: out, part: { text: '', done: false } }, 'Not connected');
      return;
    }
    this.#features.typing.sent(s, out.target);
    try {
      transmit(s, out);
    } catch (err) {
      this.#outgoing.fail({ msg: out, part: { text: '', done: false } }, err instanceof Error ? err.message : String(err));
    }
  }

  // ---- presence ----

  /** Online / away / busy (busy = an away message starting with `[busy]`, see presence.ts). */
  setStatus(status: Status, message?: string): void {
    this.#features.status = status;
    this.#features.statusMessage = status === 'online' ? undefined : message;
    const s = this.#registeredSession();
    if (s) s.send(awayCommand(status, message));
  }

  /** Follow a user's presence (MONITOR when the server has it; DM partners are followed automatically). */
  monitor(nick: string): void {
    this.#features.watch(this.#registeredSession(), nick);
  }

  unmonitor(nick: string): void {
    this.#features.unwatch(this.#registeredSession(), nick);
  }

  /** Typing indicator: call with 'active' on each keystroke (throttled here), 'done' when the draft is cleared. */
  sendTyping(target: string, state: TypingState = 'active'): void {
    const s = this.#registeredSession();
    if (s) this.#features.typing.send(s, target, state);
  }

  // ---- history ----

  /** Fetches the page before the oldest message held for `target` (CHATHISTORY BEFORE); [] without chathistory. */
  loadOlder(target: string, limit = this.#options.historyPageSize ?? 50): Promise<ChatMessage[]> {
    const s = this.#registeredSession();
    if (!s) return Promise.reject(new ClientError('closed', 'Not connected'));
    return this.#features.history.before(s, target, limit);
  }

  /** The message `msgid` of `target` with its neighbours (CHATHISTORY AROUND); [] without chathistory. */
  loadAround(target: string, msgid: string, limit = this.#options.historyPageSize ?? 50): Promise<ChatMessage[]> {
    const s = this.#registeredSession();
    if (!s) return Promise.reject(new ClientError('closed', 'Not connected'));
    return this.#features.history.around(s, target, msgid, limit);
  }

  // ---- reactions, deletions, search (issue 13) ----

  /**
   * Reacts to a message (TAGMSG with `+draft/react` and `+draft/reply`), or takes the reaction back
   * (`+draft/unreact`). Needs message-tags; false when it could not be sent. Without echo-message the
   * reaction is announced here, since the server will not send it back.
   */
  react(target: string, msgid: string, reaction: string, remove = false): boolean {
    const s = this.#registeredSession();
    if (!s || !s.hasCap(CAP.messageTags) || reaction === '' || reaction.length > MAX_REACTION_CHARS) return false;
    s.send(ircMessage('TAGMSG', [target], undefined, { [remove ? UNREACT_TAG : REACT_TAG]: reaction, [REPLY_TAG]: msgid }));
    if (!s.hasCap(CAP.echoMessage)) {
      this.#events.emit({ type: 'reaction', reaction: { target, msgid, nick: this.nick, reaction, remove, self: true } });
    }
    return true;
  }

  /** Deletes a message (draft/message-redaction REDACT); the server says FAIL REDACT if it may not. */
  redact(target: string, msgid: string, reason?: string): boolean {
    const s = this.#registeredSession();
    if (!s || !s.hasCap(CAP.messageRedaction)) return false;
    s.send(ircMessage('REDACT', reason ? [target, msgid, reason] : [target, msgid]));
    return true;
  }

  /** Server-side search (soju.im/search): matching messages, newest first. */
  search(query: SearchQuery): Promise<SearchHit[]> {
    const s = this.#registeredSession();
    if (!s) return Promise.reject(new ClientError('closed', 'Not connected'));
    return this.#features.search.request(s, query);
  }

  /**
   * Marks `target` read up to `time` (draft/read-marker); no-op without the capability. Without an
   * account our server keeps the marker for this connection; a server that keeps them per account
   * only answers FAIL MARKREAD, which is never shown to the user.
   */
  markRead(target: string, time: Date = new Date()): void {
    const s = this.#registeredSession();
    if (s && s.hasCap(CAP.readMarker)) s.send(ircMessage('MARKREAD', [target, `timestamp=${time.toISOString()}`]));
  }

  /** Whether the server offers chathistory / multiline / read markers / typing, for the UI. */
  supports(
    feature: 'history' | 'multiline' | 'read-marker' | 'typing' | 'echo' | 'account-registration' | 'monitor' | 'reactions' | 'replies' | 'redaction' | 'search',
  ): boolean {
    const s = this.#connector.session;
    if (!s) return false;
    switch (feature) {
      case 'reactions':
      case 'replies':
        // Client-only tags travel with message-tags (a server may still deny some: CLIENTTAGDENY).
        return s.hasCap(CAP.messageTags) && !clientTagDenied(s.isupport.get('CLIENTTAGDENY'), feature === 'reactions' ? REACT_TAG : REPLY_TAG);
      case 'redaction':
        return s.hasCap(CAP.messageRedaction);
      case 'search':
        return this.#features.search.supported(s);
      case 'history':
        return this.#features.history.supported(s);
      case 'multiline':
        return s.hasCap(CAP.multiline);
      case 'read-marker':
        return s.hasCap(CAP.readMarker);
      case 'typing':
        return this.#features.typing.supported(s);
      case 'echo':
        return s.hasCap(CAP.echoMessage);
      case 'account-registration':
        return this.#features.accounts.supported(s);
      case 'monitor':
        return s.isupport.has('MONITOR');
    }
  }

  // ---- accounts ----

  /** Creates an account (draft/account-registration REGISTER) on the connected server. */
  registerAccount(account: string, password: string, email?: string): Promise<RegisterResult> {
    const s = this.#registeredSession();
    if (!s) return Promise.reject(new ClientError('closed', 'Not connected'));
    if (!this.#features.accounts.supported(s)) return Promise.reject(new ClientError('protocol', 'The server does not support account registration'));
    return this.#features.accounts.sendRegister(s, email !== undefined ? { account, password, email } : { account, password });
  }

  /** Sends a raw command (for /quote); refuses anything the serialiser refuses. */
  sendRaw(command: string, params: string[]): void {
    this.#registeredSession()?.send(ircMessage(command, params));
  }
}

/** ISUPPORT CLIENTTAGDENY: `*` denies all but `-tag` exceptions; else a list of denied tags. */
export function clientTagDenied(value: unknown, tag: string): boolean {
  if (typeof value !== 'string' || value === '') return false;
  const name = tag.replace(/^\+/, '');
  const items = value.split(',');
  if (items.includes('*')) return !items.includes(`-${name}`);
  return items.includes(name);
}

function handleOf(m: { localId: string; target: string; state: MessageState; reason?: string }): OutgoingMessageHandle {
  return m.reason !== undefined ? { localId: m.localId, target: m.target, state: m.state, reason: m.reason } : { localId: m.localId, target: m.target, state: m.state };
}
