// The server: TCP and TLS listeners, accepting connections, removing clients, shutting down.
// Everything per-command lives in commands/; everything per-socket in connection.ts.
import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { IsupportValue } from '../protocol/isupport.ts';
import { AuthGuard } from './auth/guard.ts';
import { CapabilityRegistry } from './caps.ts';
import { Client } from './client.ts';
import { coreCommands } from './commands/index.ts';
import type { ServerConfig } from './config/types.ts';
import { Connection, peerAddress, type ConnectionEvents } from './connection.ts';
import type { CommandTable, LineInterceptor, Logger, OfflineDelivery, ServerContext } from './context.ts';
import { enqueueLine, lineTooLong, releaseInbox } from './dispatch.ts';
import { Hooks } from './hooks.ts';
import { defaultIsupport } from './isupport.ts';
import { ConnectionCounter, FloodLimiter, RefusalLog, type Refusal } from './limits/index.ts';
import { startLiveness } from './liveness.ts';
import { startRetention } from './retention.ts';
import { eventTags } from './msgtags.ts';
import { Outgoing } from './outgoing.ts';
import { peersOf } from './peers.ts';
import { Registry } from './registry.ts';
import { loadRegisteredRooms } from './rooms.ts';
import type { Store } from './storage/types.ts';
import { leave } from './commands/channels.ts';
import { installFeatures } from './features.ts';
import { startTlsHandshake } from './tls/index.ts';

export const SERVER_VERSION = 'chatroom-0.1.0';

/** Grace period for clients to read their ERROR at shutdown before sockets are destroyed (exit within 2 s). */
const SHUTDOWN_GRACE_MS = 500;

export interface ListenAddresses {
  host: string;
  port: number;
  tlsPort?: number;
}

export interface ChatServerOptions {
  config: ServerConfig;
  store: Store;
  motd: string[] | null;
  tls?: { cert: Buffer; key: Buffer } | null;
  log?: Logger;
}

const stderrLogger: Logger = {
  info: (msg) => process.stderr.write(`${new Date().toISOString()} ${msg}\n`),
  error: (msg, err) =>
    process.stderr.write(`${new Date().toISOString()} ERROR ${msg}${err ? `: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}` : ''}\n`),
};

export class ChatServer implements ServerContext {
  readonly config: ServerConfig;
  readonly name: string;
  readonly version = SERVER_VERSION;
  readonly startedAt = new Date();
  readonly registry = new Registry();
  readonly store: Store;
  readonly caps = new CapabilityRegistry();
  readonly commands: CommandTable = coreCommands();
  readonly isupport: Map<string, IsupportValue>;
  readonly hooks: Hooks;
  readonly log: Logger;
  readonly motd: string[] | null;
  readonly interceptors: LineInterceptor[] = [];
  readonly userModes = new Set<string>(['i']);
  offlineDelivery: OfflineDelivery | null = null;
  readonly auth: AuthGuard;

  readonly #tlsContext: SecureContext | null;
  /** Connections per IP and in all, counted from TCP accept (TLS handshakes included). */
  readonly #counter: ConnectionCounter;
  readonly #refusals: RefusalLog;
  /** One handler object for every connection's input (no closures per connection). */
  readonly #connectionEvents: ConnectionEvents<Client> = {
    line: (client, bytes) => enqueueLine(this, client, bytes),
    tooLong: (client) => lineTooLong(this, client),
    closed: (client, reason) => this.disconnect(client, reason),
  };
  #plain: Server | null = null;
  #tls: Server | null = null;
  #stopLiveness: (() => void) | null = null;
  #stopRetention: (() => void) | null = null;
  #shuttingDown = false;

  constructor(opts: ChatServerOptions) {
    this.config = opts.config;
    this.name = opts.config.serverName;
    this.store = opts.store;
    this.motd = opts.motd;
    this.log = opts.log ?? stderrLogger;
    this.#tlsContext = opts.tls ? createSecureContext({ cert: opts.tls.cert, key: opts.tls.key }) : null;
    this.isupport = defaultIsupport(opts.config);
    this.hooks = new Hooks((err) => this.log.error('hook listener failed', err));
    this.#counter = new ConnectionCounter(opts.config.limits.maxClientsPerIp, opts.config.limits.maxClients);
    this.#refusals = new RefusalLog((line) => this.log.info(line));
    this.auth = new AuthGuard(opts.config);
    installFeatures(this);
    const rooms = loadRegisteredRooms(this);
    if (rooms > 0) this.log.info(`loaded ${rooms} registered room(s)`);
  }

  newFloodLimiter(): FloodLimiter<Buffer> | null {
    if (!this.config.floodControl) return null;
    const L = this.config.limits;
    // Lines held back beyond the burst before "Excess Flood": a few seconds' worth at the flood rate.
    return new FloodLimiter<Buffer>({ rate: L.floodRate, burst: L.floodBurst, maxQueued: L.floodMaxQueued });
  }

  /** Starts the listeners; resolves with the bound addresses (real ports when 0 was asked). */
  async listen(): Promise<ListenAddresses> {
    const { host, port } = this.config;
    this.#plain = createServer({ pauseOnConnect: false }, (s) => this.#acceptPlain(s));
    const plainPort = await listenOn(this.#plain, host, port);
    const out: ListenAddresses = { host, port: plainPort };
    if (this.config.tls && this.#tlsContext) {
      // A plain TCP listener: the connection is counted before its handshake (tls/handshake.ts).
      this.#tls = createServer({ pauseOnConnect: false }, (s) => this.#acceptTls(s));
      out.tlsPort = await listenOn(this.#tls, host, this.config.tls.port);
      this.auth.tlsPort = out.tlsPort;
    }
    this.#stopLiveness = startLiveness(this);
    this.#stopRetention = startRetention(this);
    return out;
  }

  #acceptPlain(socket: Socket): void {
    const refusal = this.#admit(socket);
    if (refusal === null) return this.#start(socket, false);
    if (refusal === 'shutdown') return;
    socket.end(`ERROR :Closing Link: ${refusalText(refusal, this.config)}\r\n`);
    setTimeout(() => socket.destroy(), 1000).unref();
  }

  #acceptTls(raw: Socket): void {
    // Refused: closed at once, no handshake (that is what it would cost), so no ERROR line either.
    if (this.#admit(raw) !== null) return void raw.destroy();
    const ip = peerAddress(raw);
    startTlsHandshake(raw, this.#tlsContext!, this.config.limits.tlsHandshakeTimeoutSec * 1000, {
      // Secure: the slot now belongs to the client, and disconnect() gives it back.
      secure: (tls) => (this.#shuttingDown ? tls.destroy() : this.#start(tls, true)),
      gone: () => this.#counter.remove(ip),
    });
  }

  /** Counts the connection (null), or says why it is refused; errors of refused sockets are ignored. */
  #admit(socket: Socket): Refusal | 'shutdown' | null {
    const refusal = this.#shuttingDown ? 'shutdown' : this.#counter.admit(peerAddress(socket));
    if (refusal === null) return null;
    socket.on('error', ignore); // errors are reported through 'close'; never let one crash us
    if (refusal === 'shutdown') socket.destroy();
    else this.#refusals.refused(refusal, socket.remoteAddress ?? 'unknown', refusalText(refusal, this.config));
    return refusal;
  }

  #start(socket: Socket, secure: boolean): void {
    // The Connection listens for 'error' itself (and reports it through 'close').
    const conn = new Connection<Client>(socket, secure, this.config.limits.sendqBytes);
    const client = new Client(conn);
    client.passAccepted = this.config.serverPassword === null;
    this.registry.addClient(client);
    conn.start(this.#connectionEvents, client);
  }

  disconnect(client: Client, reason: string, quitMessage?: string): void {
    if (client.quitting) return;
    client.quitting = true;
    if (client.registered) {
      const out = new Outgoing({ tags: {}, source: client.hostmask, command: 'QUIT', params: [quitMessage ?? reason] }, eventTags(client));
      for (const p of peersOf(client)) p.send(out);
    }
    for (const ch of [...client.channels]) leave(this, client, ch);
    this.registry.removeClient(client);
    releaseInbox(client);
    this.#counter.remove(client.conn.ip); // the address admit() counted, as Connection keeps it
    client.conn.close(`Closing Link: ${client.host} (${quitMessage ?? reason})`);
    if (client.registered) this.hooks.emit('quit', client, quitMessage ?? reason);
  }

  /** SIGTERM/SIGINT: stop accepting, ERROR to everyone, flush storage. Resolves when done (< 2 s). */
  async shutdown(): Promise<void> {
    if (this.#shuttingDown) return;
    this.#shuttingDown = true;
    this.#stopLiveness?.();
    this.#stopRetention?.();
    this.#refusals.dispose();
    this.#plain?.close();
    this.#tls?.close();
    const clients = [...this.registry.clients];
    for (const c of clients) {
      c.quitting = true;
      c.conn.close('Server shutting down');
    }
    try {
      this.store.close();
    } catch (err) {
      this.log.error('closing storage failed', err);
    }
    await new Promise<void>((resolve) => {
      const pending = new Set(clients.filter((c) => !c.conn.socket.destroyed));
      if (pending.size === 0) return resolve();
      const timer = setTimeout(() => {
        for (const c of pending) c.conn.destroy();
        resolve();
      }, SHUTDOWN_GRACE_MS);
      for (const c of pending) {
        c.conn.socket.once('close', () => {
          pending.delete(c);
          if (pending.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        });
      }
    });
  }
}

function ignore(): void {}

function refusalText(refusal: Refusal, config: ServerConfig): string {
  return refusal === 'per-ip'
    ? `Too many connections from your IP (at most ${config.limits.maxClientsPerIp})`
    : `Server is full (at most ${config.limits.maxClients} connections)`;
}

function listenOn(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      server.on('error', () => undefined);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr !== null ? addr.port : port);
    });
  });
}
