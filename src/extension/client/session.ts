// One connection's worth of IRC state: registration, capabilities, ISUPPORT, open batches. The
// long-lived model (rooms, users, conversations, sent messages) lives in ChatState and
// OutgoingTracker and outlives the session across reconnects. A Session does no I/O itself: it
// is handed a `send` and an `abort`, so tests drive it with parsed lines.
import { CAP } from '../../protocol/caps.ts';
import type { Casemapping } from '../../protocol/casemap.ts';
import { applyIsupportTokens, parsePrefix, type IsupportValue } from '../../protocol/isupport.ts';
import { ircMessage, serializeMessage, type IrcMessage } from '../../protocol/message.ts';
import { parseSource } from '../../protocol/source.ts';
import { CapNegotiator, parseCapValue } from './capabilities.ts';
import { ClientError } from './errors.ts';
import type { ClientEvents } from './events.ts';
import type { ClientOptions } from './options.ts';
import type { OutgoingTracker } from './outgoing.ts';
import type { ChatState } from './state.ts';
import type { Features } from './features.ts';
import { absorb, onBatch } from './batches.ts';

export interface SessionDeps {
  options: ClientOptions;
  state: ChatState;
  events: ClientEvents;
  outgoing: OutgoingTracker;
  features: Features;
  /** Writes one message to the wire. */
  send: (msg: IrcMessage) => void;
  /** Ends the connection with this error (fatal or not is the client's call). */
  abort: (err: ClientError) => void;
  /** The nick to start with (the last one we had, on a reconnect). */
  nick: string;
  /** A reconnect picks another nick on 433 rather than fail (our old self may linger). */
  reconnecting: boolean;
}

/** A batch being received: https://ircv3.net/specs/extensions/batch */
export interface OpenBatch {
  ref: string;
  type: string;
  params: string[];
  tags: Record<string, string>;
  source?: string;
  parent?: OpenBatch;
  /** Raw messages kept for batches handled as a whole (multiline). */
  messages: IrcMessage[];
  /** Messages assembled for chathistory batches. */
  collected: import('./types.ts').ChatMessage[];
}

/** Per-message context a handler gets besides the message. */
export interface HandlerContext {
  /** labeled-response label, from the message or its enclosing batch. */
  label?: string;
  /** The innermost batch it arrived in. */
  batch?: OpenBatch;
}

export type Handler = (s: Session, msg: IrcMessage, ctx: HandlerContext) => void;

export interface HandlerEntry {
  /** Fewer parameters than this: ignored (a broken server line must not crash us). */
  min: number;
  fn: Handler;
}

export class Session {
  readonly options: ClientOptions;
  readonly state: ChatState;
  readonly events: ClientEvents;
  readonly outgoing: OutgoingTracker;
  readonly features: Features;
  readonly caps: CapNegotiator;
  readonly isupport = new Map<string, IsupportValue>();
  readonly batches = new Map<string, OpenBatch>();
  readonly reconnecting: boolean;
  /** Our nick (the one we asked for until 001 says otherwise). */
  nick: string;
  /** The nick we want; alternatives (nick_, nick__) are built from it. */
  readonly baseNick: string;
  /** Quietly trying to get baseNick back (a 433 then is expected, not news for the user). */
  regainingNick = false;
  registered = false;
  /** Post-registration work (rejoin, MONITOR, WHO) done once, at end of MOTD. */
  welcomed = false;
  /** Our user and host as the server shows them (for line-length budgets). */
  selfUser?: string;
  selfHost?: string;
  /** Channel prefix modes, highest first: [['o','@'],['v','+']]. */
  prefixes: Array<[mode: string, symbol: string]> = [
    ['o', '@'],
    ['v', '+'],
  ];
  saslInProgress = false;
  saslDone = false;
  /** REGISTER sent before CAP END and not yet answered. */
  preRegisterPending = false;
  capEnded = false;
  nickTries = 0;
  /** Why the server is about to close the link (from ERROR / 465), reported instead of "closed". */
  closingError?: ClientError;
  /** Rooms JOINed in this session (so a rejoin never sends JOIN twice). */
  readonly joinSent = new Set<string>();
  #pingSeq = 0;
  readonly #send: (msg: IrcMessage) => void;
  readonly #abort: (err: ClientError) => void;
  readonly #registeredWaiters: Array<{ resolve: () => void; reject: (e: ClientError) => void }> = [];
  readonly #handlers: Readonly<Record<string, HandlerEntry>>;

  constructor(deps: SessionDeps, handlers: Readonly<Record<string, HandlerEntry>>) {
    this.options = deps.options;
    this.state = deps.state;
    this.events = deps.events;
    this.outgoing = deps.outgoing;
    this.features = deps.features;
    this.nick = deps.nick;
    this.baseNick = deps.nick;
    this.reconnecting = deps.reconnecting;
    this.#send = deps.send;
    this.#abort = deps.abort;
    this.#handlers = handlers;
    this.caps = new CapNegotiator(deps.options.sasl !== undefined);
  }

  // ---- lifecycle ----

  /** The registration burst: CAP LS 302 first so the server holds registration until CAP END. */
  start(): void {
    const o = this.options;
    this.send(ircMessage('CAP', ['LS', '302']));
    if (o.password !== undefined && o.password !== '') this.send(ircMessage('PASS', [o.password]));
    this.send(ircMessage('NICK', [this.nick]));
    const username = (o.username ?? o.nick).replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 10) || 'chatroom';
    this.send(ircMessage('USER', [username, '0', '*', o.realname || o.nick]));
  }

  /** Resolves at 001; rejects with the ClientError that ended registration. */
  whenRegistered(): Promise<void> {
    if (this.registered) return Promise.resolve();
    return new Promise((resolve, reject) => this.#registeredWaiters.push({ resolve, reject }));
  }

  markRegistered(): void {
    this.registered = true;
    for (const w of this.#registeredWaiters.splice(0)) w.resolve();
  }

  /** A fatal problem: before registration it rejects connect(); either way the link is dropped. */
  fail(err: ClientError): void {
    this.closingError ??= err;
    for (const w of this.#registeredWaiters.splice(0)) w.reject(err);
    this.#abort(err);
  }

  /** The transport closed: settle anybody still waiting for registration. */
  closed(err: ClientError): void {
    const e = this.closingError ?? err;
    for (const w of this.#registeredWaiters.splice(0)) w.reject(e);
  }

  // ---- wire ----

  send(msg: IrcMessage): void {
    this.#send(msg);
    if (this.events.raw.hasListeners) this.events.raw.fire({ direction: 'out', line: redact(msg) });
  }

  /** PING with a fresh token (for send confirmation without echo-message, and keepalive). */
  ping(prefix: string): string {
    const token = `${prefix}${++this.#pingSeq}`;
    this.send(ircMessage('PING', [token]));
    return token;
  }

  receive(msg: IrcMessage): void {
    if (this.events.raw.hasListeners) {
      let line: string;
      try {
        line = serializeMessage(msg);
      } catch {
        line = `${msg.command} ${msg.params.join(' ')}`;
      }
      this.events.raw.fire({ direction: 'in', line });
    }
    const command = msg.command.toUpperCase();
    if (command === 'BATCH') return onBatch(this, msg);
    const batch = msg.tags['batch'] !== undefined ? this.batches.get(msg.tags['batch']) : undefined;
    if (batch && absorb(this, batch, msg)) return;
    const ctx: HandlerContext = {};
    const label = msg.tags['label'] ?? labelOf(batch);
    if (label !== undefined) ctx.label = label;
    if (batch) ctx.batch = batch;
    this.dispatch(msg, ctx);
  }

  dispatch(msg: IrcMessage, ctx: HandlerContext): void {
    const entry = this.#handlers[msg.command.toUpperCase()];
    if (!entry) return this.#labeledError(msg, ctx);
    if (msg.params.length < entry.min) return;
    try {
      entry.fn(this, msg, ctx);
    } catch (err) {
      // A handler bug on one odd line must not end the session; report it and go on.
      this.events.error.fire(new ClientError('protocol', `Could not handle ${msg.command}: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
    }
  }

  /** Any other error numeric (4xx/5xx) labeled for a message we sent fails that message with its text. */
  #labeledError(msg: IrcMessage, ctx: HandlerContext): void {
    if (ctx.label === undefined || !/^[45]\d\d$/.test(msg.command)) return;
    const hit = this.outgoing.byLabel(ctx.label);
    if (hit) this.outgoing.fail(hit, msg.params[msg.params.length - 1] ?? `error ${msg.command}`);
  }

  // ---- queries ----

  /** A channel name by this server's CHANTYPES (RFC 2812 default: # and &). */
  isChannel(name: string): boolean {
    const types = this.isupport.get('CHANTYPES');
    const prefixes = typeof types === 'string' ? types : '#&';
    return name.length > 1 && prefixes.includes(name[0]!);
  }

  isMe(nick: string): boolean {
    return this.state.same(nick, this.nick);
  }

  hasCap(name: string): boolean {
    return this.caps.has(name);
  }

  /** The sender's nick of a message ('' for none). */
  sourceNick(msg: IrcMessage): string {
    return msg.source === undefined ? '' : parseSource(msg.source).nick;
  }

  /** Our source as others see it: real when known, else a worst case for line budgets. */
  selfSource(): string {
    const userLen = Number(this.isupport.get('USERLEN')) || 10;
    const user = this.selfUser ?? `~${(this.options.username ?? this.options.nick).slice(0, userLen)}`;
    const host = this.selfHost ?? 'x'.repeat(63);
    return `${this.nick}!${user}@${host}`;
  }

  /** Applies one RPL_ISUPPORT line. */
  applyIsupport(tokens: string[]): void {
    applyIsupportTokens(this.isupport, tokens);
    const cm = this.isupport.get('CASEMAPPING');
    if ((cm === 'ascii' || cm === 'rfc1459' || cm === 'strict-rfc1459') && this.state.setCasemapping(cm as Casemapping)) this.events.casemapping.fire(cm);
    const prefix = this.isupport.get('PREFIX');
    if (typeof prefix === 'string') {
      const parsed = parsePrefix(prefix);
      if (parsed.length > 0) this.prefixes = parsed;
    }
  }

  /** account-registration advertised with before-connect. */
  get canRegisterBeforeConnect(): boolean {
    return this.caps.offered.has(CAP.accountRegistration) && parseCapValue(this.caps.offered.get(CAP.accountRegistration)).has('before-connect');
  }

  /**
   * Ends capability negotiation once nothing needs the pre-registration phase any more:
   * every REQ answered, SASL finished, a before-connect REGISTER answered.
   */
  maybeEndCap(): void {
    if (this.capEnded || this.registered || !this.caps.settled) return;
    const o = this.options;
    if (o.sasl && this.caps.has(CAP.sasl) && !this.saslDone) {
      if (!this.saslInProgress) {
        this.saslInProgress = true;
        this.send(ircMessage('AUTHENTICATE', ['PLAIN']));
      }
      return;
    }
    if (o.registerAccount && this.canRegisterBeforeConnect && !this.features.accounts.preRegisterDone) {
      if (!this.preRegisterPending) {
        this.preRegisterPending = true;
        // The outcome settles registration itself (Accounts.succeeded / failed).
        this.features.accounts.sendRegister(this, o.registerAccount).catch(() => {});
      }
      return;
    }
    this.capEnded = true;
    this.send(ircMessage('CAP', ['END']));
  }
}

function labelOf(batch: OpenBatch | undefined): string | undefined {
  for (let b = batch; b; b = b.parent) if (b.tags['label'] !== undefined) return b.tags['label'];
  return undefined;
}

/** A loggable form of an outgoing line, without secrets. */
function redact(msg: IrcMessage): string {
  const cmd = msg.command.toUpperCase();
  if (cmd === 'PASS' || cmd === 'AUTHENTICATE' || cmd === 'REGISTER' || cmd === 'OPER') return `${cmd} ***`;
  try {
    return serializeMessage(msg);
  } catch {
    return cmd;
  }
}
