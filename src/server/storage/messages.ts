// The message write path, on the relay's hot path. The rule (issue #2): a message is relayed only
// after it is durable. Two ways to get there:
//
//  - enqueue(msg): group commit. Messages queued during one event-loop turn are written in ONE
//    transaction when the turn ends (setImmediate: after the I/O callbacks that delivered them),
//    so N messages arriving together cost one fsync instead of N. Each promise resolves after the
//    COMMIT. Latency: one loop turn + one fsync. This is what the server should use.
//  - appendSync(msg): its own transaction, returns after COMMIT. Blocks the loop for one fsync.
//
// If a batch fails (disk full, I/O error) it is retried message by message, so one bad message
// cannot sink the others; each failed promise rejects and the sender must be told.
//
// A stored message is one row in messages plus one entry in its UNIQUE msgid index (time-ordered
// msgids, msgid.ts: appended, not scattered). A DM also upserts its two dm_conversations rows
// (CHATHISTORY TARGETS) only when conversations.ts says they would change by more than its
// granularity, and the CHATHISTORY index is filled in bulk every INDEX_EVERY messages, in the
// commit that reaches it (historyIndex.ts). Pages per message: bench/storage-cost.ts.
//
// With a file path the commits run in a writer thread (writer.ts): the event loop keeps serving
// while the fsync runs, and messages arriving meanwhile form the next batch. The synchronous
// calls (flush, appendSync, close) wait for the in-flight batch, then write on this thread.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { casefold } from '../../protocol/casemap.ts';
import { ConversationCache, type ConversationPlan, type ConversationRow } from './conversations.ts';
import { HISTORY_INDEX_SQL, INDEX_EVERY } from './historyIndex.ts';
import { channelKey, dmKeyFolded } from './keys.ts';
import { newMsgid } from './msgid.ts';
import { PRUNE_SQL, pruneBatch, type PruneResult } from './retention.ts';
import { MESSAGE_COLUMNS, parseTags, toStoredMessage, type MessageRow } from './rows.ts';
import type { MessageKind, MessageStore, NewMessage, StoredMessage } from './types.ts';
import { MessageWriter, type WriterBatch, type WriterResult } from './writer.ts';
import { inImmediateTransaction } from './transaction.ts';

const SQL = {
  insert: `INSERT INTO messages (msgid, target, target_type, target_display, kind, source, sender_nick, sender_account, sender_party, time, text, tags, multiline)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  conv: `INSERT INTO dm_conversations (party, peer, peer_display, target, last_time) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (party, peer) DO UPDATE SET peer_display = excluded.peer_display, last_time = max(last_time, excluded.last_time)`,
  queueOffline: 'INSERT OR IGNORE INTO offline_dms (account, message_id) VALUES (?, ?)',
  ...HISTORY_INDEX_SQL,
  ...PRUNE_SQL,
} as const;

/** Appends one message to a batch for the writer thread (the layout is WriterBatch's). */
function encode(out: WriterBatch, p: Prepared, write: readonly boolean[] | undefined): void {
  const m = p.msg;
  out.push(m.msgid, m.target, m.type, m.targetDisplay, m.kind, m.source, m.senderNick, m.senderAccount, m.senderParty, m.time, m.text, p.tags, m.multiline ? 1 : 0);
  out.push(p.queueFor, p.convs.length);
  for (let i = 0; i < p.convs.length; i++) {
    const c = p.convs[i]!;
    out.push(c[0], c[1], c[2], write === undefined || write[i] ? 1 : 0);
  }
}

const KINDS: ReadonlySet<MessageKind> = new Set(['PRIVMSG', 'NOTICE', 'TAGMSG']);
/** A generous cap: a draft/multiline batch is bounded by its max-bytes (the engine's), this only stops absurd rows. */
const MAX_TEXT_BYTES = 1024 * 1024;

interface Prepared {
  /** The message as it resolves once committed: `id` is set then (0 until). */
  msg: StoredMessage;
  /** Its client tags as stored (JSON), or null. */
  tags: string | null;
  /** For DMs: [party, peer, peerDisplay] rows to upsert into dm_conversations (if conversations.ts says so). */
  convs: readonly ConversationRow[];
  /** Casefolded account to queue the message for (offline delivery), if any. */
  queueFor: string | null;
}

interface Pending {
  prep: Prepared;
  resolve: (m: StoredMessage) => void;
  reject: (e: Error) => void;
}

/** Client-only tags as stored (a JSON object), or null when there are none. */
export function encodeTags(tags: Readonly<Record<string, string>> | undefined): string | null {
  if (tags === undefined) return null;
  for (const _ in tags) return JSON.stringify(tags);
  return null;
}

/**
 * Bytes the tags take in storage. More than on the wire when values hold control characters
 * (JSON writes \u0001 for one byte): the engine bounds this (--max-tag-bytes), not the wire size.
 */
export function storedTagBytes(tags: Readonly<Record<string, string>>): number {
  const json = encodeTags(tags);
  return json === null ? 0 : Buffer.byteLength(json);
}

function prepare(msg: NewMessage): Prepared {
  if (!KINDS.has(msg.kind)) throw new TypeError(`message kind must be PRIVMSG, NOTICE or TAGMSG, got '${String(msg.kind)}'`);
  // UTF-8 takes at most 3 bytes per UTF-16 unit: only a long text needs counting.
  if (msg.text.length > MAX_TEXT_BYTES / 3 && Buffer.byteLength(msg.text) > MAX_TEXT_BYTES) throw new RangeError('message text is larger than 1 MiB');
  const time = msg.time ?? Date.now();
  if (!Number.isSafeInteger(time)) throw new TypeError(`message time must be integer ms since epoch, got ${time}`);
  const tags = encodeTags(msg.tags);
  const t = msg.target;
  const queueFor = msg.queueFor ? casefold(msg.queueFor) : null;
  let target: string;
  let targetDisplay: string;
  let senderParty: string | null = null;
  let convs: readonly ConversationRow[] = NO_CONVERSATIONS;
  if (t.type === 'channel') {
    target = channelKey(t.name);
    targetDisplay = t.name;
  } else {
    const from = casefold(t.from);
    const to = casefold(t.to);
    target = dmKeyFolded(from, to);
    targetDisplay = t.toName ?? t.to;
    senderParty = from;
    convs = from !== to ? [[from, to, targetDisplay], [to, from, t.fromName ?? t.from]] : [[from, to, targetDisplay]];
  }
  const stored: StoredMessage = {
    id: 0,
    msgid: msg.msgid ?? newMsgid(),
    target,
    type: t.type,
    targetDisplay,
    kind: msg.kind,
    source: msg.source,
    senderNick: msg.senderNick,
    senderAccount: msg.senderAccount,
    senderParty,
    time,
    text: msg.text,
    // What the stored JSON reads back as (rows.ts parseTags): string values only.
    tags: tags === null ? {} : parseTags(tags),
    multiline: msg.multiline === true,
  };
  return { msg: stored, tags, convs, queueFor };
}

const NO_CONVERSATIONS: readonly ConversationRow[] = [];

export class SqliteMessageStore implements MessageStore {
  private readonly db: DatabaseSync;
  private readonly insert: StatementSync;
  private readonly conv: StatementSync;
  private readonly queueOffline: StatementSync;
  private readonly upTo: StatementSync;
  private readonly fill: StatementSync;
  private readonly mark: StatementSync;
  private readonly byMsgid: StatementSync;
  private readonly prunes: { pruneScan: StatementSync; pruneIndex: StatementSync; pruneMessage: StatementSync; pruneConversations: StatementSync };
  private readonly countAll: StatementSync;
  private readonly countTarget: StatementSync;
  private queue: Pending[] = [];
  /** The batch the writer thread is committing, and its dm_conversations plan. */
  private inFlight: Pending[] = [];
  private inFlightPlan: ConversationPlan | undefined;
  private readonly conversations = new ConversationCache();
  private scheduled: NodeJS.Immediate | undefined;
  private closed = false;
  private readonly writer: MessageWriter | null = null;

  /** With `thread`, commits run in a writer thread on a second connection to that file. */
  constructor(db: DatabaseSync, thread?: { path: string; busyTimeoutMs: number }) {
    this.db = db;
    this.insert = db.prepare(SQL.insert);
    this.conv = db.prepare(SQL.conv);
    this.queueOffline = db.prepare(SQL.queueOffline);
    this.upTo = db.prepare(SQL.upTo);
    this.fill = db.prepare(SQL.fill);
    this.mark = db.prepare(SQL.mark);
    if (thread) {
      this.writer = new MessageWriter(thread.path, thread.busyTimeoutMs, SQL, INDEX_EVERY, {
        done: (results) => this.committed(results),
        failed: (reason) => this.writerFailed(reason),
      });
    }
    this.prunes = {
      pruneScan: db.prepare(SQL.pruneScan),
      pruneIndex: db.prepare(SQL.pruneIndex),
      pruneMessage: db.prepare(SQL.pruneMessage),
      pruneConversations: db.prepare(SQL.pruneConversations),
    };
    this.byMsgid = db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE msgid = ?`);
    this.countAll = db.prepare('SELECT count(*) AS n FROM messages');
    // One statement, one snapshot: the index and the tail after it never overlap.
    this.countTarget = db.prepare(
      'SELECT (SELECT count(*) FROM history_index WHERE target = ?1) + (SELECT count(*) FROM messages WHERE id > (SELECT up_to FROM history_indexed) AND target = ?1) AS n',
    );
  }

  /** `write`: which dm_conversations rows to upsert (a plan's), all when undefined. */
  private write(p: Prepared, write?: readonly boolean[]): StoredMessage {
    const m = p.msg;
    const res = this.insert.run(m.msgid, m.target, m.type, m.targetDisplay, m.kind, m.source, m.senderNick, m.senderAccount, m.senderParty, m.time, m.text, p.tags, m.multiline ? 1 : 0);
    const id = Number(res.lastInsertRowid);
    p.convs.forEach(([party, peer, display], i) => {
      if (write === undefined || write[i]) this.conv.run(party, peer, display, m.target, m.time);
    });
    if (p.queueFor !== null) this.queueOffline.run(p.queueFor, id);
    m.id = id;
    return m;
  }

  /** After a batch, in its transaction: index the tail once it is long enough (historyIndex.ts). */
  private index(lastId: number): void {
    const row = this.upTo.get() as { up_to: number } | undefined;
    if (row === undefined) return; // a damaged file: up_to could not move, do not refill every time
    const from = Number(row.up_to);
    if (lastId - from < INDEX_EVERY) return;
    this.fill.run(from);
    this.mark.run(lastId);
  }

  private inTransaction<T>(fn: () => T): T {
    return inImmediateTransaction(this.db, fn);
  }

  enqueue(msg: NewMessage): Promise<StoredMessage> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    let prep: Prepared;
    try {
      prep = prepare(msg);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ prep, resolve, reject });
      this.scheduled ??= setImmediate(() => this.dispatch());
    });
  }

  /** End of the turn: hand the queue to the writer thread (unless a batch is in flight), else commit here. */
  private dispatch(): void {
    this.scheduled = undefined;
    if (!this.writer?.alive) return this.flush();
    if (this.writer.inFlight > 0 || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    // Planned now, with nothing in flight: the memory holds every earlier commit.
    const plan = this.conversations.plan(batch.map((p) => p.prep));
    const out: WriterBatch = [];
    batch.forEach((p, i) => encode(out, p.prep, plan.write[i]));
    this.inFlight = batch;
    this.inFlightPlan = plan;
    this.writer.send(out, batch.length);
  }

  private committed(results: WriterResult[]): void {
    const batch = this.inFlight;
    const plan = this.inFlightPlan;
    this.inFlight = [];
    this.inFlightPlan = undefined;
    if (plan !== undefined) {
      // A batch retried message by message wrote every row of the messages that made it; if one
      // failed, what the plan skipped may be missing: forget.
      if (results.length === batch.length && results.every((r) => typeof r === 'number')) this.conversations.committed(plan);
      else this.conversations.forget();
    }
    // What queued up during this commit goes next, before the relays of this batch run.
    if (this.queue.length > 0 && !this.scheduled) this.dispatch();
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i]!;
      const r = results[i];
      if (typeof r === 'number') {
        p.prep.msg.id = r;
        p.resolve(p.prep.msg);
      } else p.reject(new Error(r ?? 'the writer returned no result'));
    }
  }

  private writerFailed(reason: string): void {
    // The batch may or may not be committed: its senders are told it failed (never a relay of an
    // uncommitted message). Later batches are committed on this thread.
    const batch = this.inFlight;
    this.inFlight = [];
    this.inFlightPlan = undefined;
    this.conversations.forget();
    for (const p of batch) p.reject(new Error(reason));
    if (this.queue.length > 0) this.scheduled ??= setImmediate(() => this.dispatch());
  }

  appendSync(msg: NewMessage): StoredMessage {
    if (this.closed) throw new Error('the store is closed');
    const prep = prepare(msg);
    this.flush(); // keep insertion order: anything queued earlier goes first
    const plan = this.conversations.plan([prep]);
    let stored: StoredMessage;
    try {
      stored = this.inTransaction(() => {
        const m = this.write(prep, plan.write[0]);
        this.index(m.id);
        return m;
      });
    } catch (e) {
      this.conversations.forget();
      throw e;
    }
    this.conversations.committed(plan);
    return stored;
  }

  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    this.writer?.waitIdle(); // COMMITs stay in queue order
    // That batch is committed (or failed) but its results are not in: its plan must not count.
    if (this.inFlight.length > 0) this.conversations.forget();
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const plan = this.conversations.plan(batch.map((p) => p.prep));
    let stored: StoredMessage[] | undefined;
    try {
      stored = this.inTransaction(() => {
        const all = batch.map((p, i) => this.write(p.prep, plan.write[i]));
        this.index((all[all.length - 1] as StoredMessage).id);
        return all;
      });
    } catch {
      this.conversations.forget();
      // Retry one by one: only the messages that really cannot be written fail.
      for (const p of batch) {
        try {
          p.resolve(this.inTransaction(() => this.write(p.prep)));
        } catch (e) {
          p.reject(e instanceof Error ? e : new Error(String(e)));
        }
      }
      return;
    }
    this.conversations.committed(plan);
    batch.forEach((p, i) => p.resolve(stored[i] as StoredMessage));
  }

  pending(): number {
    return this.queue.length + this.inFlight.length;
  }

  findByMsgid(msgid: string): StoredMessage | null {
    const r = this.byMsgid.get(msgid) as MessageRow | undefined;
    return r ? toStoredMessage(r) : null;
  }

  count(target?: string): number {
    const r = (target === undefined ? this.countAll.get() : this.countTarget.get(target)) as { n: number };
    return Number(r.n);
  }

  async prune(before: number, limit: number, after = 0): Promise<PruneResult> {
    if (this.closed) throw new Error('the store is closed');
    const r = this.writer?.alive
      ? await this.writer.prune(before, limit, after)
      : this.inTransaction(() => pruneBatch(this.prunes, before, limit, after));
    // Rows the memory knows of are gone: they must be written again (conversations.ts).
    if (r.conversations > 0) this.conversations.forget();
    return r;
  }

  /** Commits what is queued and refuses new messages (called by Store.close()). */
  close(): void {
    this.flush();
    this.writer?.close();
    this.closed = true;
  }
}
