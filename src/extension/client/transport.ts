// One TCP (or TLS) connection carrying IRC lines. It knows nothing of IRC state: it frames
// lines, parses them, and reports exactly one `close` with the reason. Reconnecting is the
// caller's business (reconnect.ts), so a Transport is used once and thrown away.
import * as net from 'node:net';
import * as tls from 'node:tls';
import { LineReader, decodeUtf8Strict } from '../../protocol/linereader.ts';
import { MAX_INCOMING_LINE_BYTES } from '../../protocol/limits.ts';
import { parseMessage, serializeMessage, type IrcMessage } from '../../protocol/message.ts';
import { ClientError, fromSocketError } from './errors.ts';
import { Emitter } from './emitter.ts';

export interface TransportOptions {
  host: string;
  port: number;
  tls?: boolean;
  /** Verify the server certificate (default true); false for self-signed team servers. */
  rejectUnauthorized?: boolean;
  /** Extra PEM certificate(s) to trust. */
  ca?: string;
  /**
   * Pinning: trust exactly the certificate with this SHA-256 fingerprint ("AB:CD:…"), whoever
   * signed it and whatever names it holds; any other is refused with PinMismatchError.
   */
  fingerprint256?: string;
  /** Milliseconds to wait for TCP + TLS to be up. */
  connectTimeoutMs: number;
}

/** The server's certificate is not the pinned one: says which it got and which was expected. */
export class PinMismatchError extends ClientError {
  override name = 'PinMismatchError';
  readonly got: string;
  readonly expected: string;
  constructor(where: string, got: string, expected: string) {
    super('tls', `TLS with ${where} failed: its certificate has the SHA-256 fingerprint ${got}, not the pinned ${expected}`);
    this.got = got;
    this.expected = expected;
  }
}

export class Transport {
  readonly #options: TransportOptions;
  #socket: net.Socket | undefined;
  #closed = false;
  readonly #onMessage = new Emitter<IrcMessage>();
  readonly #onClose = new Emitter<ClientError | undefined>();
  readonly #onBadLine = new Emitter<string>();
  /** Every parsed incoming message, in order. */
  readonly onMessage = this.#onMessage.event;
  /** Fires once; the error is undefined when we closed it ourselves. */
  readonly onClose = this.#onClose.event;
  /** A line we could not parse (reported, then ignored: one bad line must not end the session). */
  readonly onBadLine = this.#onBadLine.event;

  constructor(options: TransportOptions) {
    this.#options = options;
  }

  get where(): string {
    return `${this.#options.host}:${this.#options.port}`;
  }

  /** Resolves once the socket (and TLS handshake) is up. */
  open(): Promise<void> {
    const o = this.#options;
    const pin = o.tls ? o.fingerprint256?.toUpperCase() : undefined;
    return new Promise((resolve, reject) => {
      const socket = o.tls
        ? tls.connect({
            host: o.host,
            port: o.port,
            servername: net.isIP(o.host) ? undefined : o.host,
            // A pinned certificate is checked below instead of by CA chain and host name.
            rejectUnauthorized: pin === undefined ? (o.rejectUnauthorized ?? true) : false,
            ...(o.ca !== undefined && pin === undefined ? { ca: [...tls.rootCertificates, o.ca] } : {}),
          })
        : net.connect({ host: o.host, port: o.port });
      this.#socket = socket;
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 60_000);
      const reader = new LineReader(MAX_INCOMING_LINE_BYTES);
      let up = false;
      const timer = setTimeout(() => {
        const err = new ClientError('timeout', `Connection to ${this.where} timed out`);
        this.#finish(err);
        reject(err);
      }, o.connectTimeoutMs);
      socket.once(o.tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        if (pin !== undefined) {
          const got = (socket as tls.TLSSocket).getPeerCertificate().fingerprint256 ?? '(none)';
          if (got.toUpperCase() !== pin) {
            const err = new PinMismatchError(this.where, got, pin);
            this.#finish(err);
            reject(err);
            return;
          }
        }
        up = true;
        resolve();
      });
      socket.on('data', (chunk: Buffer) => {
        for (const ev of reader.push(chunk)) {
          if (this.#closed) return;
          if (ev.kind === 'too-long') {
            this.#onBadLine.fire('(line too long)');
            continue;
          }
          // IRC has no declared encoding; UTF-8 is the norm, Latin-1 the usual legacy fallback.
          const text = decodeUtf8Strict(ev.bytes) ?? ev.bytes.toString('latin1');
          let msg: IrcMessage;
          try {
            msg = parseMessage(text);
          } catch {
            this.#onBadLine.fire(text);
            continue;
          }
          this.#onMessage.fire(msg);
        }
      });
      socket.on('error', (err) => {
        clearTimeout(timer);
        const ce = fromSocketError(err, this.where);
        if (!up) reject(ce);
        this.#finish(ce);
      });
      socket.on('close', () => {
        clearTimeout(timer);
        const ce = new ClientError('closed', `The server ${this.where} closed the connection`);
        if (!up) reject(ce);
        this.#finish(ce);
      });
    });
  }

  get isOpen(): boolean {
    return !this.#closed && this.#socket !== undefined;
  }

  /** Sends one message; silently dropped once closed (the caller learns of that via onClose). */
  send(msg: IrcMessage): void {
    if (this.#closed || !this.#socket) return;
    this.#socket.write(`${serializeMessage(msg)}\r\n`);
  }

  /** Flushes what was written, then closes. */
  end(): Promise<void> {
    const socket = this.#socket;
    if (!socket || this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.close();
        resolve();
      }, 2000);
      this.#onClose.event(() => {
        clearTimeout(timer);
        resolve();
      });
      socket.end();
    });
  }

  /** Closes at once (no close error is reported). */
  close(): void {
    this.#finish(undefined);
  }

  #finish(err: ClientError | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket?.destroy();
    this.#onClose.fire(err);
    this.#onClose.dispose();
    this.#onMessage.dispose();
    this.#onBadLine.dispose();
  }
}
