// One write transaction on the main thread's connection. IMMEDIATE takes the write lock at BEGIN,
// so a busy writer thread shows up here (busy_timeout) rather than halfway through the work.
import type { DatabaseSync } from 'node:sqlite';

/** Runs `fn` inside BEGIN IMMEDIATE … COMMIT; rolls back and rethrows if it throws. */
export function inImmediateTransaction<T>(db: DatabaseSync, fn: () => T): T {
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
