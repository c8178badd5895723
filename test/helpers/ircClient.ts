// A scriptable IRC client for tests, over real TCP or TLS.
//
//   const alice = await IrcTestClient.connect(srv.port);
//   await alice.register('alice', { caps: ['message-tags', 'echo-message'] });
//   alice.send('JOIN #room');
//   await alice.waitFor((m) => m.command === 'JOIN' && m.params[0] === '#room');
//   const err = await alice.waitFor(ERR_NOSUCHNICK);          // a command name or numeric
//   await alice.close();
//
// waitFor() returns the EARLIEST received message that matches and has not been returned by an
// earlier waitFor() (each message is returned at most once; non-matching ones stay available).
// It resolves on the real event; the timeout is only a safety net and the error lists what was
// received. sync() (PING/PONG round trip) proves the server has answered everything sent before.
import { Socket, connect as netConnect } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { parseMessage, type IrcMessage } from '../../src/protocol/message.ts';

export type Matcher = string | ((m: IrcMessage) => boolean);

export interface ConnectOptions {
  host?: string;
  /** Local address to connect from (e.g. 127.0.0.2: another "host" on the loopback network). */
  localAddress?: string;
  /** Connect with TLS; `ca` trusts a test certificate, otherwise certificate checks are off. */
  tls?: boolean | { ca?: string; servername?: string };
  /** Safety-net timeout for the connection itself. Default 10 s. */
  timeoutMs?: number;
}

export interface RegisterOptions {
  /** Capabilities to request; the registration fails if the server NAKs them. */
  caps?: string[];
  /** Skip CAP negotiation entirely (a plain RFC 1459 client). Default: CAP LS 302 ... CAP END. */
  noCap?: boolean;
  user?: string;
  realname?: string;
  /** Sent as PASS before anything else. */
  password?: string;
  /** SASL PLAIN login (adds the `sasl` capability). */
  sasl?: { account: string; password: string };
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT = 10_000;

interface Waiter {
  match: (m: IrcMessage) => boolean;
  resolve: (m: IrcMessage) => void;
}

export class IrcTestClient {
  /** Every line received, raw, in order (for failure messages). */
  readonly lines: string[] = [];
  /** Every line sent, in order. */
  readonly sent: string[] = [];
  /** Parsed received messages, in order (unparseable lines appear only in `lines`). */
  readonly messages: IrcMessage[] = [];
  /** Server capabilities from CAP LS (name -> value, '' when none), after register(). */
  readonly serverCaps = new Map<string, string>();
  /** Resolves when the connection has closed (either side). */
  readonly closed: Promise<void>;
  /** The nick given to register(). */
  nick = '';

  private readonly socket: Socket | TLSSocket;
  private readonly consumed = new Set<IrcMessage>();
  private readonly waiters = new Set<Waiter>();
  private buffer = '';
  private isClosed = false;
  private syncCounter = 0;
  private readonly label: string;

  private constructor(socket: Socket | TLSSocket, label: string) {
    this.socket = socket;
    this.label = label;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', () => {
      /* surfaced through `closed` and the waiters' timeouts */
    });
    this.closed = new Promise((res) => socket.once('close', () => {
      this.isClosed = true;
      res();
    }));
  }

  /** Connects and resolves once the TCP (or TLS) connection is established. */
  static connect(port: number, opts: ConnectOptions = {}): Promise<IrcTestClient> {
    const host = opts.host ?? '127.0.0.1';
    return new Promise((resolve, reject) => {
      let socket: Socket | TLSSocket;
      const ready = () => {
        clearTimeout(timer);
        socket.off('error', fail);
        resolve(new IrcTestClient(socket, `${host}:${port}`));
      };
      const fail = (e: Error) => {
        clearTimeout(timer);
        reject(new Error(`cannot connect to ${host}:${port}: ${e.message}`));
      };
      if (opts.tls) {
        const t = typeof opts.tls === 'object' ? opts.tls : {};
        // From a chosen local address: TLS over a TCP socket made for it (tls.connect's types lack localAddress).
        const tcp = opts.localAddress === undefined ? undefined : netConnect({ host, port, localAddress: opts.localAddress });
        tcp?.once('error', (e) => fail(e));
        socket = tlsConnect({ host, port, socket: tcp, ca: t.ca, servername: t.servername ?? 'localhost', rejectUnauthorized: t.ca !== undefined }, ready);
      } else {
        socket = netConnect({ host, port, localAddress: opts.localAddress }, ready);
      }
      socket.once('error', fail);
      const timer = setTimeout(() => {
        socket.destroy();
        fail(new Error('timed out'));
      }, opts.timeoutMs ?? DEFAULT_TIMEOUT);
    });
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      if (line === '') continue;
      this.lines.push(line);
      let msg: IrcMessage;
      try {
        msg = parseMessage(line);
      } catch {
        continue;
      }
      // Answer the server's keep-alive so long tests are not dropped for ping timeout.
      if (msg.command === 'PING') this.send(`PONG :${msg.params[0] ?? ''}`);
      this.messages.push(msg);
      for (const w of this.waiters) {
        if (!this.consumed.has(msg) && w.match(msg)) {
          this.consumed.add(msg);
          this.waiters.delete(w);
          w.resolve(msg);
        }
      }
    }
  }

  /** Sends one line (CR LF added). Throws if the line contains CR or LF (use sendRaw for that). */
  send(line: string): void {
    if (/[\r\n]/.test(line)) throw new Error(`send() got a line with CR/LF; use sendRaw(): ${JSON.stringify(line)}`);
    this.sendRaw(`${line}\r\n`);
  }

  /** Writes bytes as they are (hostile-input tests). */
  sendRaw(data: string | Buffer): void {
    if (this.isClosed || this.socket.destroyed) return;
    if (typeof data === 'string') for (const l of data.split('\r\n')) if (l) this.sent.push(l);
    this.socket.write(data);
  }

  /**
   * Waits for the earliest unreturned message matching `match`: a command name (case-insensitive)
   * or numeric ('001', or a named constant like RPL_WELCOME), or a predicate.
   */
  waitFor(match: Matcher, timeoutMs = DEFAULT_TIMEOUT): Promise<IrcMessage> {
    const pred = typeof match === 'string' ? (m: IrcMessage) => m.command.toUpperCase() === match.toUpperCase() : match;
    for (const m of this.messages) {
      if (!this.consumed.has(m) && pred(m)) {
        this.consumed.add(m);
        return Promise.resolve(m);
      }
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match: pred,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      this.waiters.add(waiter);
      const what = typeof match === 'string' ? `'${match}'` : `a message matching ${match.toString().slice(0, 120)}`;
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`${this.nick || this.label}: no ${what} within ${timeoutMs} ms${this.isClosed ? ' (connection closed)' : ''}.\n${this.transcript()}`));
      }, timeoutMs);
      if (this.isClosed) {
        // Nothing more will arrive: fail now rather than at the timeout.
        clearTimeout(timer);
        this.waiters.delete(waiter);
        reject(new Error(`${this.nick || this.label}: connection closed before ${what}.\n${this.transcript()}`));
      } else {
        void this.closed.then(() => {
          if (!this.waiters.has(waiter)) return;
          clearTimeout(timer);
          this.waiters.delete(waiter);
          reject(new Error(`${this.nick || this.label}: connection closed before ${what}.\n${this.transcript()}`));
        });
      }
    });
  }

  /**
   * Waits for `end` like waitFor, then returns every unreturned message received up to and
   * including it (e.g. a whole NAMES reply or batch), and marks them all returned.
   */
  async collectUntil(end: Matcher, timeoutMs = DEFAULT_TIMEOUT): Promise<IrcMessage[]> {
    const last = await this.waitFor(end, timeoutMs);
    const idx = this.messages.indexOf(last);
    const out = this.messages.slice(0, idx + 1).filter((m) => m === last || !this.consumed.has(m));
    for (const m of out) this.consumed.add(m);
    return out;
  }

  /** Marks everything received so far as returned (later waitFor() only sees newer messages). */
  skipAll(): void {
    for (const m of this.messages) this.consumed.add(m);
  }

  /** PING/PONG round trip: afterwards every reply to lines sent before has arrived. */
  async sync(timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    const token = `sync${++this.syncCounter}x${Date.now()}`;
    this.send(`PING ${token}`);
    await this.waitFor((m) => m.command === 'PONG' && m.params.includes(token), timeoutMs);
  }

  /** Messages received so far that no waitFor() returned, e.g. to assert nothing unexpected arrived (after sync()). */
  unreturned(filter?: (m: IrcMessage) => boolean): IrcMessage[] {
    return this.messages.filter((m) => !this.consumed.has(m) && (!filter || filter(m)));
  }

  /**
   * Registers: [PASS], CAP LS 302, NICK, USER, CAP REQ + [SASL PLAIN], CAP END; resolves with 001.
   * Rejects with the server's reply if it refuses (433, 432, 464, 904, ERROR...).
   */
  async register(nick: string, opts: RegisterOptions = {}): Promise<IrcMessage> {
    const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT;
    this.nick = nick;
    if (opts.password !== undefined) this.send(`PASS :${opts.password}`);
    const useCap = !opts.noCap;
    if (useCap) this.send('CAP LS 302');
    this.send(`NICK ${nick}`);
    this.send(`USER ${opts.user ?? nick} 0 * :${opts.realname ?? `${nick} (test)`}`);
    if (useCap) {
      // CAP LS replies may span several lines: "CAP * LS * :..." until one without the '*'.
      for (;;) {
        const ls = await this.waitFor((m) => m.command === 'CAP' && m.params[1] === 'LS', timeout);
        const more = ls.params.length >= 4 && ls.params[2] === '*';
        for (const tok of (ls.params[ls.params.length - 1] ?? '').split(' ').filter(Boolean)) {
          const eq = tok.indexOf('=');
          this.serverCaps.set(eq < 0 ? tok : tok.slice(0, eq), eq < 0 ? '' : tok.slice(eq + 1));
        }
        if (!more) break;
      }
      const want = [...(opts.caps ?? [])];
      if (opts.sasl && !want.includes('sasl')) want.push('sasl');
      if (want.length > 0) {
        this.send(`CAP REQ :${want.join(' ')}`);
        const ans = await this.waitFor((m) => m.command === 'CAP' && (m.params[1] === 'ACK' || m.params[1] === 'NAK'), timeout);
        if (ans.params[1] === 'NAK') throw new Error(`${nick}: server refused capabilities: ${ans.params[2] ?? ''}\n${this.transcript()}`);
      }
      if (opts.sasl) {
        this.send('AUTHENTICATE PLAIN');
        await this.waitFor((m) => m.command === 'AUTHENTICATE' && m.params[0] === '+', timeout);
        const payload = Buffer.from(`${opts.sasl.account}\0${opts.sasl.account}\0${opts.sasl.password}`).toString('base64');
        this.send(`AUTHENTICATE ${payload}`);
        const r = await this.waitFor((m) => ['903', '902', '904', '905', '906', '907', '908'].includes(m.command), timeout);
        if (r.command !== '903') throw new Error(`${nick}: SASL failed with ${r.command} ${r.params.slice(1).join(' ')}\n${this.transcript()}`);
      }
      this.send('CAP END');
    }
    const r = await this.waitFor((m) => ['001', '432', '433', '436', '464', '465', 'ERROR'].includes(m.command), timeout);
    if (r.command !== '001') throw new Error(`${nick}: registration refused: ${r.command} ${r.params.join(' ')}\n${this.transcript()}`);
    return r;
  }

  /** QUIT (if still open) and wait for the close; destroys the socket if the server does not close it. */
  async close(): Promise<void> {
    if (!this.isClosed) {
      this.send('QUIT :test done');
      this.socket.end();
      const t = setTimeout(() => this.socket.destroy(), 2000);
      await this.closed;
      clearTimeout(t);
    }
  }

  /** Closes the socket abruptly (no QUIT). */
  destroy(): void {
    this.socket.destroy();
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  /** The last lines sent and received, for failure messages. */
  transcript(max = 40): string {
    const rx = this.lines.slice(-max).map((l) => `  <- ${l}`);
    const tx = this.sent.slice(-10).map((l) => `  -> ${l}`);
    return `last sent:\n${tx.join('\n')}\nlast received:\n${rx.join('\n')}`;
  }
}
