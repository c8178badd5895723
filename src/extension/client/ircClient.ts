// The IRC client the extension uses: a facade over one Session per connection, the long-lived
// model (ChatState), delivery tracking (OutgoingTracker) and the features. It owns the transport,
// the keepalive, and reconnecting with backoff. No `vscode` import: tested over real TCP.
import { ircMessage, type IrcMessage } from '../../protocol/message.ts';
import { isChannelName } from '../../protocol/validate.ts';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';
import type { Disposable, Event } from './emitter.ts';
import { ClientError, isFatal } from './errors.ts';
import { ClientEvents } from './events.ts';
import { Features, type Status } from './features.ts';
import { HANDLERS } from './handlers/index.ts';
import type { ClientOptions } from './options.ts';
import { OutgoingTracker } from './outgoing.ts';
import { awayCommand } from './presence.ts';
import { transmit } from './send.ts';
import { Session } from './session.ts';
import { ChatState } from './state.ts';
import { Transport } from './transport.ts';
import type { RegisterResult } from './accounts.ts';
import type {
  ChatMessage,
  ConnectionState,
  HistoryPage,
  MessageKind,
  MessageState,
  MessageStateChange,
  RoomChange,
  RoomInfo,
  ServerNotice,
  TypingChange,
  TypingState,
  UserInfo,
} from './types.ts';

export { ClientError } from './errors.ts';
export type { ClientErrorCode } from './errors.ts';
export type { ClientOptions } from './options.ts';
export type { Disposable, Event } from './emitter.ts';
export type { RegisterResult } from './accounts.ts';
export type { Status } from './features.ts';
export type * from './types.ts';

/** What sendMessage() returns: the id to follow in onDidChangeMessageState and to retry(). */
export interface OutgoingMessageHandle {
  readonly localId: string;
  readonly target: string;
  readonly state: MessageState;
  readonly reason?: string;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
const DEFAULT_REGISTRATION_TIMEOUT_MS = 30_000;
const DEFAULT_PING_INTERVAL_MS = 90_000;
const REGAIN_NICK_INTERVAL_MS = 15_000;

export class IrcClient implements Disposable {
  readonly #options: ClientOptions;
  readonly #events = new ClientEvents();
  readonly #state = new ChatState();
  readonly #features: Features;
  readonly #outgoing: OutgoingTracker;
  #connectionState: ConnectionState = 'disconnected';
  #transport: Transport | undefined;
  #session: Session | undefined;
  #nick: string;
  /** The nick the user chose; after a reconnect under nick_ we take it back once it is free. */
  #wantedNick: string;
  #regainTimer: ReturnType<typeof setInterval> | undefined;
  /** Set by quit()/disconnect()/dispose(): no more reconnecting. */
  #stopped = true;
  #everRegistered = false;
  #attempt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #registrationTimer: ReturnType<typeof setTimeout> | undefined;
  #connecting: Promise<void> | undefined;
  #disposed = false;

  readonly onDidChangeState: Event<ConnectionState> = this.#events.state.event;
  /** Every message shown in a conversation: received, replayed (history: true), and our own at send time. */
  readonly onDidMessage: Event<ChatMessage> = this.#events.message.event;
  /** Problems not reported through a promise: a dropped link, a fatal error while reconnecting, a handler failure. */
  readonly onDidError: Event<ClientError> = this.#events.error.event;
  readonly onDidChangeMessageState: Event<MessageStateChange> = this.#events.messageState.event;
  readonly onDidChangeRoom: Event<RoomChange> = this.#events.room.event;
  readonly onDidChangeUser: Event<UserInfo> = this.#events.user.event;
  readonly onDidChangeNick: Event<string> = this.#events.nick.event;
  readonly onDidChangeTyping: Event<TypingChange> = this.#events.typing.event;
  readonly onDidLoadHistory: Event<HistoryPage> = this.#events.history.event;
  readonly onDidNotice: Event<ServerNotice> = this.#events.notice.event;
  readonly onDidChangeAccount: Event<string | null> = this.#events.account.event;
  readonly onDidChangeReadMarker: Event<{ target: string; time: Date }> = this.#events.readMarker.event;
  readonly onDidChangeCapabilities: Event<ReadonlySet<string>> = this.#events.capabilities.event;
  /** Raw lines in and out (secrets redacted), for a log channel. */
  readonly onDidRawLine: Event<{ direction: 'in' | 'out'; line: string }> = this.#events.raw.event;

  constructor(options: ClientOptions) {
    this.#options = { ...options };
    this.#nick = options.nick;
    this.#wantedNick = options.nick;
    this.#features = new Features(options.historyOnJoin ?? 50, options.presencePollMs ?? 30_000);
    this.#outgoing = new OutgoingTracker((change) => {
      // A DM that arrived makes its recipient a partner whose presence we follow (MONITOR);
      // a typo'd nick (401) does not take a slot of the server's MONITOR limit.
      if (change.state === 'delivered' || change.state === 'stored') this.#watchPartner(change.target);
      this.#events.messageState.fire(change);
    }, (n) => this.#state.fold(n));
  }

  // ---- state ----

  get nick(): string {
    return this.#session?.nick ?? this.#nick;
  }

  /** The nick the user asked for; differs from `nick` while we go by an alternative (nick_). */
  get wantedNick(): string {
    return this.#wantedNick;
  }

  /** Whether `nick` is the wanted one, under the server's casemapping. */
  get hasWantedNick(): boolean {
    return this.#state.same(this.nick, this.#wantedNick);
  }

  get state(): ConnectionState {
    return this.#connectionState;
  }

  /** Negotiated IRCv3 capabilities of the current connection. */
  get capabilities(): ReadonlySet<string> {
    return new Set(this.#session?.caps.enabled ?? []);
  }

  /** RPL_ISUPPORT tokens of the current connection. */
  get isupport(): ReadonlyMap<string, string | true> {
    return new Map(this.#session?.isupport ?? []);
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

  // ---- connection ----

  /** Connects and registers; resolves at 001, rejects with a ClientError. */
  connect(): Promise<void> {
    if (this.#disposed) return Promise.reject(new ClientError('closed', 'The client was disposed'));
    if (this.#connecting) return this.#connecting;
    if (this.#connectionState === 'registered') return Promise.resolve();
    this.#stopped = false;
    this.#cancelReconnect();
    this.#setState('connecting');
    const attempt = this.#open(false).then(
      () => {
        this.#connecting = undefined;
      },
      (err: ClientError) => {
        this.#connecting = undefined;
        this.#stopped = true;
        this.#setState('disconnected');
        throw err;
      },
    );
    this.#connecting = attempt;
    return attempt;
  }

  /** Sends QUIT, waits for the server to close (briefly), and stops reconnecting. */
  async quit(reason = 'Leaving'): Promise<void> {
    this.#stopped = true;
    this.#cancelReconnect();
    const transport = this.#transport;
    if (transport?.isOpen) {
      this.#session?.send(ircMessage('QUIT', [reason]));
      await transport.end();
    }
    this.#setState('disconnected');
  }

  /** Stops at once: no QUIT round trip, no reconnect. */
  disconnect(): void {
    this.#stopped = true;
    this.#cancelReconnect();
    if (this.#transport?.isOpen) {
      this.#session?.send(ircMessage('QUIT', ['Disconnected']));
      this.#transport.close();
    }
    this.#setState('disconnected');
  }

  dispose(): void {
    if (this.#disposed) return;
    this.disconnect();
    this.#disposed = true;
    this.#features.dispose();
    this.#events.dispose();
  }

  async #open(reconnecting: boolean): Promise<void> {
    const o = this.#options;
    const transport = new Transport({
      host: o.host,
      port: o.port,
      connectTimeoutMs: o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      ...(o.tls !== undefined ? { tls: o.tls } : {}),
      ...(o.rejectUnauthorized !== undefined ? { rejectUnauthorized: o.rejectUnauthorized } : {}),
      ...(o.ca !== undefined ? { ca: o.ca } : {}),
      ...(o.fingerprint256 !== undefined ? { fingerprint256: o.fingerprint256 } : {}),
    });
    this.#transport = transport;
    await transport.open();
    if (this.#stopped || this.#transport !== transport) {
      transport.close();
      throw new ClientError('closed', 'Connection cancelled');
    }
    const session = new Session(
      {
        options: o,
        state: this.#state,
        events: this.#events,
        outgoing: this.#outgoing,
        features: this.#features,
        send: (m: IrcMessage) => transport.send(m),
        abort: () => transport.close(),
        nick: this.#wantedNick,
        reconnecting,
      },
      HANDLERS,
    );
    this.#session = session;
    transport.onMessage((m) => {
      this.#touch(session);
      session.receive(m);
    });
    transport.onClose((err) => this.#closed(session, err));
    const registered = session.whenRegistered();
    this.#registrationTimer = setTimeout(
      () => session.fail(new ClientError('timeout', `The server at ${transport.where} did not complete registration in time`)),
      o.registrationTimeoutMs ?? DEFAULT_REGISTRATION_TIMEOUT_MS,
    );
    session.start();
    this.#touch(session);
    try {
      await registered;
    } finally {
      clearTimeout(this.#registrationTimer);
    }
    this.#nick = session.nick;
    this.#everRegistered = true;
    this.#regainNick(session);
    this.#attempt = 0;
    this.#setState('registered');
  }

  /** Keepalive: PING after a quiet interval, drop the link if the next interval is quiet too. */
  #touch(session: Session): void {
    clearTimeout(this.#idleTimer);
    const interval = this.#options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
    this.#idleTimer = setTimeout(() => {
      if (this.#session !== session) return;
      session.ping('keepalive');
      this.#idleTimer = setTimeout(() => {
        if (this.#session === session) session.fail(new ClientError('timeout', 'The server stopped answering (ping timeout)'));
      }, interval);
    }, interval);
  }

  #closed(session: Session, err: ClientError | undefined): void {
    if (this.#session !== session) return;
    clearTimeout(this.#idleTimer);
    clearInterval(this.#regainTimer);
    clearTimeout(this.#registrationTimer);
    this.#session = undefined;
    this.#transport = undefined;
    const reason = session.closingError ?? err ?? new ClientError('closed', 'Disconnected');
    session.closed(reason);
    const wasRegistered = session.registered;
    if (session.registered) this.#nick = session.nick;
    this.#outgoing.failAllPending('The connection was lost before the server confirmed this message');
    this.#features.connectionLost(reason.message);
    for (const room of this.#state.rooms.values()) {
      if (!room.joined) continue;
      room.joined = false;
      room.members.clear();
      this.#events.room.fire({ room: room.name, reason: 'disconnected', message: reason.message });
    }
    if (this.#stopped) {
      this.#setState('disconnected');
      return;
    }
    // The first connect() reports through its promise; later drops through onDidError.
    if (wasRegistered) this.#events.error.fire(reason);
    if (!this.#everRegistered || this.#options.reconnect === false) {
      if (this.#everRegistered) {
        this.#stopped = true;
        this.#setState('disconnected');
      }
      return;
    }
    if (isFatal(reason.code) && reason.code !== 'nick-in-use') {
      this.#stopped = true;
      if (!wasRegistered) this.#events.error.fire(reason);
      this.#setState('disconnected');
      return;
    }
    this.#scheduleReconnect();
  }

  /**
   * Registered under an alternative nick (our previous connection may still hold ours until the
   * server times it out): ask for the chosen nick again every 15 s (nickRegainIntervalMs), at most 20 times.
   */
  #regainNick(session: Session): void {
    clearInterval(this.#regainTimer);
    if (this.#state.same(session.nick, this.#wantedNick)) return;
    let tries = 0;
    session.regainingNick = true;
    this.#regainTimer = setInterval(() => {
      const done = this.#session !== session || this.#state.same(session.nick, this.#wantedNick) || ++tries > 20;
      if (done) {
        session.regainingNick = false;
        clearInterval(this.#regainTimer);
        return;
      }
      session.send(ircMessage('NICK', [this.#wantedNick]));
    }, this.#options.nickRegainIntervalMs ?? REGAIN_NICK_INTERVAL_MS);
  }

  #scheduleReconnect(): void {
    this.#setState('reconnecting');
    const delay = backoffDelay(this.#attempt++, this.#options.backoff ?? DEFAULT_BACKOFF);
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (this.#stopped) return;
      this.#open(true).catch(() => {
        // #closed() has already decided: another attempt, or stop on a fatal error.
        if (!this.#stopped && !this.#session && !this.#reconnectTimer) this.#scheduleReconnect();
      });
    }, delay);
  }

  #cancelReconnect(): void {
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    clearInterval(this.#regainTimer);
  }

  #setState(state: ConnectionState): void {
    if (this.#connectionState === state) return;
    this.#connectionState = state;
    this.#events.state.fire(state);
  }

  #registeredSession(): Session | undefined {
    const s = this.#session;
    return s?.registered ? s : undefined;
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
    const s = this.#registeredSession();
    if (s) s.send(ircMessage('NICK', [nick]));
    else this.#nick = nick;
    this.#wantedNick = nick;
  }

  // ---- messages ----

  sendMessage(target: string, text: string): OutgoingMessageHandle {
    return this.#sendChat(target, text, 'privmsg');
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

  #sendChat(target: string, text: string, kind: MessageKind): OutgoingMessageHandle {
    const out = this.#outgoing.create(target, text, kind);
    const s = this.#session;
    const chat: ChatMessage = { target, from: s?.nick ?? this.#nick, text, time: new Date(), self: true, kind, localId: out.localId };
    out.chat = chat;
    this.#state.addMessage(chat);
    this.#events.message.fire(chat);
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

  #watchPartner(target: string): void {
    const s = this.#session;
    if (!(s ? s.isChannel(target) : isChannelName(target))) this.#features.watch(s, target);
  }

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

  /** Marks `target` read up to `time` (draft/read-marker); no-op without the capability. */
  markRead(target: string, time: Date = new Date()): void {
    const s = this.#registeredSession();
    if (s && s.hasCap('draft/read-marker')) s.send(ircMessage('MARKREAD', [target, `timestamp=${time.toISOString()}`]));
  }

  /** Whether the server offers chathistory / multiline / read markers / typing, for the UI. */
  supports(feature: 'history' | 'multiline' | 'read-marker' | 'typing' | 'echo' | 'account-registration' | 'monitor'): boolean {
    const s = this.#session;
    if (!s) return false;
    switch (feature) {
      case 'history':
        return this.#features.history.supported(s);
      case 'multiline':
        return s.hasCap('draft/multiline');
      case 'read-marker':
        return s.hasCap('draft/read-marker');
      case 'typing':
        return this.#features.typing.supported(s);
      case 'echo':
        return s.hasCap('echo-message');
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

function handleOf(m: { localId: string; target: string; state: MessageState; reason?: string }): OutgoingMessageHandle {
  return m.reason !== undefined ? { localId: m.localId, target: m.target, state: m.state, reason: m.reason } : { localId: m.localId, target: m.target, state: m.state };
}
