// History retention (--history-days): the oldest messages are deleted in small batches, each its
// own short transaction, in the writer thread between group commits (writer.ts), so neither the
// event loop nor a waiting commit is held up for long. CHATHISTORY stops serving a message the
// moment it is older than the retention (history.ts keepSince), deleted or not yet.
//
// Messages are visited in id order (insertion order, which server time follows), a batch of
// `limit` rows at a time from where the previous batch stopped; the old ones among them are
// deleted. A pass ends at a batch with nothing old in it (or the end of the table): young rows
// are all after the old ones, except a few stamped while the clock was wrong, which stop nothing.
// No index on time is needed, and none is kept up to date by every INSERT. With foreign keys on,
// deleting a message also deletes its offline_dms entry (ON DELETE CASCADE).

export const PRUNE_SQL = {
  pruneScan: 'SELECT id, target, time FROM messages WHERE id > ? ORDER BY id LIMIT ?',
  pruneIndex: 'DELETE FROM history_index WHERE target = ? AND time = ? AND id = ?',
  pruneMessage: 'DELETE FROM messages WHERE id = ?',
  // A conversation whose newest message is older than the retention has no message left.
  pruneConversations: 'DELETE FROM dm_conversations WHERE last_time < ?',
} as const;

/** Messages one batch deletes at most: a few milliseconds of work between two group commits. */
export const PRUNE_BATCH = 200;

export interface PruneResult {
  deleted: number;
  /** Call again, with `after: last`, for the rest. */
  more: boolean;
  /** The last id this batch visited. */
  last: number;
  /** dm_conversations rows deleted (at the end of a pass only). */
  conversations: number;
}

interface PruneStatements {
  pruneScan: { all(after: number, limit: number): unknown[] };
  pruneIndex: { run(target: string, time: number, id: number): unknown };
  pruneMessage: { run(id: number): unknown };
  pruneConversations: { run(before: number): { changes: number | bigint } };
}

/**
 * One batch, inside the caller's transaction: visits up to `limit` messages after id `after` and
 * deletes those older than `before` (ms since epoch). The writer thread runs a copy of this
 * (writer.ts WORKER_SOURCE): keep them in step.
 */
export function pruneBatch(s: PruneStatements, before: number, limit: number, after: number): PruneResult {
  const rows = s.pruneScan.all(after, limit) as { id: number; target: string; time: number }[];
  let deleted = 0;
  for (const r of rows) {
    if (Number(r.time) >= before) continue;
    s.pruneIndex.run(r.target, r.time, r.id);
    s.pruneMessage.run(r.id);
    deleted++;
  }
  const more = rows.length === limit && deleted > 0;
  const conversations = more ? 0 : Number(s.pruneConversations.run(before).changes);
  return { deleted, more, last: rows.length > 0 ? Number(rows[rows.length - 1]!.id) : after, conversations };
}
