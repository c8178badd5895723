// History retention (--history-days): the oldest messages are deleted in small batches, each its
// own short transaction, in the writer thread between group commits (writer.ts), so neither the
// event loop nor a waiting commit is held up for long. CHATHISTORY stops serving a message the
// moment it is older than the retention (history.ts keepSince), deleted or not yet.
//
// Messages are deleted in id order (insertion order, which server time follows) up to the first
// one that is young enough. No index on time is needed, and none is kept up to date by every
// INSERT: a batch reads the first `limit` rows of the table. With foreign keys on, deleting a
// message also deletes its offline_dms entry (ON DELETE CASCADE).

export const PRUNE_SQL = {
  pruneScan: 'SELECT id, target, time FROM messages ORDER BY id LIMIT ?',
  pruneIndex: 'DELETE FROM history_index WHERE target = ? AND time = ? AND id = ?',
  pruneMessage: 'DELETE FROM messages WHERE id = ?',
  // A conversation whose newest message is older than the retention has no message left.
  pruneConversations: 'DELETE FROM dm_conversations WHERE last_time < ?',
} as const;

/** Messages one batch deletes at most: a few milliseconds of work between two group commits. */
export const PRUNE_BATCH = 200;

export interface PruneResult {
  deleted: number;
  /** The batch was full: call again for the rest. */
  more: boolean;
  /** dm_conversations rows deleted (at the end of a pass only). */
  conversations: number;
}

interface PruneStatements {
  pruneScan: { all(limit: number): unknown[] };
  pruneIndex: { run(target: string, time: number, id: number): unknown };
  pruneMessage: { run(id: number): unknown };
  pruneConversations: { run(before: number): { changes: number | bigint } };
}

/**
 * One batch, inside the caller's transaction: deletes up to `limit` messages older than `before`
 * (ms since epoch). The writer thread runs a copy of this (writer.ts WORKER_SOURCE): keep in step.
 */
export function pruneBatch(s: PruneStatements, before: number, limit: number): PruneResult {
  let deleted = 0;
  for (const r of s.pruneScan.all(limit) as { id: number; target: string; time: number }[]) {
    if (Number(r.time) >= before) break;
    s.pruneIndex.run(r.target, r.time, r.id);
    s.pruneMessage.run(r.id);
    deleted++;
  }
  const more = deleted === limit;
  const conversations = more ? 0 : Number(s.pruneConversations.run(before).changes);
  return { deleted, more, conversations };
}
