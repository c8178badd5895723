// One connection at a time for IrcClient: opens the transport, runs a Session over the client
// core (core.ts), keeps the link alive (PING after a quiet interval), takes our chosen nick back
// after a reconnect under nick_, and reconnects with backoff after a registered session drops.
import { ircMessage, type IrcMessage } from '../../protocol/message.ts';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';
import { openSession, type ClientCore } from './core.ts';
import { ClientError, isFatal } from './errors.ts';
import type { ClientOptions, ServerAddress } from './options.ts';
import type { Session } from './session.ts';
import { Transport } from './transport.ts';
import type { ConnectionState } from './types.ts';

const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
const DEFAULT_REGISTRATION_TIMEOUT_MS = 30_000;
const DEFAULT_PING_INTERVAL_MS = 90_000;
const REGAIN_NICK_INTERVAL_MS = 15_000;

export class Connector {
  readonly #options: ClientOptions;
  readonly #core: ClientCore;
  #connectionState: ConnectionState = 'disconnected';
  #transport: Transport | undefined;
  #session: Session | undefined;
  #nick: string;
  /** The nick the user chose; after a reconnect under nick_ we take it back once it is free. */
  #wantedNick: string;
  #regainTimer: ReturnType<typeof setInterval> | undefined;
  /** Set by quit()/disconnect(): no more reconnecting. */
  #stopped = true;
  #everRegistered = false;
  #attempt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #registrationTimer: ReturnType<typeof setTimeout> | undefined;
  #connecting: Promise<void> | undefined;
  /** The server of the current (or last) connection. */
  #server: ServerAddress | undefined;
  /** Inside #open's walk down the server list: a failed registration moves on instead of rescheduling. */
  #walking = false;

  constructor(core: ClientCore) {
    this.#core = core;
    this.#options = core.options;
    this.#nick = core.options.nick;
    this.#wantedNick = core.options.nick;
  }

  get state(): ConnectionState {
    return this.#connectionState;
  }

  /** The session of the current connection, registered or not. */
  get session(): Session | undefined {
    return this.#session;
  }

  /** The servers to try, in order: options.servers, else host/port/tls. */
  get servers(): readonly ServerAddress[] {
    const o = this.#options;
    const list = o.servers?.length ? o.servers : [{ host: o.host, port: o.port }];
    return list.map((s) => ({ host: s.host, port: s.port, tls: s.tls ?? o.tls === true }));
  }

  /** The server we are connected or connecting to (the last one tried while disconnected). */
  get server(): ServerAddress | undefined {
    return this.#server;
  }

  get nick(): string {
    return this.#session?.nick ?? this.#nick;
  }

  get wantedNick(): string {
    return this.#wantedNick;
  }

  /** The nick the user wants from now on: asked for now if registered, else used next time. */
  changeNick(nick: string): void {
    const s = this.registeredSession();
    if (s) s.send(ircMessage('NICK', [nick]));
    else this.#nick = nick;
    this.#wantedNick = nick;
  }

  /** Connects and registers; resolves at 001, rejects with a ClientError. */
  connect(): Promise<void> {
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

  /**
   * Tries each server of the list in order until one registers. Each failure fires serverFailed
   * (the reason, for a log); a wrong password or a taken nick ends the walk (the same on every
   * server of a network). Rejects with the last failure.
   */
  async #open(reconnecting: boolean): Promise<void> {
    let last: ClientError | undefined;
    this.#walking = true;
    try {
      for (const server of this.servers) {
        try {
          await this.#openAt(server, reconnecting);
          return;
        } catch (e) {
          const err = e instanceof ClientError ? e : new ClientError('closed', e instanceof Error ? e.message : String(e), { cause: e });
          if (this.#stopped) throw err;
          last = err;
          this.#core.events.serverFailed.fire({ server, error: err });
          if (err.code === 'bad-password' || err.code === 'nick-in-use') throw err;
        }
      }
    } finally {
      this.#walking = false;
    }
    throw last ?? new ClientError('closed', 'No server to connect to');
  }

  async #openAt(server: ServerAddress, reconnecting: boolean): Promise<void> {
    const o = this.#options;
    this.#server = server;
    const transport = new Transport({
      host: server.host,
      port: server.port,
      connectTimeoutMs: o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      ...(server.tls !== undefined ? { tls: server.tls } : {}),
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
    const session = openSession(this.#core, {
      send: (m: IrcMessage) => transport.send(m),
      abort: () => transport.close(),
      nick: this.#wantedNick,
      reconnecting,
    });
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
    const reason = session.registration.closingError ?? err ?? new ClientError('closed', 'Disconnected');
    session.closed(reason);
    const wasRegistered = session.registered;
    if (session.registered) this.#nick = session.nick;
    this.#core.outgoing.failAllPending('The connection was lost before the server confirmed this message');
    this.#core.features.connectionLost(reason.message);
    for (const room of this.#core.state.rooms.values()) {
      if (!room.joined) continue;
      room.joined = false;
      room.members.clear();
      this.#core.events.emit({ type: 'disconnected', room: room.name, reason: reason.message });
    }
    if (this.#stopped) {
      this.#setState('disconnected');
      return;
    }
    // A server of the list failed before registering: #open moves on to the next one.
    if (!wasRegistered && this.#walking) return;
    // The first connect() reports through its promise; later drops through onDidError.
    if (wasRegistered) this.#core.events.error.fire(reason);
    if (!this.#everRegistered || this.#options.reconnect === false) {
      if (this.#everRegistered) {
        this.#stopped = true;
        this.#setState('disconnected');
      }
      return;
    }
    if (isFatal(reason.code) && reason.code !== 'nick-in-use') {
      this.#stopped = true;
      if (!wasRegistered) this.#core.events.error.fire(reason);
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
    if (this.#core.state.same(session.nick, this.#wantedNick)) return;
    let tries = 0;
    session.registration.regainingNick = true;
    this.#regainTimer = setInterval(() => {
      const done = this.#session !== session || this.#core.state.same(session.nick, this.#wantedNick) || ++tries > 20;
      if (done) {
        session.registration.regainingNick = false;
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
      this.#open(true).catch((err: ClientError) => {
        // Every server failed: another round after a longer wait, or stop when retrying is pointless.
        if (this.#stopped || this.#session || this.#reconnectTimer) return;
        if (err.code === 'bad-password' || err.code === 'banned') {
          this.#stopped = true;
          this.#core.events.error.fire(err);
          this.#setState('disconnected');
          return;
        }
        this.#scheduleReconnect();
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
    this.#core.events.state.fire(state);
  }

  /** The session, once registered (commands wait for 001). */
  registeredSession(): Session | undefined {
    const s = this.#session;
    return s?.registered ? s : undefined;
  }
}
