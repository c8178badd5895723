// One connected user: identity, negotiated capabilities, login, modes, rooms, liveness.
// The socket side lives in Connection; this is the IRC state the handlers read and change.
import { serializeMessage, type IrcMessage } from '../protocol/message.ts';
import type { Channel } from './channel.ts';
import type { Connection } from './connection.ts';
import { Outgoing } from './outgoing.ts';

/** SASL exchange in progress (AUTHENTICATE). */
export interface SaslExchange {
  mechanism: string;
  /** Base64 chunks received so far (each 400 bytes except the last). */
  buffer: string;
}

let nextId = 1;

/** User modes; for a registered client each change is reported (the registry keeps LUSERS counters). */
export class UserModes extends Set<string> {
  onChange: ((mode: string, delta: 1 | -1) => void) | null = null;

  override add(mode: string): this {
    if (!this.has(mode)) {
      super.add(mode);
      this.onChange?.(mode, 1);
    }
    return this;
  }

  override delete(mode: string): boolean {
    const had = super.delete(mode);
    if (had) this.onChange?.(mode, -1);
    return had;
  }

  override clear(): void {
    for (const mode of [...this]) this.delete(mode);
  }
}

export class Client {
  readonly id = nextId++;
  readonly conn: Connection;
  readonly connectedAt = Date.now();
  nick = '*';
  user = '';
  realname = '';
  /** Shown host: the IP (no reverse DNS: loopback/LAN deployments, and DNS would slow registration). */
  readonly host: string;
  registered = false;
  /** CAP LS/REQ seen and no CAP END yet: registration waits (IRCv3 capability negotiation). */
  capNegotiating = false;
  /** 302 if the client sent CAP LS 302 (then caps are listed with values, and cap-notify is implied). */
  capVersion = 0;
  /** PASS matched --server-password (or none is configured). */
  passAccepted = false;
  readonly caps = new Set<string>();
  account: string | null = null;
  /** User modes: 'i' invisible, 'o' server operator. */
  readonly modes = new UserModes();
  away: string | null = null;
  readonly channels = new Set<Channel>();
  sasl: SaslExchange | null = null;
  /** Last time any line arrived (ms); drives PING and the ping timeout. */
  lastInput = Date.now();
  /** Last PRIVMSG/NOTICE/JOIN etc. (ms), for WHOIS idle. */
  lastActive = Date.now();
  /** Token of a PING we sent that has not been answered. */
  pingPending: string | null = null;
  pingSentAt = 0;
  /**
   * The stored-message commit the client's latest message waits for. Messages are relayed in the
   * order their commits resolve; non-message commands wait for it so a PART never overtakes the
   * PRIVMSG sent before it.
   */
  outstanding: Promise<unknown> | null = null;
  quitting = false;

  constructor(conn: Connection) {
    this.conn = conn;
    // '::1' would start a middle parameter with ':' (WHO replies); '0::1' is the same address.
    this.host = conn.ip.startsWith(':') ? `0${conn.ip}` : conn.ip;
  }

  get hostmask(): string {
    return `${this.nick}!${this.user || '~u'}@${this.host}`;
  }

  get isOper(): boolean {
    return this.modes.has('o');
  }

  has(cap: string): boolean {
    return this.caps.has(cap);
  }

  /** Sends a prepared broadcast line, a message (tags sent as given) or a raw CRLF line. */
  send(out: Outgoing | IrcMessage): void {
    if (out instanceof Outgoing) this.conn.write(out.bytesFor(this));
    else this.conn.write(serializeMessage(out) + '\r\n');
  }
}
