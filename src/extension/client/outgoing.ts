// Delivery tracking for the messages we send. One user message may travel as several wire
// messages ("parts": split lines, or one multiline batch); its state is the sum of theirs.
//
// How a part is confirmed, best first:
//  1. labeled-response: the part carries a `label`; the echo (or the error) comes back with it.
//  2. echo-message without labels: echoes arrive in the order we sent, so the oldest unconfirmed
//     part to that target with the same text is the one echoed; errors (401/404...) likewise
//     fail the oldest unconfirmed part to their target.
//  3. neither: we send `PING <token>` after the part. Servers answer in order, so a PONG with no
//     error before it means the server took every part sent before that PING: `delivered`.
// A RPL_AWAY (301) for a direct message means "delivered, recipient away"; the server's
// offline-storage note (STORED_OFFLINE, src/protocol/conventions.ts) means `stored`.
import type { ChatMessage, MessageKind, MessageState, MessageStateChange } from './types.ts';

export interface OutgoingPart {
  label?: string;
  /** What the echo will carry, to match it without labels (text of a PRIVMSG, or the whole multiline text). */
  text: string;
  /** PING token that confirms this part when no echo is coming. */
  pingToken?: string;
  done: boolean;
}

export interface OutgoingMessage {
  readonly localId: string;
  readonly target: string;
  readonly text: string;
  readonly kind: MessageKind;
  state: MessageState;
  reason?: string;
  awayMessage?: string;
  msgid?: string;
  time?: Date;
  parts: OutgoingPart[];
  /** When it was (last) sent, ms. */
  sentAt: number;
  /** The ChatMessage shown for it (gets the msgid from the echo). */
  chat?: ChatMessage;
  /** The msgid it answers (`+draft/reply`). */
  replyTo?: string;
}

export class OutgoingTracker {
  #nextId = 1;
  #nextLabel = 1;
  readonly #messages = new Map<string, OutgoingMessage>();
  readonly #byLabel = new Map<string, { msg: OutgoingMessage; part: OutgoingPart }>();
  readonly #onChange: (change: MessageStateChange) => void;
  readonly #fold: (name: string) => string;
  /** Finished messages kept for retry(); the oldest are forgotten beyond this many. */
  static readonly KEEP = 1000;

  constructor(onChange: (change: MessageStateChange) => void, fold: (name: string) => string) {
    this.#onChange = onChange;
    this.#fold = fold;
  }

  create(target: string, text: string, kind: MessageKind): OutgoingMessage {
    const msg: OutgoingMessage = { localId: `local-${this.#nextId++}`, target, text, kind, state: 'pending', parts: [], sentAt: Date.now() };
    this.#messages.set(msg.localId, msg);
    if (this.#messages.size > OutgoingTracker.KEEP) {
      for (const [id, m] of this.#messages) {
        if (this.#messages.size <= OutgoingTracker.KEEP) break;
        if (m.state === 'pending') continue;
        this.#messages.delete(id);
        for (const p of m.parts) if (p.label !== undefined) this.#byLabel.delete(p.label);
      }
    }
    return msg;
  }

  get(localId: string): OutgoingMessage | undefined {
    return this.#messages.get(localId);
  }

  newLabel(): string {
    return `cr${this.#nextLabel++}`;
  }

  /** Registers a wire part about to be sent. */
  addPart(msg: OutgoingMessage, part: Omit<OutgoingPart, 'done'>): OutgoingPart {
    const p: OutgoingPart = { ...part, done: false };
    msg.parts.push(p);
    if (p.label !== undefined) this.#byLabel.set(p.label, { msg, part: p });
    return p;
  }

  /** Back to pending for a retry: the old parts are forgotten. */
  restart(msg: OutgoingMessage): void {
    for (const p of msg.parts) if (p.label !== undefined) this.#byLabel.delete(p.label);
    msg.parts = [];
    msg.state = 'pending';
    msg.sentAt = Date.now();
    delete msg.reason;
    delete msg.awayMessage;
    this.#emit(msg);
  }

  byLabel(label: string): { msg: OutgoingMessage; part: OutgoingPart } | undefined {
    return this.#byLabel.get(label);
  }

  /** The oldest unconfirmed part to `target` (matching `text` when given), for unlabeled echoes and errors. */
  oldestOpen(target: string, text?: string): { msg: OutgoingMessage; part: OutgoingPart } | undefined {
    const key = this.#fold(target);
    for (const msg of this.#messages.values()) {
      if (msg.state !== 'pending' || this.#fold(msg.target) !== key) continue;
      for (const part of msg.parts) {
        if (!part.done && part.label === undefined && (text === undefined || part.text === text)) return { msg, part };
      }
    }
    return undefined;
  }

  /**
   * A part was accepted by the server. Labels stay mapped after that (until the message is
   * forgotten) so a late echo — after a stored notice in the same labeled batch — is still ours.
   */
  confirm(hit: { msg: OutgoingMessage; part: OutgoingPart }, info: { msgid?: string; time?: Date } = {}): void {
    const { msg, part } = hit;
    if (info.msgid !== undefined && msg.msgid === undefined) msg.msgid = info.msgid;
    if (info.time !== undefined && msg.time === undefined) msg.time = info.time;
    if (part.done) return;
    part.done = true;
    if (msg.state === 'pending' && msg.parts.every((p) => p.done)) {
      msg.state = 'delivered';
      this.#emit(msg);
    }
  }

  /** A part was refused: the whole message failed (the user retries it as a whole). */
  fail(hit: { msg: OutgoingMessage; part: OutgoingPart }, reason: string): void {
    const { msg, part } = hit;
    part.done = true;
    if (msg.state === 'failed') return;
    msg.state = 'failed';
    msg.reason = reason;
    this.#emit(msg);
  }

  /** The recipient is away (RPL_AWAY): delivered, with their away message attached. */
  noteAway(msg: OutgoingMessage, awayMessage: string): void {
    if (msg.awayMessage === awayMessage) return;
    msg.awayMessage = awayMessage;
    if (msg.state === 'delivered') this.#emit(msg);
  }

  /**
   * The message a RPL_AWAY without a label is about: the oldest pending one to `target`, else one
   * sent in the last few seconds (the reply may follow the echo).
   */
  awaySubject(target: string): OutgoingMessage | undefined {
    const key = this.#fold(target);
    let latest: OutgoingMessage | undefined;
    for (const msg of this.#messages.values()) {
      if (this.#fold(msg.target) !== key) continue;
      if (msg.state === 'pending') return msg;
      latest = msg;
    }
    return latest && latest.state === 'delivered' && Date.now() - latest.sentAt < 10_000 ? latest : undefined;
  }

  /** The server said it stored the message for an offline recipient. */
  markStored(msg: OutgoingMessage, notice: string): void {
    for (const p of msg.parts) p.done = true;
    if (msg.state === 'failed' || msg.state === 'stored') return;
    msg.state = 'stored';
    msg.reason = notice;
    this.#emit(msg);
  }

  /** PONG for `token`: every part waiting on it is confirmed. */
  pong(token: string): void {
    for (const msg of [...this.#messages.values()]) {
      if (msg.state !== 'pending') continue;
      for (const part of msg.parts) if (!part.done && part.pingToken === token) this.confirm({ msg, part });
    }
  }

  /** The connection dropped: anything unconfirmed failed (retry is the user's choice; nothing is resent twice). */
  failAllPending(reason: string): void {
    for (const msg of [...this.#messages.values()]) {
      if (msg.state !== 'pending') continue;
      this.fail({ msg, part: msg.parts[0] ?? { text: '', done: false } }, reason);
    }
  }

  #emit(msg: OutgoingMessage): void {
    const change: MessageStateChange = { localId: msg.localId, target: msg.target, state: msg.state };
    if (msg.reason !== undefined) change.reason = msg.reason;
    if (msg.msgid !== undefined) change.msgid = msg.msgid;
    if (msg.time !== undefined) change.time = msg.time;
    if (msg.awayMessage !== undefined) change.awayMessage = msg.awayMessage;
    this.#onChange(change);
  }
}
