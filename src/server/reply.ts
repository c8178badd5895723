// Replies to the client whose command is being handled.
//
// Handlers never format numerics by hand: `reply.numeric(ERR_NOSUCHNICK, nick, 'No such nick')`
// fills in the server name as source and the client's nick as first parameter. Replies are
// collected and flushed when the handler finishes, which is where labeled-response
// (https://ircv3.net/specs/extensions/labeled-response) is applied in one place: no lines -> ACK,
// one line -> `label` tag on it, one batch -> `label` on its `BATCH +` (the spec allows "an existing
// type applicable to the entire response"), anything else -> a `labeled-response` batch around it
// (if the client has `batch`). Batches a handler opens (openBatch/closeBatch, ./batches.ts) are
// counted as they are opened, so the shape of the answer is known, never guessed from its lines.
import { BATCH_TYPE, CAP } from '../protocol/caps.ts';
import type { IrcMessage } from '../protocol/message.ts';
import { BatchWriter, type LineKind, type LineWriter } from './batches.ts';
import type { Client } from './client.ts';
import { Outgoing, type TagSpec } from './outgoing.ts';

function safeMiddle(p: string): string {
  if (p === '') return '*';
  if (p.includes(' ') || p.startsWith(':')) return p.replace(/ /g, '_').replace(/^:/, '_');
  return p;
}

export class Reply implements LineWriter {
  readonly client: Client;
  readonly serverName: string;
  /** The client's `label` tag, when it has negotiated labeled-response. */
  readonly label: string | undefined;
  #lines: Outgoing[] = [];
  /** Per line: outside every batch of this reply (these join a labeled-response batch). */
  #topLevel: boolean[] = [];
  /** What the answer is made of at top level: lines, and batches (each counted once). */
  #units = 0;
  #batchUnits = 0;
  readonly #batches: BatchWriter;
  #flushed = false;
  #deferred = false;

  constructor(client: Client, serverName: string, label?: string) {
    this.client = client;
    this.serverName = serverName;
    this.label = label !== undefined && label !== '' && client.has(CAP.labeledResponse) ? label : undefined;
    this.#batches = new BatchWriter((line, kind, depth) => this.#push(line, kind, depth), { source: serverName, receiver: client });
  }

  /** `:server CODE nick ...params` */
  numeric(code: string, ...params: string[]): void {
    const all = [this.client.nick, ...params];
    // Error replies echo what the client sent (a nick, a room name). A middle parameter must not be
    // empty, contain a space or start with ':' (it would change the line's meaning), so such echoes
    // are made safe here instead of in every handler.
    for (let i = 0; i < all.length - 1; i++) all[i] = safeMiddle(all[i]!);
    this.send(new Outgoing({ tags: {}, source: this.serverName, command: code, params: all }));
  }

  /** A message from the server with the given command, e.g. CAP, AUTHENTICATE, NOTICE. */
  server(command: string, ...params: string[]): void {
    this.send(new Outgoing({ tags: {}, source: this.serverName, command, params }));
  }

  /** Standard replies (https://ircv3.net/specs/extensions/standard-replies): FAIL/WARN/NOTE. */
  standard(kind: 'FAIL' | 'WARN' | 'NOTE', command: string, code: string, description: string, ...context: string[]): void {
    this.server(kind, safeMiddle(command), code, ...context.map(safeMiddle), description);
  }

  fail(command: string, code: string, description: string, ...context: string[]): void {
    this.standard('FAIL', command, code, description, ...context);
  }

  /** Any message or prepared line (e.g. the echo of the client's own PRIVMSG, its own JOIN). */
  send(out: Outgoing | IrcMessage): void {
    this.#batches.send(out instanceof Outgoing ? out : new Outgoing(out));
  }

  /** The innermost batch this reply has open. */
  get batch(): string | undefined {
    return this.#batches.batch;
  }

  /** Opens a batch (`BATCH +id type params`, from the server); what is sent next goes into it. */
  openBatch(type: string, params?: readonly string[], tags?: readonly TagSpec[]): string | undefined {
    return this.#batches.openBatch(type, params, tags);
  }

  closeBatch(): void {
    this.#batches.closeBatch();
  }

  /** A batch rendered ahead of time (a multiline message): one unit of the answer. */
  sendBatch(lines: readonly Outgoing[]): void {
    this.#batches.sendBatch(lines);
  }

  #push(out: Outgoing, kind: LineKind, depth: number): void {
    if (this.#flushed) {
      // A late reply (after an await the handler did not own): send it straight away, unlabeled.
      this.client.send(out);
      return;
    }
    this.#lines.push(out);
    this.#topLevel.push(depth === 0);
    if (depth === 0 && kind !== 'close') {
      this.#units++;
      if (kind === 'open') this.#batchUnits++;
    }
  }

  get count(): number {
    return this.#lines.length;
  }

  /**
   * The answer to this command comes later, from another Reply carrying this label (a draft/multiline
   * `BATCH +`: the spec puts the label on the echo's opening BATCH). Returns the label; this reply
   * then sends its lines unlabeled and no ACK.
   */
  deferLabel(): string | undefined {
    this.#deferred = true;
    return this.label;
  }

  /** Sends what was collected. Called once by the dispatcher after the handler. */
  flush(): void {
    if (this.#flushed) return;
    this.#batches.closeAll();
    this.#flushed = true;
    const lines = this.#lines;
    const topLevel = this.#topLevel;
    this.#lines = [];
    this.#topLevel = [];
    const label = this.#deferred ? undefined : this.label;
    if (label === undefined) {
      for (const l of lines) this.client.send(l);
      return;
    }
    const labelTag: TagSpec = { key: 'label', value: label, cap: CAP.labeledResponse };
    if (lines.length === 0) {
      this.client.send(new Outgoing({ tags: {}, source: this.serverName, command: 'ACK', params: [] }, [labelTag]));
    } else if (lines.length === 1 || !this.client.has(CAP.batch)) {
      this.client.send(lines[0]!.withTags([labelTag]));
      for (const l of lines.slice(1)) this.client.send(l);
    } else if (this.#units === 1 && this.#batchUnits === 1) {
      // The whole answer is one batch (a chathistory page, a multiline echo): the label goes on its BATCH +.
      this.client.send(lines[0]!.withTags([labelTag]));
      for (const l of lines.slice(1)) this.client.send(l);
    } else {
      // Top-level lines, and the BATCH +/- of the batches opened at top level, join the labeled-response batch.
      const send = (line: Outgoing) => this.client.send(line);
      const lr = new BatchWriter(send, { source: this.serverName });
      lr.openBatch(BATCH_TYPE.labeledResponse, [], [labelTag]);
      lines.forEach((l, i) => (topLevel[i] ? lr.send(l) : send(l)));
      lr.closeBatch();
    }
  }
}
