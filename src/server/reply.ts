// Replies to the client whose command is being handled.
//
// Handlers never format numerics by hand: `reply.numeric(ERR_NOSUCHNICK, nick, 'No such nick')`
// fills in the server name as source and the client's nick as first parameter. Replies are
// collected and flushed when the handler finishes, which is where labeled-response
// (https://ircv3.net/specs/extensions/labeled-response) is applied in one place: no lines -> ACK,
// one line -> `label` tag on it, several -> a `labeled-response` batch (if the client has `batch`).
import { BATCH_TYPE, CAP } from '../protocol/caps.ts';
import type { IrcMessage } from '../protocol/message.ts';
import type { Client } from './client.ts';
import { Outgoing, type TagSpec } from './outgoing.ts';

let batchCounter = 0;
export function newBatchId(): string {
  batchCounter = (batchCounter + 1) % 1e9;
  return `b${batchCounter.toString(36)}`;
}

function safeMiddle(p: string): string {
  if (p === '') return '*';
  if (p.includes(' ') || p.startsWith(':')) return p.replace(/ /g, '_').replace(/^:/, '_');
  return p;
}

export class Reply {
  readonly client: Client;
  readonly serverName: string;
  /** The client's `label` tag, when it has negotiated labeled-response. */
  readonly label: string | undefined;
  #lines: Outgoing[] = [];
  #flushed = false;
  #deferred = false;

  constructor(client: Client, serverName: string, label?: string) {
    this.client = client;
    this.serverName = serverName;
    this.label = label !== undefined && label !== '' && client.has(CAP.labeledResponse) ? label : undefined;
  }

  /** `:server CODE nick ...params` */
  numeric(code: string, ...params: string[]): void {
    const all = [this.client.nick, ...params];
    // Error replies echo what the client sent (a nick, a room name). A middle parameter must not be
    // empty, contain a space or start with ':' (it would change the line's meaning), so such echoes
    // are made safe here instead of in every handler.
    for (let i = 0; i < all.length - 1; i++) all[i] = safeMiddle(all[i]!);
    this.#push(new Outgoing({ tags: {}, source: this.serverName, command: code, params: all }));
  }

  /** A message from the server with the given command, e.g. CAP, AUTHENTICATE, NOTICE. */
  server(command: string, ...params: string[]): void {
    this.#push(new Outgoing({ tags: {}, source: this.serverName, command, params }));
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
    this.#push(out instanceof Outgoing ? out : new Outgoing(out));
  }

  #push(out: Outgoing): void {
    if (this.#flushed) {
      // A late reply (after an await the handler did not own): send it straight away, unlabeled.
      this.client.send(out);
      return;
    }
    this.#lines.push(out);
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
    this.#flushed = true;
    const lines = this.#lines;
    this.#lines = [];
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
    } else if (isOneBatch(lines)) {
      // The whole answer is one batch (a chathistory page...): the label goes on its BATCH + (labeled-response spec).
      this.client.send(lines[0]!.withTags([labelTag]));
      for (const l of lines.slice(1)) this.client.send(l);
    } else {
      const id = newBatchId();
      this.client.send(
        new Outgoing({ tags: {}, source: this.serverName, command: 'BATCH', params: [`+${id}`, BATCH_TYPE.labeledResponse] }, [labelTag]),
      );
      const inBatch: TagSpec = { key: 'batch', value: id, cap: CAP.batch };
      // Lines already inside a batch of their own stay in it; that batch's BATCH + joins ours (nesting).
      for (const l of lines) this.client.send(inBatchAlready(l) ? l : l.withTags([inBatch]));
      this.client.send(new Outgoing({ tags: {}, source: this.serverName, command: 'BATCH', params: [`-${id}`] }));
    }
  }
}

function inBatchAlready(l: Outgoing): boolean {
  return l.tags.some((t) => t.key === 'batch');
}

/** `BATCH +x ...`, lines tagged batch=x, `BATCH -x`: nothing outside the one batch. */
function isOneBatch(lines: readonly Outgoing[]): boolean {
  const first = lines[0]!.msg;
  const last = lines[lines.length - 1]!.msg;
  const open = first.command === 'BATCH' ? first.params[0] : undefined;
  if (open === undefined || !open.startsWith('+') || inBatchAlready(lines[0]!)) return false;
  if (last.command !== 'BATCH' || last.params[0] !== `-${open.slice(1)}`) return false;
  return lines.slice(1, -1).every(inBatchAlready);
}
