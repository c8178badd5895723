// Schema migrations. PRAGMA user_version holds the number of migrations applied; each migration runs
// in its own transaction together with the user_version bump, so a crash mid-migration leaves the
// file at the previous version. Append new migrations; never edit a released one.
import type { DatabaseSync } from 'node:sqlite';
import { casefold } from '../../protocol/casemap.ts';
import { dmKeyFolded } from './keys.ts';

export type Migration = (db: DatabaseSync) => void;

export const MIGRATIONS: readonly Migration[] = [
  // 1: accounts, registered channels with roles and bans, messages, DM conversations, read markers.
  (db) =>
    db.exec(`
      CREATE TABLE accounts (
        name          TEXT PRIMARY KEY,            -- casefolded (rfc1459)
        display_name  TEXT NOT NULL,
        password_hash BLOB NOT NULL,               -- scrypt output
        salt          BLOB NOT NULL,               -- per-account random salt
        scrypt_n      INTEGER NOT NULL,            -- parameters stored with the hash so they can be raised later
        scrypt_r      INTEGER NOT NULL,
        scrypt_p      INTEGER NOT NULL,
        email         TEXT,
        verified      INTEGER NOT NULL DEFAULT 0,
        created_at    INTEGER NOT NULL             -- ms since epoch
      ) STRICT;

      CREATE TABLE channels (
        name          TEXT PRIMARY KEY,            -- casefolded
        display_name  TEXT NOT NULL,
        founder       TEXT NOT NULL REFERENCES accounts(name),
        topic         TEXT,
        topic_set_by  TEXT,
        topic_time    INTEGER,
        modes         TEXT NOT NULL DEFAULT '',
        chan_key      TEXT,
        user_limit    INTEGER,
        created_at    INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE channel_roles (
        channel TEXT NOT NULL REFERENCES channels(name) ON DELETE CASCADE,
        account TEXT NOT NULL REFERENCES accounts(name) ON DELETE CASCADE,
        role    TEXT NOT NULL CHECK (role IN ('op', 'voice')),
        PRIMARY KEY (channel, account)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE channel_bans (
        channel     TEXT NOT NULL REFERENCES channels(name) ON DELETE CASCADE,
        mask_folded TEXT NOT NULL,
        mask        TEXT NOT NULL,
        set_by      TEXT NOT NULL,
        set_at      INTEGER NOT NULL,
        PRIMARY KEY (channel, mask_folded)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE messages (
        id             INTEGER PRIMARY KEY,        -- insertion order; tie-breaker for equal times
        msgid          TEXT NOT NULL UNIQUE,       -- the msgid tag (lookup by msgid uses this index)
        target         TEXT NOT NULL,              -- casefolded channel, or DM key 'a b' (keys.ts)
        target_type    TEXT NOT NULL CHECK (target_type IN ('channel', 'dm')),
        target_display TEXT NOT NULL,              -- the target parameter to replay
        kind           TEXT NOT NULL CHECK (kind IN ('PRIVMSG', 'NOTICE', 'TAGMSG')),
        source         TEXT NOT NULL,              -- nick!user@host at send time
        sender_nick    TEXT NOT NULL,
        sender_account TEXT,
        time           INTEGER NOT NULL,           -- server time, ms since epoch
        text           TEXT NOT NULL,              -- multiline: lines joined by '\\n'
        tags           TEXT,                       -- client-only tags as JSON, or NULL
        multiline      INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      -- Every CHATHISTORY page is a range scan on this index, either direction.
      CREATE INDEX messages_by_target_time ON messages (target, time, id);

      -- One row per (party, peer) DM conversation: CHATHISTORY TARGETS lists a user's conversations.
      CREATE TABLE dm_conversations (
        party        TEXT NOT NULL,                -- casefolded account-or-nick
        peer         TEXT NOT NULL,                -- casefolded
        peer_display TEXT NOT NULL,
        target       TEXT NOT NULL,                -- the DM key in messages.target
        last_time    INTEGER NOT NULL,
        PRIMARY KEY (party, peer)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX dm_conversations_by_time ON dm_conversations (party, last_time);

      CREATE TABLE read_markers (
        account TEXT NOT NULL,                     -- casefolded account name
        target  TEXT NOT NULL,                     -- casefolded channel or DM peer
        time    INTEGER NOT NULL,
        PRIMARY KEY (account, target)
      ) STRICT, WITHOUT ROWID;
    `),
  // 2: DMs kept for an account that was offline, until its next connection (issue 4).
  (db) =>
    db.exec(`
      CREATE TABLE offline_dms (
        account    TEXT NOT NULL,                  -- casefolded recipient account
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        PRIMARY KEY (account, message_id)
      ) STRICT, WITHOUT ROWID;
    `),
  // 3: the CHATHISTORY index becomes a table filled in bulk (historyIndex.ts) instead of an index
  // on messages updated by every INSERT: DMs of a batch each landed on another leaf of it.
  (db) =>
    db.exec(`
      CREATE TABLE history_index (
        target TEXT NOT NULL,                      -- messages.target
        time   INTEGER NOT NULL,                   -- messages.time
        id     INTEGER NOT NULL,                   -- messages.id
        PRIMARY KEY (target, time, id)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO history_index (target, time, id) SELECT target, time, id FROM messages ORDER BY target, time, id;
      DROP INDEX messages_by_target_time;
      -- Messages with id <= up_to are in history_index; the few after it are read from messages.
      CREATE TABLE history_indexed (up_to INTEGER NOT NULL) STRICT;
      INSERT INTO history_indexed (up_to) SELECT coalesce(max(id), 0) FROM messages;
    `),
  // 4: a DM party is an account or a connection's token, never a nick (issue 11): each message
  // keeps its sender's party, and older conversations are re-keyed (separateLegacyDms).
  (db) => {
    // sender_party: a DM's sending party (casefolded); NULL for rooms and older DMs.
    db.exec('ALTER TABLE messages ADD COLUMN sender_party TEXT');
    separateLegacyDms(db);
  },
  // 5: reactions (+draft/react on TAGMSG, kept as the current set per user and message), redactions
  // (draft/message-redaction: the text is blanked, who and why kept) and the SEARCH index (FTS5,
  // contentless: the text lives once, in messages). The search index is filled by a trigger when
  // history_indexed.up_to moves, i.e. in bulk in the writer thread's commits (historyIndex.ts),
  // never per relayed message; the tail after up_to is searched by scanning it (search.ts).
  (db) =>
    db.exec(`
      CREATE TABLE reactions (
        message_id     INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        party          TEXT NOT NULL,              -- casefolded account, or a guest connection's token (Client.party)
        reaction       TEXT NOT NULL,
        msgid          TEXT NOT NULL,              -- the reaction's own msgid, as relayed
        source         TEXT NOT NULL,
        sender_nick    TEXT NOT NULL,
        sender_account TEXT,
        time           INTEGER NOT NULL,
        PRIMARY KEY (message_id, party, reaction)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX reactions_by_msgid ON reactions (msgid);

      CREATE TABLE redactions (
        message_id     INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
        msgid          TEXT NOT NULL,              -- the REDACT's own msgid
        source         TEXT NOT NULL,              -- who redacted, nick!user@host
        sender_account TEXT,
        reason         TEXT,
        time           INTEGER NOT NULL
      ) STRICT;

      -- target: hex(messages.target), one token, so a search ANDs the word with the asker's targets
      -- inside FTS5 (doclist merges) instead of fetching every row that has the word.
      CREATE VIRTUAL TABLE messages_fts USING fts5 (text, target, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');
      INSERT INTO messages_fts (rowid, text, target)
        SELECT id, text, hex(target) FROM messages WHERE id <= (SELECT up_to FROM history_indexed) AND kind != 'TAGMSG' AND text != '';
      CREATE TRIGGER messages_fts_fill AFTER UPDATE OF up_to ON history_indexed BEGIN
        INSERT INTO messages_fts (rowid, text, target)
          SELECT id, text, hex(target) FROM messages WHERE id > old.up_to AND id <= new.up_to AND kind != 'TAGMSG' AND text != '';
      END;
      CREATE TRIGGER messages_fts_forget AFTER DELETE ON messages BEGIN
        DELETE FROM messages_fts WHERE rowid = old.id;
      END;
      CREATE TRIGGER messages_fts_redact AFTER UPDATE OF text ON messages BEGIN
        DELETE FROM messages_fts WHERE rowid = old.id;
      END;
    `),
];

/** What a nick party of an older DM becomes: unreachable (tokens are '!' + hex, accounts have no '!'). */
const LEGACY_NICK = '!nick:';

/**
 * Until schema 4 a DM party without an account was its nick, so whoever took the nick (or
 * registered it as an account) read the conversation. Each side of each older DM stays its account
 * only if it provably was one then: a sender with sender_account, a recipient whose account existed
 * at that time (a nick that is an account's name belongs to it); any other side becomes
 * '!nick:<nick>', which no connection ever is. The account side of such a conversation still reads
 * it (dm_conversations shows the nick). dm_conversations is rebuilt from the re-keyed messages.
 */
function separateLegacyDms(db: DatabaseSync): void {
  const createdAt = new Map<string, number>();
  for (const a of db.prepare('SELECT name, created_at FROM accounts').all() as { name: string; created_at: number }[]) {
    createdAt.set(a.name, Number(a.created_at));
  }
  const displayOf = new Map<string, string>();
  for (const a of db.prepare('SELECT name, display_name FROM accounts').all() as { name: string; display_name: string }[]) {
    displayOf.set(a.name, a.display_name);
  }
  const page = db.prepare(
    "SELECT id, target, sender_nick, sender_account, time FROM messages WHERE target_type = 'dm' AND id > ? ORDER BY id LIMIT 5000",
  );
  const rekey = db.prepare('UPDATE messages SET target = ? WHERE id = ?');
  const rekeyIndex = db.prepare('UPDATE history_index SET target = ? WHERE target = ? AND time = ? AND id = ?');
  /** New key -> its two parties and newest time. */
  const conversations = new Map<string, { a: string; b: string; last: number }>();
  type Row = { id: number; target: string; sender_nick: string; sender_account: string | null; time: number };
  for (let after = 0; ; ) {
    const rows = page.all(after) as Row[];
    if (rows.length === 0) break;
    for (const r of rows) {
      after = Number(r.id);
      const time = Number(r.time);
      const sender = casefold(r.sender_account ?? r.sender_nick);
      const [x = '', y = x] = r.target.split(' ');
      const recipient = x === sender ? y : x;
      const isAccount = (p: string, sending: boolean) =>
        (sending ? r.sender_account !== null && (x === sender || y === sender) : (createdAt.get(p) ?? Infinity) <= time);
      const from = isAccount(sender, true) ? sender : LEGACY_NICK + sender;
      const to = isAccount(recipient, false) ? recipient : LEGACY_NICK + recipient;
      const key = dmKeyFolded(from, to);
      if (key !== r.target) {
        rekey.run(key, r.id);
        rekeyIndex.run(key, r.target, time, r.id);
      }
      const c = conversations.get(key);
      if (c) c.last = Math.max(c.last, time);
      else conversations.set(key, { a: from, b: to, last: time });
    }
  }
  db.exec('DELETE FROM dm_conversations');
  const conv = db.prepare('INSERT OR REPLACE INTO dm_conversations (party, peer, peer_display, target, last_time) VALUES (?, ?, ?, ?, ?)');
  const shown = (p: string) => (p.startsWith(LEGACY_NICK) ? p.slice(LEGACY_NICK.length) : (displayOf.get(p) ?? p));
  for (const [key, { a, b, last }] of conversations) {
    // Only an account side can ever ask for its conversations (CHATHISTORY TARGETS).
    if (!a.startsWith('!')) conv.run(a, b, shown(b), key, last);
    if (a !== b && !b.startsWith('!')) conv.run(b, a, shown(a), key, last);
  }
}

export const SCHEMA_VERSION = MIGRATIONS.length;
