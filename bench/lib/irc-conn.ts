// A bare IRC client connection for the load generator: one raw `net` socket and one parse loop
// over the received bytes. Bench payloads (":~B<t>,<a>,<b>" at the end of a line) are decoded
// straight from the Buffer without making a string; every other line takes the slow path.

import net from 'node:net';

/** Microseconds on this process's monotonic clock; bench payloads carry it. */
export function nowUs(): number {
  return Math.round(performance.now() * 1000);
}

/** The trailing text every bench message carries: "~B<sendUs>,<a>,<b>". */
export function benchText(sendUs: number, a: number, b: number, pad: string): string {
  return `${pad}~B${sendUs},${a},${b}`;
}

export type ConnEvents = {
  /** A bench payload arrived; `now` is the arrival time of the chunk it came in. */
  onBench(conn: IrcConn, sendUs: number, a: number, b: number, now: number): void;
  /** Any other line, with its command (numerics stay 3-digit strings). */
  onLine?(conn: IrcConn, command: string, line: string): void;
  onClose?(conn: IrcConn, hadError: boolean): void;
  /** After each received chunk has been parsed (drives closed-loop senders). */
  onChunkEnd?(conn: IrcConn): void;
};

const CR = 13;
const LF = 10;
const COLON = 58;
const COMMA = 44;
const SPACE = 32;
const AT = 64;
const TILDE = 126;
const B = 66;

// Commands whose lines only matter as a count (join storms at setup): no string for the line.
const COUNTED = new Set(['JOIN']);

// All sockets read into this one buffer; each read is parsed before the next one lands.
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

export class IrcConn {
  readonly id: number;
  readonly nick: string;
  readonly socket: net.Socket;
  readonly events: ConnEvents;
  registered = false;
  closed = false;
  /** The socket error that closed the connection, if any (ECONNRESET…). */
  lastError: string | null = null;
  /** Counts of lines by command for counted commands (JOIN). */
  joinsSeen = 0;
  /** Free slot for the scenario (e.g. a pending resolver). */
  waiter: ((command: string, line: string) => boolean) | null = null;
  private partial: Buffer | null = null;

  /** `localAddress`: the source address to connect from (each loopback address has its own ephemeral ports). */
  constructor(id: number, nick: string, host: string, port: number, events: ConnEvents, localAddress?: string) {
    this.id = id;
    this.nick = nick;
    this.events = events;
    // `onread` hands each read in one shared buffer, skipping the stream machinery and a
    // Buffer per chunk: with 1,000 receivers every message is 1,000 reads.
    this.socket = net.connect({
      host,
      port,
      ...(localAddress !== undefined ? { localAddress } : {}),
      noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        callback: (n: number, buf: Uint8Array): boolean => {
          this.feed(buf as Buffer, n);
          return true;
        },
      },
    });
    this.socket.on('error', (err: NodeJS.ErrnoException) => (this.lastError = err.code ?? err.message));
    this.socket.on('close', (hadError: boolean) => {
      this.closed = true;
      this.events.onClose?.(this, hadError);
    });
  }

  send(text: string): void {
    if (!this.closed) this.socket.write(text);
  }

  register(): void {
    this.send(`NICK ${this.nick}\r\nUSER ${this.nick} 0 * :bench\r\n`);
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Parses `n` bytes at the start of `chunk`, which is reused after this returns. */
  private feed(chunk: Buffer, n: number): void {
    const now = nowUs();
    let buf = chunk;
    let len = n;
    if (this.partial !== null) {
      buf = Buffer.concat([this.partial, chunk.subarray(0, n)]);
      len = buf.length;
      this.partial = null;
    }
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(LF, start);
      if (nl < 0 || nl >= len) break;
      let end = nl;
      if (end > start && buf[end - 1] === CR) end--;
      if (end > start && !this.tryBench(buf, start, end, now)) this.slowLine(buf, start, end);
      start = nl + 1;
    }
    if (start < len) this.partial = Buffer.from(buf.subarray(start, len));
    this.events.onChunkEnd?.(this);
  }

  /** Decodes ":~B<t>,<a>,<b>" or " ~B<t>,<a>,<b>" at the end of the line, right to left. */
  private tryBench(buf: Buffer, start: number, end: number, now: number): boolean {
    let i = end - 1;
    let b = 0;
    let mul = 1;
    let c = buf[i];
    if (c === undefined || c < 48 || c > 57) return false;
    while (i >= start && (c = buf[i]!) >= 48 && c <= 57) {
      b += (c - 48) * mul;
      mul *= 10;
      i--;
    }
    if (i < start || buf[i] !== COMMA) return false;
    i--;
    let a = 0;
    mul = 1;
    while (i >= start && (c = buf[i]!) >= 48 && c <= 57) {
      a += (c - 48) * mul;
      mul *= 10;
      i--;
    }
    if (mul === 1 || i < start || buf[i] !== COMMA) return false;
    i--;
    let t = 0;
    mul = 1;
    while (i >= start && (c = buf[i]!) >= 48 && c <= 57) {
      t += (c - 48) * mul;
      mul *= 10;
      i--;
    }
    if (mul === 1 || i - 2 < start || buf[i] !== B || buf[i - 1] !== TILDE) return false;
    const before = buf[i - 2];
    if (before !== COLON && before !== SPACE) return false;
    this.events.onBench(this, t, a, b, now);
    return true;
  }

  private slowLine(buf: Buffer, start: number, end: number): void {
    // Skip IRCv3 tags and the source prefix to find the command.
    let i = start;
    if (buf[i] === AT) {
      i = buf.indexOf(SPACE, i);
      if (i < 0 || i >= end) return;
      while (buf[i] === SPACE) i++;
    }
    if (buf[i] === COLON) {
      i = buf.indexOf(SPACE, i);
      if (i < 0 || i >= end) return;
      while (buf[i] === SPACE) i++;
    }
    let ce = buf.indexOf(SPACE, i);
    if (ce < 0 || ce > end) ce = end;
    const command = buf.toString('latin1', i, ce);
    if (COUNTED.has(command)) {
      this.joinsSeen++;
      return;
    }
    const line = buf.toString('utf8', start, end);
    if (command === 'PING') {
      this.send(`PONG ${line.slice(line.indexOf('PING') + 5)}\r\n`);
      return;
    }
    if (command === '001') this.registered = true;
    if (this.waiter !== null && this.waiter(command, line)) this.waiter = null;
    this.events.onLine?.(this, command, line);
  }
}

/** Resolves when the connection sees a line matching `match`, or rejects on close / timeout. */
export function waitFor(
  conn: IrcConn,
  match: (command: string, line: string) => boolean,
  timeoutMs: number,
  what: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    if (conn.closed) {
      reject(new Error(`${conn.nick}: connection closed (${conn.lastError ?? 'by the server'}) before ${what}`));
      return;
    }
    const timer = setTimeout(() => {
      conn.waiter = null;
      reject(new Error(`${conn.nick}: timed out waiting for ${what}`));
    }, timeoutMs);
    const onClose = (): void => {
      clearTimeout(timer);
      conn.waiter = null;
      reject(new Error(`${conn.nick}: connection closed (${conn.lastError ?? 'by the server'}) before ${what}`));
    };
    conn.socket.once('close', onClose);
    conn.waiter = (command, line) => {
      if (isFatal(command)) {
        clearTimeout(timer);
        conn.socket.off('close', onClose);
        reject(new Error(`${conn.nick}: ${line} (waiting for ${what})`));
        return true;
      }
      if (!match(command, line)) return false;
      clearTimeout(timer);
      conn.socket.off('close', onClose);
      resolve(line);
      return true;
    };
  });
}

// Replies that end a wait with an error: ERROR, nick problems, join refusals, unknown command.
const FATAL = new Set(['ERROR', '421', '432', '433', '436', '437', '451', '461', '403', '405', '471', '473', '474', '475']);

function isFatal(command: string): boolean {
  return FATAL.has(command);
}
