// One socket (plain or TLS): bytes in -> lines out, lines in -> bytes out.
//
// Incoming: LineReader (src/protocol) cuts lines at 512 + 8191 bytes (RFC 1459 §2.3 body plus the
// message-tags limit) and reports longer lines once, so a 10 MB line without LF costs ~8 KB.
// Outgoing: lines are queued and written once per event-loop turn (one syscall for a burst of
// replies or broadcasts; one server-wide setImmediate flushes every connection). The queue is capped (sendq): a client that does not read is disconnected
// with `ERROR :SendQ exceeded` instead of growing the server's memory.
import type { Socket } from 'node:net';
import { LineReader } from '../protocol/linereader.ts';
import { MAX_INCOMING_LINE_BYTES } from '../protocol/limits.ts';
import { serializeMessage } from '../protocol/message.ts';

/** Queue size at which lines are written at once instead of at the end of the event-loop turn. */
const EARLY_FLUSH_BYTES = 16 * 1024;

// One flush for every connection with queued output, once per event-loop turn (setImmediate runs
// after the turn's I/O callbacks): a broadcast to 1,000 members schedules one callback, not 1,000.
let toFlush: Connection[] = [];
let flushScheduled = false;

function scheduleFlush(conn: Connection): void {
  toFlush.push(conn);
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(flushAll);
}

function flushAll(): void {
  flushScheduled = false;
  const list = toFlush;
  toFlush = [];
  for (const conn of list) conn.flush();
}

export interface ConnectionEvents {
  line(bytes: Buffer): void;
  tooLong(): void;
  /** The socket is gone; called exactly once. */
  closed(reason: string): void;
}

export class Connection {
  readonly socket: Socket;
  readonly ip: string;
  readonly secure: boolean;
  readonly #reader = new LineReader(MAX_INCOMING_LINE_BYTES);
  readonly #sendqBytes: number;
  #events: ConnectionEvents | null = null;
  /** Lines waiting for the end of the turn: shared broadcast Buffers (outgoing.ts) or strings. */
  #queue: (Buffer | string)[] = [];
  #queuedBytes = 0;
  #flushScheduled = false;
  #closing = false;
  #closed = false;
  #closeReason = 'Connection closed';

  constructor(socket: Socket, secure: boolean, sendqBytes: number) {
    this.socket = socket;
    this.secure = secure;
    this.#sendqBytes = sendqBytes;
    const ip = socket.remoteAddress ?? 'unknown';
    this.ip = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (err) => {
      if (!this.#closing) this.#closeReason = `Read error: ${err.message}`;
    });
    socket.on('close', () => this.#onClose());
    // A half-closed socket (client sent FIN) gets no more input; finish our side too.
    socket.on('end', () => {
      if (!this.#closing) this.#closeReason = 'Connection closed';
      socket.end();
    });
  }

  /** Attaches the consumer; call it in the tick the connection was accepted so no data is missed. */
  start(events: ConnectionEvents): void {
    this.#events = events;
    this.socket.resume();
  }

  get isClosing(): boolean {
    return this.#closing || this.#closed;
  }

  /** Queues one CRLF-terminated line (a Buffer is shared with other receivers and never modified). */
  write(line: Buffer | string): void {
    if (this.#closing || this.#closed) return;
    this.#queue.push(line);
    // For a string, characters rather than bytes: counting UTF-8 bytes for every reply line would
    // cost more than the cap is worth; the cap is a memory guard, and a char is at most 3 bytes here.
    this.#queuedBytes += line.length;
    // A large burst (a busy room's group commit relays many lines in one turn) goes to the kernel
    // now, so the sendq measures what the client has not read, not what we have not written yet.
    if (this.#queuedBytes >= EARLY_FLUSH_BYTES) this.flush();
    if (this.#queuedBytes + this.socket.writableLength > this.#sendqBytes) {
      this.#queue = [];
      this.#queuedBytes = 0;
      this.close('SendQ exceeded');
      return;
    }
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      scheduleFlush(this);
    }
  }

  /** Hands the queued lines to the socket in one write (one syscall when the socket is writable). */
  flush(): void {
    this.#flushScheduled = false;
    const queue = this.#queue;
    if (queue.length === 0 || this.#closed) return;
    this.#queue = [];
    this.#queuedBytes = 0;
    if (queue.length === 1) {
      this.socket.write(queue[0]!);
      return;
    }
    // Copying small lines into one Buffer is cheaper than a stream write (or writev entry) per line.
    let bytes = 0;
    for (let i = 0; i < queue.length; i++) {
      const part = queue[i]!;
      if (typeof part === 'string') queue[i] = Buffer.from(part, 'utf8');
      bytes += queue[i]!.length;
    }
    this.socket.write(Buffer.concat(queue as Buffer[], bytes));
  }

  /**
   * Sends `ERROR :reason` (RFC 2812 §3.7.4), flushes and closes. The socket is destroyed after a
   * short grace period if the peer does not read.
   */
  close(reason: string, sendError = true): void {
    if (this.#closing || this.#closed) return;
    if (sendError) {
      try {
        this.#queue.push(serializeMessage({ tags: {}, command: 'ERROR', params: [reason] }) + '\r\n');
      } catch {
        this.#queue.push('ERROR :Closing link\r\n');
      }
    }
    this.flush();
    this.#closing = true;
    this.#closeReason = reason;
    this.socket.end();
    this.socket.pause();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  /** Immediately drops the socket (shutdown after the grace period, write errors). */
  destroy(): void {
    this.socket.destroy();
  }

  #onData(chunk: Buffer): void {
    if (this.#closing || !this.#events) return;
    for (const ev of this.#reader.push(chunk)) {
      if (this.#closing) return;
      if (ev.kind === 'line') this.#events.line(ev.bytes);
      else this.#events.tooLong();
    }
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#events?.closed(this.#closeReason);
  }
}
