// Full-text search (SEARCH, soju.im/search) over messages with SQLite FTS5. The index
// (messages_fts, migration 4) is contentless: the text lives once, in messages. It is filled by a
// trigger when history_indexed.up_to moves, so in bulk, every INDEX_EVERY messages, inside a
// group commit of the writer thread (historyIndex.ts): nothing is added to the relay path. The
// few newest messages not indexed yet (the tail, id > up_to) are matched here in JS with the same
// tokenisation (unicode61, diacritics removed, case folded). Redacted or pruned messages leave
// the index through triggers.
//
// Access is the caller's business: it passes the storage keys the asker may read (each with the
// time from which it may read them), obtained through chathistory.ts resolveTarget().
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { casefold } from '../../protocol/casemap.ts';
import { HISTORY_INDEX_SQL } from './historyIndex.ts';
import { MESSAGE_COLUMNS, toStoredMessage, type MessageRow } from './rows.ts';
import type { StoredMessage } from './types.ts';

export interface SearchQuery {
  /** Storage keys the asker may read, each from `since` (ms since epoch; 0 = all). */
  targets: readonly { key: string; since: number }[];
  /** Words, all of which must appear (whole words, any case, diacritics ignored). */
  text: string;
  /** A sender's nick or account (any case). */
  from?: string;
  /** Exclusive time bounds, ms since epoch. */
  after?: number;
  before?: number;
  limit: number;
}

/** The words of a text as the index sees them (FTS5 unicode61 with remove_diacritics 2). */
export function searchTokens(text: string): string[] {
  const folded = text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return folded.match(/[\p{L}\p{N}\p{Co}]+/gu) ?? [];
}

const M_COLUMNS = MESSAGE_COLUMNS.split(', ').map((c) => `m.${c}`).join(', ');
// :targets is JSON [[key, since], ...]; :sender a nick or account, or NULL.
const FILTER = `m.target IN (SELECT value ->> 0 FROM json_each(:targets))
  AND m.time >= (SELECT value ->> 1 FROM json_each(:targets) WHERE value ->> 0 = m.target)
  AND m.time > :after AND m.time < :before
  AND (:sender IS NULL OR m.sender_nick = :sender COLLATE NOCASE OR m.sender_account = :sender COLLATE NOCASE)`;

export const SEARCH_SQL = {
  upTo: HISTORY_INDEX_SQL.upTo,
  conversations: 'SELECT peer_display FROM dm_conversations WHERE party = ?',
  // FTS5 intersects the words' doclists with the targets' (newest rowid first); each hit fetches
  // its row by id. The time bounds and the sender are checked on those rows: a search far back in
  // time or for a rare sender with a common word reads more rows than it returns.
  indexed: `SELECT ${M_COLUMNS} FROM messages_fts f CROSS JOIN messages m ON m.id = f.rowid
    WHERE messages_fts MATCH :match AND ${FILTER} ORDER BY f.rowid DESC LIMIT :limit`,
  // The tail: a rowid range of at most about INDEX_EVERY rows.
  tail: `SELECT ${M_COLUMNS} FROM messages m WHERE m.id > :upTo AND m.kind != 'TAGMSG' AND m.text != '' AND ${FILTER} ORDER BY m.id DESC`,
} as const;

export class SqliteSearchStore {
  private readonly conversations: StatementSync;
  private readonly upTo: StatementSync;
  private readonly indexed: StatementSync;
  private readonly tail: StatementSync;

  constructor(db: DatabaseSync) {
    this.conversations = db.prepare(SEARCH_SQL.conversations);
    this.upTo = db.prepare(SEARCH_SQL.upTo);
    this.indexed = db.prepare(SEARCH_SQL.indexed);
    this.tail = db.prepare(SEARCH_SQL.tail);
  }

  /** The peers `party` (account or nick) has DM conversations with, as displayed. */
  conversationPeers(party: string): string[] {
    return (this.conversations.all(casefold(party)) as { peer_display: string }[]).map((r) => r.peer_display);
  }

  /** Matching messages, newest first. */
  search(q: SearchQuery): StoredMessage[] {
    const words = searchTokens(q.text);
    if (words.length === 0 || q.targets.length === 0 || q.limit <= 0) return [];
    const targets = JSON.stringify(q.targets.map((t) => [t.key, t.since]));
    const after = q.after ?? Number.MIN_SAFE_INTEGER;
    const before = q.before ?? Number.MAX_SAFE_INTEGER;
    const sender = q.from ?? null;
    // Read up_to first: a message indexed meanwhile shows in both parts and is dropped once below.
    const upTo = Number((this.upTo.get() as { up_to: number } | undefined)?.up_to ?? 0);
    const out: StoredMessage[] = [];
    const seen = new Set<number>();
    const tailRows = this.tail.all({ upTo, targets, after, before, sender }) as unknown as MessageRow[];
    for (const r of tailRows) {
      if (out.length === q.limit) break;
      const have = new Set(searchTokens(r.text));
      if (words.every((w) => have.has(w))) {
        out.push(toStoredMessage(r));
        seen.add(Number(r.id));
      }
    }
    if (out.length < q.limit) {
      // Each word quoted: FTS5 query syntax in the words cannot change the query. The targets are
      // tokens of the target column (hex of the key, as the trigger wrote them).
      const keys = [...new Set(q.targets.map((t) => `"${Buffer.from(t.key).toString('hex')}"`))];
      const match = `text : (${words.map((w) => `"${w}"`).join(' ')}) AND target : (${keys.join(' OR ')})`;
      for (const r of this.indexed.all({ match, targets, after, before, sender, limit: q.limit }) as unknown as MessageRow[]) {
        if (out.length === q.limit) break;
        if (!seen.has(Number(r.id))) out.push(toStoredMessage(r));
      }
    }
    return out;
  }
}
