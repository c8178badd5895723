// The message writer thread: a worker owning a second connection to the database that runs the
// group commits (INSERT ... COMMIT with synchronous=FULL, i.e. an fsync), so the event loop keeps
// reading sockets and relaying while the disk flushes. The rule does not change: a message is
// relayed only after the worker reports its COMMIT (messages.ts resolves the promise then).
//
// One batch is in flight at a time; what arrives meanwhile becomes the next batch, so a slow
// disk means bigger batches, not more fsyncs. `busy` (shared memory) lets the main thread wait
// synchronously for the in-flight batch (flush(), appendSync(), close()).
//
// The worker runs from source text (eval) rather than a file: the server is one bundled file, and
// the code needs nothing but node:sqlite.
import { Worker } from 'node:worker_threads';
import type { PruneResult } from './retention.ts';

/**
 * A batch as ONE flat array of primitives: building and structured-cloning it for postMessage
 * costs the main thread about half of what an object with nested arrays per message did. Per
 * message, in commit order:
 *   13 values in INSERT column order (msgid, target, target_type, target_display, kind, source,
 *   sender_nick, sender_account, sender_party, time, text, tags, multiline), queueFor (string | null), n, then
 *   n × (party, peer, peerDisplay, write) dm_conversations rows; `write` 0 = not needed when the
 *   batch commits as a whole (conversations.ts), but written anyway when retried message by message.
 */
export type WriterBatch = (string | number | null)[];

/** Per message: the row id, or the error message when that message could not be written. */
export type WriterResult = number | string;

export interface WriterSql {
  insert: string;
  conv: string;
  queueOffline: string;
  /** historyIndex.ts: read up_to, fill the index after it, move it. */
  upTo: string;
  fill: string;
  mark: string;
  /** retention.ts */
  pruneScan: string;
  pruneIndex: string;
  pruneMessage: string;
  pruneConversations: string;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
const { path, busyTimeoutMs, sql, busy, indexEvery } = workerData;
const flag = new Int32Array(busy);
let db;
let insert, conv, queueOffline, upTo, fill, mark, pruneScan, pruneIndex, pruneMessage, pruneConversations;
try {
  db = new DatabaseSync(path, { timeout: busyTimeoutMs, enableForeignKeyConstraints: true });
  db.exec('PRAGMA busy_timeout = ' + busyTimeoutMs);
  db.exec('PRAGMA synchronous = FULL');
  db.exec('PRAGMA journal_size_limit = 67108864');
  insert = db.prepare(sql.insert);
  conv = db.prepare(sql.conv);
  queueOffline = db.prepare(sql.queueOffline);
  upTo = db.prepare(sql.upTo);
  fill = db.prepare(sql.fill);
  mark = db.prepare(sql.mark);
  pruneScan = db.prepare(sql.pruneScan);
  pruneIndex = db.prepare(sql.pruneIndex);
  pruneMessage = db.prepare(sql.pruneMessage);
  pruneConversations = db.prepare(sql.pruneConversations);
} catch (e) {
  parentPort.postMessage({ fatal: String(e && e.message || e) });
  Atomics.store(flag, 0, 0);
  Atomics.notify(flag, 0);
  process.exit(1);
}
// b: a WriterBatch, i: where the message starts; all: write every dm_conversations row.
function write(b, i, all) {
  const id = Number(insert.run(b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7], b[i + 8], b[i + 9], b[i + 10], b[i + 11], b[i + 12]).lastInsertRowid);
  for (let k = i + 15, end = k + 4 * b[i + 14]; k < end; k += 4) {
    if (all || b[k + 3] === 1) conv.run(b[k], b[k + 1], b[k + 2], b[i + 1], b[i + 9]);
  }
  if (b[i + 13] !== null) queueOffline.run(b[i + 13], id);
  return id;
}
// After a batch, in its transaction: index the tail once it is long enough (historyIndex.ts).
function index(lastId) {
  const row = upTo.get();
  if (row === undefined) return; // a damaged file: up_to could not move, do not refill every time
  const from = Number(row.up_to);
  if (lastId - from < indexEvery) return;
  fill.run(from);
  mark.run(lastId);
}
// retention.ts pruneBatch(), the same steps: keep them in step.
function prune(before, limit, after) {
  const rows = pruneScan.all(after, limit);
  let deleted = 0;
  for (const r of rows) {
    if (Number(r.time) >= before) continue;
    pruneIndex.run(r.target, r.time, r.id);
    pruneMessage.run(r.id);
    deleted++;
  }
  const more = rows.length === limit && deleted > 0;
  const conversations = more ? 0 : Number(pruneConversations.run(before).changes);
  return { deleted, more, last: rows.length > 0 ? Number(rows[rows.length - 1].id) : after, conversations };
}
function tx(fn) {
  db.exec('BEGIN IMMEDIATE');
  try {
    const out = fn();
    db.exec('COMMIT');
    return out;
  } catch (e) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw e;
  }
}
parentPort.on('message', (msg) => {
  if (msg === 'close') {
    try {
      db.close();
    } finally {
      Atomics.store(flag, 0, 0); // close() waits for this: the file is closed when Store.close() returns
      Atomics.notify(flag, 0);
    }
    parentPort.close();
    return;
  }
  if (!Array.isArray(msg)) {
    // { prune: [before, limit, after] }: one retention batch, between two group commits.
    let pruned;
    try {
      pruned = tx(() => prune(msg.prune[0], msg.prune[1], msg.prune[2]));
    } catch (e) {
      pruned = String(e && e.message || e);
    }
    parentPort.postMessage({ pruned });
    return;
  }
  const starts = [];
  for (let i = 0; i < msg.length; i += 15 + 4 * msg[i + 14]) starts.push(i);
  let results;
  try {
    results = tx(() => {
      const ids = starts.map((i) => write(msg, i, false));
      if (ids.length > 0) index(ids[ids.length - 1]);
      return ids;
    });
  } catch {
    // Retry one by one: only the messages that really cannot be written fail.
    results = starts.map((i) => {
      try {
        return tx(() => write(msg, i, true));
      } catch (e) {
        return String(e && e.message || e);
      }
    });
  }
  Atomics.store(flag, 0, 0);
  Atomics.notify(flag, 0);
  parentPort.postMessage({ results });
});
parentPort.postMessage({ ready: true });
`;

export interface WriterEvents {
  /** The in-flight batch's results, in message order. */
  done(results: WriterResult[]): void;
  /** The worker is gone (failed to open, crashed): the in-flight batch's fate is unknown. */
  failed(reason: string): void;
}

export class MessageWriter {
  readonly #worker: Worker;
  readonly #busy: Int32Array;
  readonly #events: WriterEvents;
  /** How long waitIdle() waits for a commit before giving the writer up (busy timeout plus slack). */
  readonly #maxWaitMs: number;
  #inFlight = 0;
  #dead = false;
  /** The retention batch sent and not answered yet (one at a time). */
  #prune: { resolve: (r: PruneResult) => void; reject: (e: Error) => void } | null = null;

  constructor(path: string, busyTimeoutMs: number, sql: WriterSql, indexEvery: number, events: WriterEvents) {
    this.#events = events;
    this.#maxWaitMs = busyTimeoutMs + 10_000;
    const busy = new SharedArrayBuffer(4);
    this.#busy = new Int32Array(busy);
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, busyTimeoutMs, sql, busy, indexEvery } });
    this.#worker.unref(); // referenced only while a batch is in flight
    this.#worker.on('message', (m: { results?: WriterResult[]; fatal?: string; pruned?: PruneResult | string }) => {
      if (m.fatal !== undefined) return this.#die(`the writer could not open the database: ${m.fatal}`, events);
      if (m.pruned !== undefined) return this.#pruned(m.pruned);
      if (m.results === undefined) return;
      this.#inFlight = 0;
      this.#worker.unref();
      events.done(m.results);
    });
    this.#worker.on('error', (err) => this.#die(`the writer failed: ${err.message}`, events));
    this.#worker.on('exit', () => this.#die('the writer stopped', events));
  }

  get alive(): boolean {
    return !this.#dead;
  }

  /** Messages sent and not answered yet (0 or the size of the one batch in flight). */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Sends a batch of `count` messages; only one may be in flight. */
  send(batch: WriterBatch, count: number): void {
    this.#inFlight = count;
    Atomics.store(this.#busy, 0, 1);
    this.#worker.ref();
    this.#worker.postMessage(batch);
  }

  /**
   * Deletes the messages older than `before` among `limit` after id `after`, in the worker, in a
   * transaction of its own between two batches (retention.ts). One at a time.
   */
  prune(before: number, limit: number, after: number): Promise<PruneResult> {
    if (this.#dead) return Promise.reject(new Error('the writer is not running'));
    if (this.#prune) return Promise.reject(new Error('a retention batch is already running'));
    return new Promise((resolve, reject) => {
      this.#prune = { resolve, reject };
      this.#worker.postMessage({ prune: [before, limit, after] });
    });
  }

  #pruned(r: PruneResult | string): void {
    const p = this.#prune;
    this.#prune = null;
    if (typeof r === 'string') p?.reject(new Error(r));
    else p?.resolve(r);
  }

  /**
   * Blocks until the in-flight batch is committed (or failed) in the worker. Its results still
   * arrive as a message; callers that write on the main connection next keep the order of COMMITs.
   */
  waitIdle(): void {
    const giveUpAt = Date.now() + this.#maxWaitMs;
    while (!this.#dead && Atomics.load(this.#busy, 0) !== 0) {
      if (Date.now() > giveUpAt) {
        // A crashed or stuck worker cannot report it while this thread is blocked here.
        void this.#worker.terminate();
        this.#die('the writer did not answer', this.#events);
        return;
      }
      Atomics.wait(this.#busy, 0, 1, 1000);
    }
  }

  /** Closes the worker's connection and waits (briefly) until it is closed, so the files are at rest. */
  close(): void {
    if (this.#dead) return;
    this.waitIdle();
    if (this.#dead) return;
    this.#dead = true;
    Atomics.store(this.#busy, 0, 1);
    this.#worker.postMessage('close');
    // A worker that is gone cannot answer: give up after a while rather than hang the shutdown.
    const giveUpAt = Date.now() + 2000;
    while (Atomics.load(this.#busy, 0) !== 0 && Date.now() < giveUpAt) Atomics.wait(this.#busy, 0, 1, 100);
    this.#worker.unref();
  }

  #die(reason: string, events: WriterEvents): void {
    if (this.#dead) return;
    this.#dead = true;
    Atomics.store(this.#busy, 0, 0);
    this.#worker.unref();
    this.#inFlight = 0;
    this.#pruned(reason);
    events.failed(reason);
  }
}
