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

/** A row as messages.ts prepares it (positional, in INSERT column order) plus its side writes. */
export interface WriterJob {
  /** msgid, target, target_type, target_display, kind, source, sender_nick, sender_account, time, text, tags, multiline */
  values: (string | number | null)[];
  /** [party, peer, peerDisplay] rows for dm_conversations. */
  convs: [string, string, string][];
  queueFor: string | null;
}

/** Per job: the row id, or the error message when that message could not be written. */
export type WriterResult = { id: number } | { error: string };

export interface WriterSql {
  insert: string;
  conv: string;
  queueOffline: string;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
const { path, busyTimeoutMs, sql, busy } = workerData;
const flag = new Int32Array(busy);
let db;
let insert, conv, queueOffline;
try {
  db = new DatabaseSync(path, { timeout: busyTimeoutMs, enableForeignKeyConstraints: true });
  db.exec('PRAGMA busy_timeout = ' + busyTimeoutMs);
  db.exec('PRAGMA synchronous = FULL');
  db.exec('PRAGMA journal_size_limit = 67108864');
  insert = db.prepare(sql.insert);
  conv = db.prepare(sql.conv);
  queueOffline = db.prepare(sql.queueOffline);
} catch (e) {
  parentPort.postMessage({ fatal: String(e && e.message || e) });
  Atomics.store(flag, 0, 0);
  Atomics.notify(flag, 0);
  process.exit(1);
}
function write(job) {
  const v = job.values;
  const id = Number(insert.run(...v).lastInsertRowid);
  for (const c of job.convs) conv.run(c[0], c[1], c[2], v[1], v[8]);
  if (job.queueFor !== null) queueOffline.run(job.queueFor, id);
  return id;
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
    db.close();
    parentPort.close();
    return;
  }
  let results;
  try {
    results = tx(() => msg.map(write)).map((id) => ({ id }));
  } catch {
    // Retry one by one: only the messages that really cannot be written fail.
    results = msg.map((job) => {
      try {
        return { id: tx(() => write(job)) };
      } catch (e) {
        return { error: String(e && e.message || e) };
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
  /** The in-flight batch's results, in job order. */
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

  constructor(path: string, busyTimeoutMs: number, sql: WriterSql, events: WriterEvents) {
    this.#events = events;
    this.#maxWaitMs = busyTimeoutMs + 10_000;
    const busy = new SharedArrayBuffer(4);
    this.#busy = new Int32Array(busy);
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, busyTimeoutMs, sql, busy } });
    this.#worker.unref(); // referenced only while a batch is in flight
    this.#worker.on('message', (m: { results?: WriterResult[]; fatal?: string }) => {
      if (m.fatal !== undefined) return this.#die(`the writer could not open the database: ${m.fatal}`, events);
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

  /** Jobs sent and not answered yet (0 or the size of the one batch in flight). */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Sends a batch; only one may be in flight. */
  send(jobs: WriterJob[]): void {
    this.#inFlight = jobs.length;
    Atomics.store(this.#busy, 0, 1);
    this.#worker.ref();
    this.#worker.postMessage(jobs);
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

  close(): void {
    if (this.#dead) return;
    this.waitIdle();
    this.#dead = true;
    this.#worker.postMessage('close');
    this.#worker.unref();
  }

  #die(reason: string, events: WriterEvents): void {
    if (this.#dead) return;
    this.#dead = true;
    Atomics.store(this.#busy, 0, 0);
    this.#worker.unref();
    this.#inFlight = 0;
    events.failed(reason);
  }
}
