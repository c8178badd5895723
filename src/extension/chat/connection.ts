// One chat connection at a time: creates the IrcClient, joins the configured rooms, and mirrors
// the client into the view model (bind.ts). Pure (no vscode): the commands show what it reports.
import { ClientError } from '../client/errors.ts';
import type { Disposable, IrcClient } from '../client/ircClient.ts';
import type { ChatMessage, ServerNotice } from '../client/types.ts';
import type { ConnectionView, ErrorView, SelfView } from '../../webview/messages.ts';
import { bindClient, olderSource } from './bind.ts';
import { describeConnectError, type ConnectTarget } from './errors.ts';
import { messageFeatures, networkLimits } from './messageActions.ts';
import type { ChatViewModel, IncomingInfo } from './viewModel.ts';

export interface ConnectRequest extends ConnectTarget {
  readonly rooms: readonly string[];
  /** chatroom.servers: the servers of one network, tried in order (host/port is the first). */
  readonly servers?: readonly { readonly host: string; readonly port: number; readonly tls?: boolean }[];
  /** PEM certificate(s) to trust for TLS besides the system CAs (chatroom.tlsCertificate). */
  readonly ca?: string;
  /** With TLS: trust exactly the certificate with this SHA-256 fingerprint (chatroom.tlsFingerprint, parsed). */
  readonly fingerprint256?: string;
  /** SASL PLAIN password for `account`. */
  readonly password?: string;
  /** The hosted server of this window. */
  readonly hosting?: boolean;
}

/** A connect that failed: what to tell the user. */
export class ConnectError extends Error {
  readonly view: ErrorView;
  readonly code: string | undefined;
  constructor(view: ErrorView, code: string | undefined) {
    super(view.message);
    this.name = 'ConnectError';
    this.view = view;
    this.code = code;
  }
}

/** The user declined to send their password in clear (see passwordConsent.ts): nothing was done. */
export class ConnectCancelled extends Error {
  constructor() {
    super('Cancelled: the password was not sent.');
    this.name = 'ConnectCancelled';
  }
}

export type ClientFactory = (request: ConnectRequest) => IrcClient;

export interface ConnectionHooks {
  /** A message counted as unread (for notifications). */
  readonly onIncoming?: (info: IncomingInfo, message: ChatMessage) => void;
  /** A problem after connect (link dropped, fatal error on reconnect). */
  readonly onError?: (view: ErrorView, code: string) => void;
  /** A server notice worth a line in the UI (cannot join, MONITOR full...). */
  readonly onNotice?: (notice: ServerNotice) => void;
  /** Connection state or account changed (status bar, context keys). */
  readonly onChange?: () => void;
  /** A server of the list failed (the reason, for the Output channel); the next one is tried. */
  readonly onServerFailed?: (server: string, reason: string) => void;
  /** Registered on a server (the one of the list that answered). */
  readonly onServerConnected?: (server: string) => void;
  /** Whether a password may go to this host (asks the user for a plain connection to another machine). */
  readonly allowPassword?: (target: { host: string; tls?: boolean }) => Promise<boolean>;
}

export class ChatConnection implements Disposable {
  readonly #model: ChatViewModel;
  readonly #createClient: ClientFactory;
  readonly #hooks: ConnectionHooks;
  #client: IrcClient | undefined;
  #request: ConnectRequest | undefined;
  #subscriptions: Disposable[] = [];
  /**
   * The servers ("host:port") of the network the view shows: those of every request since the view
   * last started afresh. A request naming one of them is the same network (chatroom.servers is the
   * user's word that its servers are one network); one naming none of them is another network.
   */
  readonly #networkServers = new Set<string>();

  constructor(model: ChatViewModel, createClient: ClientFactory, hooks: ConnectionHooks = {}) {
    this.#model = model;
    this.#createClient = createClient;
    this.#hooks = hooks;
  }

  get client(): IrcClient | undefined {
    return this.#client;
  }

  /** What we are connected (or connecting) to. */
  get request(): ConnectRequest | undefined {
    return this.#client ? this.#request : undefined;
  }

  get connected(): boolean {
    return this.#client?.state === 'registered';
  }

  /**
   * True when a password may be sent to `target` (default: the current connection). Asked before
   * REGISTER and SASL; false when the user declined or there is no connection.
   */
  async allowPassword(target: { host: string; tls?: boolean } | undefined = this.request): Promise<boolean> {
    if (!target) return false;
    return this.#hooks.allowPassword ? this.#hooks.allowPassword({ host: target.host, ...(target.tls !== undefined ? { tls: target.tls } : {}) }) : true;
  }

  /**
   * Connects (replacing any current connection) and joins the rooms. Throws ConnectError, or
   * ConnectCancelled (before touching the current connection) when the user keeps their password back.
   */
  async connect(request: ConnectRequest): Promise<void> {
    if (request.password !== undefined) {
      // Every server of the list may get the password: each one is asked about (remembered per host).
      for (const target of request.servers ?? [request]) {
        if (!(await this.allowPassword({ host: target.host, ...(target.tls !== undefined ? { tls: target.tls } : {}) }))) throw new ConnectCancelled();
      }
    }
    const server = `${request.host}:${request.port}`;
    // Another server of the same network (Log In, Log Out, chatroom.servers reordered or extended):
    // what the view shows stays, and the rooms we are in are joined again. Another network: afresh.
    // (ISUPPORT NETWORK cannot decide it: it is a free label; every Chat Room server says "ChatRoom".)
    const wanted = serverKeys(request);
    const keepView = this.#networkServers.size === 0 || wanted.some((s) => this.#networkServers.has(s));
    const wasIn = this.#client && keepView ? this.#model.conversations().filter((c) => c.kind === 'room' && c.joined).map((c) => c.name) : [];
    await this.disconnect();
    if (!keepView) {
      this.#model.reset();
      this.#networkServers.clear();
    }
    for (const s of wanted) this.#networkServers.add(s);
    const client = this.#createClient(request);
    this.#client = client;
    this.#request = request;
    this.#model.setConnection({ state: 'connecting', server }, undefined);
    this.#subscriptions.push(
      ...bindClient(client, this.#model, { onIncoming: (i, m) => this.#hooks.onIncoming?.(i, m) }),
      client.onDidChangeState((state) => {
        if (this.#client !== client) return;
        if (state === 'registered') {
          this.#model.setHistoryAvailable(client.supports('history'));
          const at = client.server;
          if (at) this.#hooks.onServerConnected?.(`${at.host}:${at.port}`);
        }
        this.#showState();
      }),
      client.onDidChangeNick(() => this.#client === client && this.#showState()),
      client.onDidChangeAccount(() => this.#client === client && this.#showState()),
      client.onDidChangeUser((u) => {
        if (this.#client === client && client.fold(u.nick) === client.fold(client.nick)) this.#showState();
      }),
      client.onDidError((err) => {
        if (this.#client !== client) return;
        const view = describeConnectError(err, { ...request, nick: client.nick });
        this.#lastError = view;
        this.#showState();
        this.#hooks.onError?.(view, err.code);
      }),
      client.onDidNotice((n) => this.#client === client && this.#hooks.onNotice?.(n)),
      client.onDidFailServer((f) => this.#client === client && this.#hooks.onServerFailed?.(`${f.server.host}:${f.server.port}`, f.error.message)),
    );
    try {
      await client.connect();
    } catch (error) {
      const view = describeConnectError(error, request);
      if (this.#client === client) this.#drop();
      this.#model.setConnection({ state: 'disconnected', error: view }, undefined);
      this.#hooks.onChange?.();
      throw new ConnectError(view, error instanceof ClientError ? error.code : undefined);
    }
    if (this.#client !== client) return; // replaced meanwhile
    this.#lastError = undefined;
    this.#model.setHistoryAvailable(client.supports('history'));
    const rooms = new Map([...request.rooms, ...wasIn].map((r) => [this.#model.idOf(r), r]));
    for (const room of rooms.values()) client.join(room);
    // Direct conversations kept in the view: their people's presence is followed again.
    for (const c of this.#model.conversations()) if (c.kind === 'dm') client.monitor(c.name);
    this.#showState();
  }

  #lastError: ErrorView | undefined;

  #self(client: IrcClient): SelfView {
    const s = client.status;
    return { nick: client.nick, status: s.status, ...(s.message !== undefined ? { statusMessage: s.message } : {}) };
  }

  #showState(): void {
    const client = this.#client;
    const r = this.#request;
    if (!client || !r) return;
    // With chatroom.servers: the server of the list we are on (or trying).
    const at = client.server ?? r;
    const server = `${at.host}:${at.port}`;
    let view: ConnectionView;
    switch (client.state) {
      case 'registered': {
        const account = client.account;
        const features = messageFeatures(client);
        const limits = r.hosting ? undefined : networkLimits(client);
        view = {
          state: 'connected',
          server,
          nick: client.nick,
          ...(account ? { account } : {}),
          ...(r.hosting ? { hosting: true } : {}),
          ...(features.length > 0 ? { features } : {}),
          ...(limits ? { limits } : {}),
          ...((r.servers?.length ?? 0) > 1 ? { fromList: true } : {}),
        };
        this.#lastError = undefined;
        break;
      }
      case 'reconnecting':
        view = { state: 'reconnecting', server, nick: client.nick, ...(this.#lastError ? { error: this.#lastError } : {}) };
        break;
      case 'connecting':
        view = { state: 'connecting', server };
        break;
      default:
        view = { state: 'disconnected', ...(this.#lastError ? { error: this.#lastError } : {}) };
    }
    this.#model.setConnection(view, client.state === 'disconnected' ? undefined : this.#self(client));
    this.#hooks.onChange?.();
  }

  /** Sends text to a conversation (several lines: one multiline message). False when not possible. */
  send(conversation: string, text: string, replyTo?: string): boolean {
    const client = this.#client;
    const name = this.#model.nameOf(conversation);
    if (!client || !this.connected || !name) return false;
    if (this.#model.kindOf(conversation) === 'room' && !this.#model.joined(conversation)) return false;
    client.sendMessage(name, text, replyTo !== undefined && client.supports('replies') ? { replyTo } : {});
    return true;
  }

  retry(conversation: string, lineId: string): boolean {
    const localId = this.#model.localIdOf(conversation, lineId);
    return localId !== undefined && this.#client?.retry(localId) === true;
  }

  loadOlder(conversation: string): Promise<void> {
    const client = this.#client;
    const name = this.#model.nameOf(conversation);
    if (!client || !name) return Promise.resolve();
    return this.#model.loadOlder(conversation, olderSource(client, name));
  }

  markRead(conversation: string): void {
    this.#model.markRead(conversation);
    const name = this.#model.nameOf(conversation);
    if (name && this.connected) this.#client?.markRead(name);
  }

  typing(conversation: string, state: 'active' | 'paused' | 'done'): void {
    const name = this.#model.nameOf(conversation);
    if (name && this.connected) this.#client?.sendTyping(name, state);
  }

  join(room: string): boolean {
    if (!this.#client) return false;
    this.#client.join(room);
    return true;
  }

  /** Leaves a room (PART) or closes a direct conversation. */
  leave(conversation: string): void {
    const name = this.#model.nameOf(conversation);
    if (!name) return;
    if (this.#model.kindOf(conversation) === 'room') this.#client?.part(name);
    else this.#client?.unmonitor(name);
    this.#model.remove(conversation);
  }

  openDm(nick: string): string {
    this.#client?.monitor(nick);
    return this.#model.openDm(nick);
  }

  setStatus(status: 'online' | 'away' | 'busy', message?: string): void {
    this.#client?.setStatus(status, message);
    this.#showState();
  }

  async disconnect(reason = 'Leaving'): Promise<void> {
    const client = this.#client;
    if (!client) return;
    this.#drop(false);
    try {
      await client.quit(reason);
    } catch {
      // already gone: nothing to tell the user
    } finally {
      client.dispose();
    }
    this.#model.setConnection({ state: 'disconnected' }, undefined);
    this.#hooks.onChange?.();
  }

  #drop(disposeClient = true): void {
    for (const d of this.#subscriptions.splice(0)) d.dispose();
    const client = this.#client;
    this.#client = undefined;
    if (client && disposeClient) client.dispose();
  }

  dispose(): void {
    this.#drop();
  }
}

/** "host:port" of every server a request may connect to. */
function serverKeys(request: ConnectRequest): string[] {
  return (request.servers ?? [request]).map((s) => `${s.host}:${s.port}`.toLowerCase());
}
