// Direct messages kept for an account that had no connection when they were sent (issue 4:
// "stored and delivered when they come back"). The message itself is in `messages` like any other
// (CHATHISTORY finds it); this queue only remembers which ones its recipient has not been handed
// yet, so the server can replay them once, at the recipient's next connection.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { fold } from './keys.ts';
import { MESSAGE_COLUMNS, toStoredMessage, type MessageRow } from './rows.ts';
import type { OfflineQueueStore, StoredMessage } from './types.ts';

const QUALIFIED = MESSAGE_COLUMNS.split(', ').map((c) => `m.${c}`).join(', ');

/** The statements, exported so a test can EXPLAIN QUERY PLAN exactly what runs. */
export const OFFLINE_SQL = {
  add: 'INSERT OR IGNORE INTO offline_dms (account, message_id) SELECT ?, id FROM messages WHERE msgid = ?',
  // Oldest first, one range of the primary key (account, message_id), joined to messages by rowid.
  peek: `SELECT ${QUALIFIED} FROM offline_dms o JOIN messages m ON m.id = o.message_id WHERE o.account = ? ORDER BY o.message_id LIMIT ?`,
  remove: 'DELETE FROM offline_dms WHERE account = ? AND message_id <= ?',
  count: 'SELECT count(*) AS n FROM offline_dms WHERE account = ?',
} as const;

export class SqliteOfflineQueue implements OfflineQueueStore {
  private readonly db: DatabaseSync;
  private readonly addOne: StatementSync;
  private readonly peek: StatementSync;
  private readonly remove: StatementSync;
  private readonly countOne: StatementSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.addOne = db.prepare(OFFLINE_SQL.add);
    this.peek = db.prepare(OFFLINE_SQL.peek);
    this.remove = db.prepare(OFFLINE_SQL.remove);
    this.countOne = db.prepare(OFFLINE_SQL.count);
  }

  add(account: string, msgid: string): boolean {
    return Number(this.addOne.run(fold(account), msgid).changes) > 0;
  }

  take(account: string, limit: number): StoredMessage[] {
    const n = Number.isFinite(limit) ? Math.max(0, Math.min(1000, Math.floor(limit))) : 0;
    const key = fold(account);
    const rows = this.peek.all(key, n) as unknown as MessageRow[];
    if (rows.length > 0) this.remove.run(key, Number(rows[rows.length - 1]!.id));
    return rows.map(toStoredMessage);
  }

  count(account: string): number {
    return Number((this.countOne.get(fold(account)) as { n: number }).n);
  }
}
