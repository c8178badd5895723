// One connected user: identity, negotiated capabilities, login, modes, rooms, liveness.
// The socket side lives in Connection; this is the IRC state the handlers read and change.
import { randomBytes } from 'node:crypto';
import { casefold } from '../protocol/casemap.ts';
import { serializeMessage, type IrcMessage } from '../protocol/message.ts';
import type { Channel } from './channel.ts';
import type { Connection } from './connection.ts';
import { LazySet } from './lazyset.ts';
import { Outgoing } from './outgoing.ts';

/** SASL exchange in progress (AUTHENTICATE). */
export interface SaslExchange {
  mechanism: string;
  /** Base64 chunks received so far (each 400 bytes except the last). */
  buffer: string;
  /**
   * The payload grew past its limit and was answered with one 905: the rest of that stream (more
   * 400-byte chunks, then a shorter one or `+`) is dropped without a word.
   */
  discarding?: true;
}

let nextId = 1;

/**
 * Whole seconds on a monotonic clock that starts with the process. A client's timestamps are kept
 * this way: a small integer is stored in the object itself, where a Date.now() (a double) takes a
 * 16-byte heap box of its own, three per client (issue 15, memory per idle connection).
 */
export function uptimeSec(): number {
  return Math.floor(performance.now() / 1000);
}

/** The Unix time (seconds) of an uptimeSec() reading. */
export function unixSecOf(uptime: number): number {
  return Math.floor(performance.timeOrigin / 1000) + uptime;
}

/** Peers remembered per connection (see Client.rememberPeer); past it the oldest are forgotten. */
const MAX_REMEMBERED_PEERS = 1000;

/** LUSERS counters (owned by the Registry) that a registered client's +i and +o changes update. */
export interface ModeCounters {
  invisible: number;
  opers: number;
}

/**
 * User modes, single letters (RFC 2812 §3.1.5). Kept as a short string rather than a Set: most
 * clients have just 'i', and a string costs nothing per client where a Set's table costs ~150 bytes.
 */
export class UserModes implements Iterable<string> {
  #letters = '';
  /** Set while the client is registered: every change of +i/+o is counted there. */
  counters: ModeCounters | null = null;

  get size(): number {
    return this.#letters.length;
  }

  has(mode: string): boolean {
    return mode.length === 1 && this.#letters.includes(mode);
  }

  add(mode: string): this {
    if (mode.length === 1 && !this.#letters.includes(mode)) {
      this.#letters += mode;
      this.#count(mode, 1);
    }
    return this;
  }

  delete(mode: string): boolean {
    if (!this.has(mode)) return false;
    this.#letters = this.#letters.replace(mode, '');
    this.#count(mode, -1);
    return true;
  }

  clear(): void {
    for (const mode of this.#letters) this.delete(mode);
  }

  [Symbol.iterator](): StringIterator<string> {
    return this.#letters[Symbol.iterator]();
  }

  #count(mode: string, delta: 1 | -1): void {
    const n = this.counters;
    if (n === null) return;
    if (mode === 'i') n.invisible += delta;
    else if (mode === 'o') n.opers += delta;
  }
}

export class Client {
  readonly id = nextId++;
  readonly conn: Connection<Client>;
  /** uptimeSec() when the connection was accepted. */
  readonly connectedAt = uptimeSec();
  nick = '*';
  /** The last nick refused with 433 (REGISTER * then names it: ACCOUNT_EXISTS when an account has it). */
  refusedNick: string | null = null;
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
  /** Capabilities enabled with CAP REQ (allocated on the first one). */
  readonly caps = new LazySet<string>();
  account: string | null = null;
  /** See dmToken (made on first use: most connections never need one). */
  #dmToken: string | undefined;
  /** Casefolded nick -> the DM party this connection last talked to under that nick. */
  #peers: Map<string, { party: string; nick: string }> | undefined;
  /** User modes: 'i' invisible, 'o' server operator. */
  readonly modes = new UserModes();
  away: string | null = null;
  /** Rooms joined (allocated on the first JOIN). */
  readonly channels = new LazySet<Channel>();
  sasl: SaslExchange | null = null;
  /** Last time any line arrived (uptimeSec()); drives PING and the ping timeout. */
  lastInput = uptimeSec();
  /** Last PRIVMSG/NOTICE/JOIN etc. (uptimeSec()), for WHOIS idle. */
  lastActive = uptimeSec();
  /** Token of a PING we sent that has not been answered. */
  pingPending: string | null = null;
  /** uptimeSec() when pingPending was sent. */
  pingSentAt = 0;
  /**
   * The stored-message commit the client's latest message waits for. Messages are relayed in the
   * order their commits resolve; non-message commands wait for it so a PART never overtakes the
   * PRIVMSG sent before it.
   */
  outstanding: Promise<unknown> | null = null;
  quitting = false;

  constructor(conn: Connection<Client>) {
    this.conn = conn;
    // '::1' would start a middle parameter with ':' (WHO replies); '0::1' is the same address.
    this.host = conn.ip.startsWith(':') ? `0${conn.ip}` : conn.ip;
  }

  get hostmask(): string {
    return `${this.nick}!${this.user || '~u'}@${this.host}`;
  }

  /**
   * This connection's side of a DM while it has no account (issue 11, "Who reads which history"):
   * '!' and 96 random bits. Nicks and account names cannot contain '!', and it never repeats, so
   * a conversation of this connection is not readable by whoever takes its nick later.
   */
  get dmToken(): string {
    return (this.#dmToken ??= `!${randomBytes(12).toString('hex')}`);
  }

  /** The token, if this connection ever needed one (it had a DM as a guest). */
  get guestToken(): string | undefined {
    return this.#dmToken;
  }

  /** The parties this connection remembers talking to, each with the nick it was spelled as. */
  rememberedPeers(): { party: string; nick: string }[] {
    return [...(this.#peers?.values() ?? [])].map((p) => ({ ...p }));
  }

  /** A peer logged in: the party this connection remembers as `from` is now `to`. */
  peerBecame(from: string, to: string): void {
    for (const p of this.#peers?.values() ?? []) if (p.party === from) p.party = to;
  }

  /** Who this connection is in a DM conversation: its account, else its own token. */
  get party(): string {
    return this.account ?? this.dmToken;
  }

  /** Remembers that `nick` was `party` in a DM with this connection (to find it once `nick` left). */
  rememberPeer(nick: string, party: string): void {
    const key = casefold(nick);
    const peers = (this.#peers ??= new Map());
    const known = peers.get(key);
    if (known?.party === party && known.nick === nick) return;
    peers.delete(key); // re-insert: the newest last
    peers.set(key, { party, nick });
    if (peers.size > MAX_REMEMBERED_PEERS) peers.delete(peers.keys().next().value!);
  }

  /** The DM party this connection last talked to as `nick`, if any. */
  peerNamed(nick: string): string | undefined {
    return this.#peers?.get(casefold(nick))?.party;
  }

  /** How the peer this connection last talked to as `nick` spelled it. */
  peerSpelling(nick: string): string | undefined {
    return this.#peers?.get(casefold(nick))?.nick;
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
