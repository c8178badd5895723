// One socket (plain or TLS): bytes in -> lines out, lines in -> bytes out.
//
// Incoming: LineReader (src/protocol) cuts lines at 512 + 8191 bytes (RFC 1459 §2.3 body plus the
// message-tags limit) and reports longer lines once, so a 10 MB line without LF costs ~8 KB.
// Outgoing: lines are queued and written once per event-loop turn (one syscall for a burst of
// replies or broadcasts; a server-wide setImmediate flushes the connections, a slice per turn).
// The queue is capped (sendq): a client that does not read is disconnected with
// `ERROR :SendQ exceeded` instead of growing the server's memory.
import type { Socket } from 'node:net';
import { LineReader } from '../protocol/linereader.ts';
import { MAX_INCOMING_LINE_BYTES } from '../protocol/limits.ts';
import { serializeMessage } from '../protocol/message.ts';

/** Queue size at which lines are written at once instead of at the end of the event-loop turn. */
const EARLY_FLUSH_BYTES = 16 * 1024;

// One flush for every connection with queued output, once per event-loop turn (setImmediate runs
// after the turn's I/O callbacks): a broadcast to 1,000 members schedules one callback, not 1,000.
//
// A broadcast's writes are one syscall per member (~8 µs on loopback: 8 ms for 1,000), so they
// go out FLUSH_SLICE connections per turn: between slices the loop reads the next messages and
// hands them to the storage writer, whose commit then overlaps this fan-out instead of
// following it. Order per connection is kept (one queue each, flushed in order).
const FLUSH_SLICE = 128;
let toFlush: Connection[] = [];
let flushed = 0;
let flushScheduled = false;

function scheduleFlush(conn: Connection): void {
  toFlush.push(conn);
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(flushAll);
}

function flushAll(): void {
  flushScheduled = false;
  const end = Math.min(toFlush.length, flushed + FLUSH_SLICE);
  while (flushed < end) toFlush[flushed++]!.flush();
  if (flushed < toFlush.length) {
    flushScheduled = true;
    setImmediate(flushAll);
    return;
  }
  toFlush = [];
  flushed = 0;
}

/**
 * What the server does with a connection's input. One object serves every connection and is told
 * whose input it is (`owner`), so a connection carries no closures of its own.
 */
export interface ConnectionEvents<Owner> {
  line(owner: Owner, bytes: Buffer): void;
  tooLong(owner: Owner): void;
  /** The socket is gone; called exactly once. */
  closed(owner: Owner, reason: string): void;
}

/**
 * Reads the lines of every connection whose last chunk ended in LF (nearly all, nearly always): a
 * connection gets a LineReader of its own only while one of its lines is split across chunks.
 */
const sharedReader = new LineReader(MAX_INCOMING_LINE_BYTES);

/** What getpeername fills in, from the socket's handle (TCPWrap). */
type PeerHandle = { getpeername?(out: { address?: string }): number };

/**
 * The peer's address. `socket.remoteAddress` caches it in an object it adds to the socket (~100
 * bytes with the property backing store, per connection for as long as it lasts; deleting it again
 * turns the socket into a slow dictionary of ~1.6 KB), so it is read from the handle as Node itself
 * does, into a throwaway object; remoteAddress where the socket has no such handle (TLS).
 */
export function peerAddress(socket: Socket): string {
  const handle = (socket as unknown as { _handle?: PeerHandle | null })._handle;
  let address: string | undefined;
  if (typeof handle?.getpeername === 'function') {
    const out: { address?: string } = {};
    if (handle.getpeername(out) === 0) address = out.address;
  }
  address ??= socket.remoteAddress ?? 'unknown';
  // Connections often come in runs from one address (a NAT, a proxy, loopback): they share one string.
  if (address === lastAddress) return lastAddress;
  lastAddress = address;
  return address;
}
let lastAddress = '';

/** The Connection of each socket, for the socket listeners below (shared by all sockets). */
const bySocket = new WeakMap<Socket, Connection<unknown>>();

export class Connection<Owner = unknown> {
  readonly socket: Socket;
  readonly ip: string;
  readonly secure: boolean;
  /** This connection's unfinished line, when a chunk ended inside one (null: sharedReader reads). */
  #reader: LineReader | null = null;
  readonly #sendqBytes: number;
  #events: ConnectionEvents<Owner> | null = null;
  #owner: Owner | null = null;
  /** Lines waiting for the end of the turn: shared broadcast Buffers (outgoing.ts) or strings; null when none. */
  #queue: (Buffer | string)[] | null = null;
  #queuedBytes = 0;
  #flushScheduled = false;
  #closing = false;
  #closed = false;
  #closeReason = 'Connection closed';
  /** When the client last fell more than a `lagging` threshold behind (ms); 0 while it is not. */
  #behindSince = 0;

  constructor(socket: Socket, secure: boolean, sendqBytes: number) {
    this.socket = socket;
    this.secure = secure;
    this.#sendqBytes = sendqBytes;
    const ip = peerAddress(socket);
    this.ip = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    // Listeners shared by every socket (`this` is the socket): per-socket closures would cost
    // ~300 bytes per connection. A half-closed socket (the client sent FIN) needs no listener of
    // ours: net sockets are not allowHalfOpen, so Node ends our side too and then emits 'close'.
    bySocket.set(socket, this);
    socket.on('data', Connection.#onSocketData);
    socket.on('error', Connection.#onSocketError);
    socket.on('close', Connection.#onSocketClose);
  }

  static #onSocketData(this: Socket, chunk: Buffer): void {
    const conn = bySocket.get(this);
    if (conn) conn.#onData(chunk);
  }

  static #onSocketError(this: Socket, err: Error): void {
    const conn = bySocket.get(this);
    if (conn && !conn.#closing) conn.#closeReason = `Read error: ${err.message}`;
  }

  static #onSocketClose(this: Socket): void {
    const conn = bySocket.get(this);
    if (conn) conn.#onClose();
  }

  /** Attaches the consumer; call it in the tick the connection was accepted so no data is missed. */
  start(events: ConnectionEvents<Owner>, owner: Owner): void {
    this.#events = events;
    this.#owner = owner;
    this.socket.resume();
  }

  get isClosing(): boolean {
    return this.#closing || this.#closed;
  }

  /** Queues one CRLF-terminated line (a Buffer is shared with other receivers and never modified). */
  write(line: Buffer | string): void {
    if (this.#closing || this.#closed) return;
    (this.#queue ??= []).push(line);
    // For a string, characters rather than bytes: counting UTF-8 bytes for every reply line would
    // cost more than the cap is worth; the cap is a memory guard, and a char is at most 3 bytes here.
    this.#queuedBytes += line.length;
    // A large burst (a busy room's group commit relays many lines in one turn) goes to the kernel
    // now, so the sendq measures what the client has not read, not what we have not written yet.
    if (this.#queuedBytes >= EARLY_FLUSH_BYTES) this.flush();
    if (this.#queuedBytes + this.socket.writableLength > this.#sendqBytes) {
      this.#queue = null;
      this.#queuedBytes = 0;
      this.close('SendQ exceeded');
      return;
    }
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      scheduleFlush(this);
    }
  }

  /**
   * Whether the client is more than `bytes` behind on its output (queued here or in the socket's
   * buffer, beyond what the kernel took) and has been for less than `stuckMs`, as of `now`.
   */
  lagging(bytes: number, stuckMs: number, now: number): boolean {
    if (this.#queuedBytes + this.socket.writableLength <= bytes) {
      this.#behindSince = 0;
      return false;
    }
    if (this.#behindSince === 0) this.#behindSince = now;
    return now - this.#behindSince < stuckMs;
  }

  /** Hands the queued lines to the socket in one write (one syscall when the socket is writable). */
  flush(): void {
    this.#flushScheduled = false;
    const queue = this.#queue;
    if (queue === null || this.#closed) return;
    this.#queue = null;
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
      let line: string;
      try {
        line = serializeMessage({ tags: {}, command: 'ERROR', params: [reason] }) + '\r\n';
      } catch {
        line = 'ERROR :Closing link\r\n';
      }
      (this.#queue ??= []).push(line);
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
    const events = this.#events;
    if (this.#closing || events === null) return;
    const owner = this.#owner as Owner;
    const reader = this.#reader ?? sharedReader;
    const lines = reader.push(chunk);
    if (reader === sharedReader) {
      if (!reader.idle) this.#reader = reader.handOver();
    } else if (reader.idle) {
      this.#reader = null;
    }
    for (const ev of lines) {
      if (this.#closing) return;
      if (ev.kind === 'line') events.line(owner, ev.bytes);
      else events.tooLong(owner);
    }
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    bySocket.delete(this.socket);
    this.#events?.closed(this.#owner as Owner, this.#closeReason);
  }
}
