// The CHATHISTORY index (history_index: target, time, id), filled in bulk rather than by every
// INSERT. An index on messages (target, time, id) put each DM of a batch on another leaf page (one
// per conversation): about 1.3 of the 1.7 WAL pages a DM cost in a batch of 10 (bench/storage-cost.ts).
//
// Messages with id <= history_indexed.up_to are in history_index; the newer ones (the "tail", at
// most INDEX_EVERY + one batch) are found by scanning messages from up_to on, a rowid range. Each
// commit that leaves the tail at INDEX_EVERY or more also moves it into the index, sorted by
// target, in the SAME transaction: one page per conversation per INDEX_EVERY messages. Nothing is
// lost or duplicated by a crash: index and up_to move together. history.ts merges both parts.

/** How many messages may wait outside the index (a CHATHISTORY query scans them). */
export const INDEX_EVERY = 512;

export const HISTORY_INDEX_SQL = {
  upTo: 'SELECT up_to FROM history_indexed',
  fill: 'INSERT OR IGNORE INTO history_index (target, time, id) SELECT target, time, id FROM messages WHERE id > ? ORDER BY target, time, id',
  mark: 'UPDATE history_indexed SET up_to = ?',
} as const;
