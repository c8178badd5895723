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
import type { ChatEvent } from './chatEvents.ts';
import type { ClientEvents } from './events.ts';
import type { ClientOptions } from './options.ts';
import type { OutgoingTracker } from './outgoing.ts';
import type { ChatState } from './state.ts';
import type { Features } from './features.ts';
import { absorb, onBatch } from './batches.ts';
import type { HandlerContext, HandlerEntry } from './handlers/context.ts';
import type { LineContext, OpenBatch } from './link.ts';
import { Registration } from './registration.ts';
import type { ServiceSecrets } from './serviceSecrets.ts';

export interface SessionDeps {
  options: ClientOptions;
  state: ChatState;
  events: ClientEvents;
  outgoing: OutgoingTracker;
  features: Features;
  secrets: ServiceSecrets;
  /** Writes one message to the wire. */
  send: (msg: IrcMessage) => void;
  /** Ends the connection with this error (fatal or not is the client's call). */
  abort: (err: ClientError) => void;
  /** The nick to start with (the last one we had, on a reconnect). */
  nick: string;
  /** A reconnect picks another nick on 433 rather than fail (our old self may linger). */
  reconnecting: boolean;
}

export type { HandlerContext, HandlerEntry } from './handlers/context.ts';
export type { LineContext, OpenBatch } from './link.ts';

export class Session implements HandlerContext {
  readonly options: ClientOptions;
  readonly state: ChatState;
  readonly events: ClientEvents;
  readonly outgoing: OutgoingTracker;
  readonly features: Features;
  readonly secrets: ServiceSecrets;
  readonly caps: CapNegotiator;
  readonly isupport = new Map<string, IsupportValue>();
  readonly batches = new Map<string, OpenBatch>();
  readonly registration: Registration;
  /** Our nick (the one we asked for until 001 says otherwise). */
  nick: string;
  /** Our user and host as the server shows them (for line-length budgets). */
  selfUser?: string;
  selfHost?: string;
  /** Channel prefix modes, highest first: [['o','@'],['v','+']]. */
  prefixes: Array<[mode: string, symbol: string]> = [
    ['o', '@'],
    ['v', '+'],
  ];
  /** Rooms JOINed in this session (so a rejoin never sends JOIN twice). */
  readonly joinSent = new Set<string>();
  #pingSeq = 0;
  readonly #send: (msg: IrcMessage) => void;
  readonly #abort: (err: ClientError) => void;
  readonly #handlers: Readonly<Record<string, HandlerEntry>>;

  constructor(deps: SessionDeps, handlers: Readonly<Record<string, HandlerEntry>>) {
    this.options = deps.options;
    this.state = deps.state;
    this.events = deps.events;
    this.outgoing = deps.outgoing;
    this.features = deps.features;
    this.secrets = deps.secrets;
    this.nick = deps.nick;
    this.registration = new Registration(deps.nick, deps.reconnecting);
    this.#send = deps.send;
    this.#abort = deps.abort;
    this.#handlers = handlers;
    this.caps = new CapNegotiator(deps.options.sasl !== undefined);
  }

  get registered(): boolean {
    return this.registration.registered;
  }

  get welcomed(): boolean {
    return this.registration.welcomed;
  }

  set welcomed(value: boolean) {
    this.registration.welcomed = value;
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
    return this.registration.whenRegistered();
  }

  /** A fatal problem: before registration it rejects connect(); either way the link is dropped. */
  fail(err: ClientError): void {
    this.registration.closingError ??= err;
    this.registration.reject(err);
    this.#abort(err);
  }

  /** The transport closed: settle anybody still waiting for registration. */
  closed(err: ClientError): void {
    this.registration.reject(err);
  }

  emit(event: ChatEvent): void {
    this.events.emit(event);
  }

  // ---- wire ----

  send(msg: IrcMessage): void {
    this.secrets.noteOutgoing(msg);
    this.#send(msg);
    if (this.events.raw.hasListeners) this.events.raw.fire({ direction: 'out', line: redact(msg) });
  }

  /** PING with a fresh token (for send confirmation without echo-message, and keepalive). */
  ping(prefix: string): string {
    const token = `${prefix}${++this.#pingSeq}`;
    this.send(ircMessage('PING', [token]));
    return token;
  }

  receive(received: IrcMessage): void {
    // Services may say our password back (atheme's REGISTER reply): masked before anyone sees it.
    const msg = this.secrets.maskIncoming(received);
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
    if (command === 'BATCH') return onBatch(this, this.batches, msg);
    const batch = msg.tags['batch'] !== undefined ? this.batches.get(msg.tags['batch']) : undefined;
    if (batch && absorb(this, batch, msg)) return;
    const ctx: LineContext = {};
    const label = msg.tags['label'] ?? labelOf(batch);
    if (label !== undefined) ctx.label = label;
    if (batch) ctx.batch = batch;
    this.dispatch(msg, ctx);
  }

  dispatch(msg: IrcMessage, ctx: LineContext): void {
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
  #labeledError(msg: IrcMessage, ctx: LineContext): void {
    if (ctx.label === undefined || !/^[45]\d\d$/.test(msg.command)) return;
    const reason = msg.params[msg.params.length - 1] ?? `error ${msg.command}`;
    if (this.features.search.owns(ctx.label)) return this.features.search.failed(reason, msg.command, ctx.label);
    const hit = this.outgoing.byLabel(ctx.label);
    if (hit) this.outgoing.fail(hit, reason);
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
    const r = this.registration;
    if (r.capEnded || r.registered || !this.caps.settled) return;
    const o = this.options;
    if (o.sasl && this.caps.has(CAP.sasl) && !r.saslDone) {
      if (!r.saslInProgress) {
        r.saslInProgress = true;
        this.send(ircMessage('AUTHENTICATE', ['PLAIN']));
      }
      return;
    }
    if (o.registerAccount && this.canRegisterBeforeConnect && !this.features.accounts.preRegisterDone) {
      if (!r.preRegisterPending) {
        r.preRegisterPending = true;
        // The outcome settles registration itself (Accounts.succeeded / failed).
        this.features.accounts.sendRegister(this, o.registerAccount).catch(() => {});
      }
      return;
    }
    r.capEnded = true;
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
  // Passwords to services by message: NickServ REGISTER / IDENTIFY, NickServ SET PASSWORD.
  if ((cmd === 'PRIVMSG' || cmd === 'NOTICE') && /serv$/i.test(msg.params[0] ?? '') && /^\s*(REGISTER|IDENTIFY|SET\s+PASSWORD|GHOST|RECOVER|REGAIN)\b/i.test(msg.params[1] ?? '')) {
    return `${cmd} ${msg.params[0]} :${/^\s*(\S+)/.exec(msg.params[1]!)![1]} ***`;
  }
  try {
    return serializeMessage(msg);
  } catch {
    return cmd;
  }
}
