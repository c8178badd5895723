// draft/read-marker: the time up to which an account has read a target, shared by all its clients.
// https://ircv3.net/specs/extensions/read-marker
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { fold } from './keys.ts';
import type { ReadMarkerStore } from './types.ts';

export class SqliteReadMarkerStore implements ReadMarkerStore {
  private readonly getOne: StatementSync;
  private readonly upsert: StatementSync;

  constructor(db: DatabaseSync) {
    this.getOne = db.prepare('SELECT time FROM read_markers WHERE account = ? AND target = ?');
    // The spec: a marker older than the stored one is ignored, the reply carries the stored one.
    this.upsert = db.prepare(
      `INSERT INTO read_markers (account, target, time) VALUES (?, ?, ?)
       ON CONFLICT (account, target) DO UPDATE SET time = max(time, excluded.time)
       RETURNING time`,
    );
  }

  get(account: string, target: string): number | null {
    const r = this.getOne.get(fold(account), fold(target)) as { time: number } | undefined;
    return r ? Number(r.time) : null;
  }

  set(account: string, target: string, time: number): number {
    if (!Number.isSafeInteger(time)) throw new TypeError(`read marker time must be integer ms since epoch, got ${time}`);
    const r = this.upsert.get(fold(account), fold(target), time) as { time: number };
    return Number(r.time);
  }
}
