// Batches (https://ircv3.net/specs/extensions/batch) are opened and closed here and nowhere else:
// `BATCH +id type params…`, lines tagged `batch=id`, `BATCH -id`, possibly one inside another (a
// multiline message inside a chathistory page inside a labeled-response batch). Modelled on Ergo's
// ResponseBuffer (StartNestedBatch/EndNestedBatch): a writer keeps the stack of open batches and
// puts each line it is given into the innermost one, so no caller tags lines or counts ids by hand.
import { CAP } from '../protocol/caps.ts';
import { Outgoing, type CapHolder, type TagSpec } from './outgoing.ts';

let batchCounter = 0;
/** A batch reference. Unique among the batches a connection has open at once (ids cycle after 1e9). */
export function newBatchId(): string {
  batchCounter = (batchCounter + 1) % 1e9;
  return `b${batchCounter.toString(36)}`;
}

/** The tag that puts a line into batch `id` (none for no batch), for lines built inside one. */
export function batchTag(id: string | undefined): TagSpec[] {
  return id === undefined ? [] : [{ key: 'batch', value: id, cap: CAP.batch }];
}

/** What a line is in the stream a writer produces; `depth` 0 is outside every batch the writer opened. */
export type LineKind = 'line' | 'open' | 'close';
export type BatchSink = (line: Outgoing, kind: LineKind, depth: number) => void;

/** Where lines that may open batches go: a Reply (reply.ts) or a BatchWriter to one client. */
export interface LineWriter {
  /** The innermost open batch (where a line sent now goes), undefined outside any. */
  readonly batch: string | undefined;
  /** Opens a batch inside the current one; undefined (and nothing sent) for a receiver without `batch`. */
  openBatch(type: string, params?: readonly string[], tags?: readonly TagSpec[]): string | undefined;
  closeBatch(): void;
  send(line: Outgoing): void;
  /** A whole batch rendered ahead of time (`BATCH +id`, its lines, `BATCH -id`), nested in the current one. */
  sendBatch(lines: readonly Outgoing[]): void;
}

export interface BatchWriterOptions {
  /** Source of the BATCH lines: the server name, or a multiline message's sender. */
  source: string;
  /**
   * The client the lines are for: without `batch` it gets plain lines (no BATCH, no tags). None:
   * lines rendered once for receivers picked later, who all have `batch`.
   */
  receiver?: CapHolder;
  /** A batch already open around everything written here (its `BATCH +` went out elsewhere). */
  outer?: string | undefined;
}

export class BatchWriter implements LineWriter {
  readonly #sink: BatchSink;
  readonly #opts: BatchWriterOptions;
  readonly #open: string[] = [];

  constructor(sink: BatchSink, opts: BatchWriterOptions) {
    this.#sink = sink;
    this.#opts = opts;
  }

  get batch(): string | undefined {
    return this.#open.at(-1) ?? this.#opts.outer;
  }

  /** The `batch` tag for a line built to go into the current batch (none outside one). */
  inBatch(): TagSpec[] {
    return batchTag(this.batch);
  }

  openBatch(type: string, params: readonly string[] = [], tags: readonly TagSpec[] = []): string | undefined {
    const receiver = this.#opts.receiver;
    if (receiver !== undefined && !receiver.caps.has(CAP.batch)) return undefined;
    const id = newBatchId();
    this.#put(this.#batchLine([`+${id}`, type, ...params], tags), 'open');
    this.#open.push(id);
    return id;
  }

  closeBatch(): void {
    const id = this.#open.pop();
    if (id !== undefined) this.#put(this.#batchLine([`-${id}`], []), 'close');
  }

  /** Closes whatever is still open (a handler that returned early must not leave a batch open). */
  closeAll(): void {
    while (this.#open.length > 0) this.closeBatch();
  }

  send(line: Outgoing): void {
    this.#put(this.#tagged(line), 'line');
  }

  sendBatch(lines: readonly Outgoing[]): void {
    const first = lines[0];
    const last = lines.at(-1);
    const ref = first?.msg.command === 'BATCH' ? first.msg.params[0] : undefined;
    if (first === undefined || last === undefined || lines.length < 2 || ref === undefined || !ref.startsWith('+')) {
      for (const l of lines) this.send(l);
      return;
    }
    // Its opening and closing lines join the current batch; the lines between are already in it.
    this.#put(this.#tagged(first), 'open');
    this.#open.push(ref.slice(1));
    for (const l of lines.slice(1, -1)) this.#put(l, 'line');
    this.#open.pop();
    this.#put(this.#tagged(last), 'close');
  }

  #put(line: Outgoing, kind: LineKind): void {
    this.#sink(line, kind, this.#open.length);
  }

  #batchLine(params: string[], tags: readonly TagSpec[]): Outgoing {
    return new Outgoing({ tags: {}, source: this.#opts.source, command: 'BATCH', params }, [...tags, ...this.inBatch()]);
  }

  /** A line built with its batch tag (a rendered message, inBatch()) is sent as it is: no copy. */
  #tagged(line: Outgoing): Outgoing {
    const id = this.batch;
    if (id === undefined || line.tags.some((t) => t.key === 'batch')) return line;
    return line.withTags(batchTag(id));
  }
}
