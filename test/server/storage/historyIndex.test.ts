// The CHATHISTORY index filled in bulk (src/server/storage/historyIndex.ts): pages merged from
// history_index and the newest, not yet indexed messages must be exactly the pages of a fully
// indexed copy of the same database, whatever the split; the tail stays bounded; a copy made in
// the middle of an index move (a row in both parts) gives no duplicate; and a database written by
// schema 2 (with messages_by_target_time) is migrated with its history intact.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { INDEX_EVERY } from '../../../src/server/storage/historyIndex.ts';
import { MIGRATIONS } from '../../../src/server/storage/migrations.ts';
import { DB_FILE_NAME, openStore } from '../../../src/server/storage/index.ts';
import { APPLICATION_ID } from '../../../src/server/storage/open.ts';
import type { HistoryPoint, HistoryRequest, NewMessage, Store, StoredMessage } from '../../../src/server/storage/index.ts';
import { tempDir } from '../../helpers/tmp.ts';

const FAST = { scrypt: { N: 1024, r: 8, p: 1 } };
const T0 = Date.UTC(2026, 0, 1);
const TARGETS: NewMessage['target'][] = [
  { type: 'channel', name: '#a' },
  { type: 'channel', name: '#B' },
  { type: 'dm', from: 'alice', to: 'bob' },
  { type: 'dm', from: 'Bob', to: 'alice' },
  { type: 'dm', from: 'carol', to: 'alice' },
];

function prng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/** Stores `count` messages in batches of 1..40, times mostly rising with ties and steps back. */
async function fill(store: Store, r: () => number, count: number, clock: { t: number }): Promise<StoredMessage[]> {
  const out: StoredMessage[] = [];
  while (out.length < count) {
    const batch: Promise<StoredMessage>[] = [];
    for (let k = 1 + Math.floor(r() * 40); k > 0 && out.length + batch.length < count; k--) {
      const x = r();
      clock.t += x < 0.2 ? 0 : x < 0.9 ? Math.floor(r() * 50) : -Math.floor(r() * 500);
      const target = TARGETS[Math.floor(r() * TARGETS.length)]!;
      batch.push(store.messages.enqueue({ target, kind: 'PRIVMSG', source: 'x!x@h', senderNick: 'x', senderAccount: null, text: `m${out.length + batch.length}`, time: clock.t }));
    }
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

/** A consistent copy of the store's database with every message in history_index. */
function fullyIndexedCopy(store: Store, into: string): Store {
  mkdirSync(into, { recursive: true });
  const db = new DatabaseSync(store.path);
  db.exec(`VACUUM INTO '${join(into, DB_FILE_NAME)}'`);
  db.close();
  const copy = new DatabaseSync(join(into, DB_FILE_NAME));
  copy.exec(`INSERT OR IGNORE INTO history_index (target, time, id) SELECT target, time, id FROM messages;
             UPDATE history_indexed SET up_to = (SELECT coalesce(max(id), 0) FROM messages);`);
  copy.close();
  return openStore(into, { ...FAST, writerThread: false });
}

function requests(stored: StoredMessage[], r: () => number): { target: string; req: HistoryRequest }[] {
  const out: { target: string; req: HistoryRequest }[] = [];
  const point = (): HistoryPoint => {
    const m = stored[Math.floor(r() * stored.length)]!;
    return r() < 0.5 ? { msgid: m.msgid } : { time: m.time + Math.floor(r() * 3) - 1 };
  };
  for (let i = 0; i < 150; i++) {
    const target = stored[Math.floor(r() * stored.length)]!.target;
    const limit = [1, 7, 50, 1000][Math.floor(r() * 4)]!;
    out.push(
      { target, req: { kind: 'LATEST', limit } },
      { target, req: { kind: 'LATEST', after: point(), limit } },
      { target, req: { kind: 'BEFORE', point: point(), limit } },
      { target, req: { kind: 'AFTER', point: point(), limit } },
      { target, req: { kind: 'AROUND', point: point(), limit } },
      { target, req: { kind: 'BETWEEN', start: point(), end: point(), limit } },
    );
  }
  return out;
}

function assertSamePages(store: Store, full: Store, stored: StoredMessage[], r: () => number, what: string, counts = true): void {
  for (const { target, req } of requests(stored, r)) {
    const got = store.history.query(target, req);
    assert.deepEqual(got, full.history.query(target, req), `${what}: ${target} ${JSON.stringify(req)}`);
    if (got.ok) assert.equal(new Set(got.messages.map((m) => m.id)).size, got.messages.length, 'no duplicates');
  }
  for (const party of ['alice', 'bob', 'carol', 'nobody']) {
    for (const [from, to] of [[0, T0 * 2], [T0 * 2, 0], [T0 + 1000, T0 + 5000]] as const) {
      const q = { party, channels: ['#a', '#b', '#none'], from, to, limit: 3 };
      assert.deepEqual(store.history.targets(q), full.history.targets(q), `${what}: TARGETS ${JSON.stringify(q)}`);
    }
  }
  // count() is one statement, one snapshot: parts never overlap there (the overlap test skips it).
  for (const t of counts ? TARGETS : []) {
    const key = t.type === 'channel' ? t.name.toLowerCase() : undefined;
    if (key) assert.equal(store.messages.count(key), full.messages.count(key));
  }
}

function tailLength(store: Store): number {
  const db = new DatabaseSync(store.path, { readOnly: true });
  try {
    return Number((db.prepare('SELECT (SELECT coalesce(max(id), 0) FROM messages) - (SELECT up_to FROM history_indexed) AS n').get() as { n: number }).n);
  } finally {
    db.close();
  }
}

for (const writerThread of [true, false]) {
  describe(`storage: CHATHISTORY over history_index plus the newest messages (${writerThread ? 'writer thread' : 'calling thread'})`, () => {
    it('gives exactly the pages of a fully indexed copy, at every point of the fill, across a restart', async () => {
      const t = tempDir();
      let store = openStore(t.path, { ...FAST, writerThread });
      const r = prng(writerThread ? 7 : 8);
      const clock = { t: T0 };
      const stored: StoredMessage[] = [];
      try {
        for (const [i, count] of [100, INDEX_EVERY, 300, INDEX_EVERY + 50].entries()) {
          stored.push(...(await fill(store, r, count, clock)));
          const tail = tailLength(store);
          assert.ok(tail < INDEX_EVERY + 40, `the tail stays short: ${tail}`);
          const copy = tempDir();
          const full = fullyIndexedCopy(store, copy.path);
          try {
            assertSamePages(store, full, stored, r, `after fill ${i} (tail ${tail})`);
          } finally {
            full.close();
            copy.remove();
          }
          if (i === 1) {
            store.close();
            store = openStore(t.path, { ...FAST, writerThread });
          }
        }
      } finally {
        store.close();
        t.remove();
      }
    });
  });
}

describe('storage: history_index edge cases', () => {
  it('returns each message once when it is both in the index and after up_to (a move seen half-way)', async () => {
    const t = tempDir();
    const store = openStore(t.path, FAST);
    const copy = tempDir();
    try {
      const stored = await fill(store, prng(3), 200, { t: T0 });
      const full = fullyIndexedCopy(store, copy.path);
      full.close();
      // Index everything but leave up_to behind: every recent row is in both parts.
      const db = new DatabaseSync(join(copy.path, DB_FILE_NAME));
      db.exec('UPDATE history_indexed SET up_to = 50');
      db.close();
      const both = openStore(copy.path, { ...FAST, writerThread: false });
      const clean = tempDir();
      const reference = fullyIndexedCopy(both, clean.path);
      try {
        assertSamePages(both, reference, stored, prng(4), 'overlapping parts', false);
      } finally {
        both.close();
        reference.close();
        clean.remove();
      }
    } finally {
      store.close();
      copy.remove();
      t.remove();
    }
  });

  it('still stores and reads history when history_indexed lost its row (a damaged file)', async () => {
    const t = tempDir();
    try {
      let store = openStore(t.path, FAST);
      const stored = await fill(store, prng(5), 100, { t: T0 });
      store.close();
      const db = new DatabaseSync(join(t.path, DB_FILE_NAME));
      db.exec('DELETE FROM history_indexed');
      db.close();
      store = openStore(t.path, FAST);
      try {
        stored.push(...(await fill(store, prng(6), INDEX_EVERY + 10, { t: T0 + 100_000 })));
        for (const target of new Set(stored.map((m) => m.target))) {
          const newest = stored.filter((m) => m.target === target).sort((a, b) => b.time - a.time || b.id - a.id)[0]!;
          const latest = store.history.query(target, { kind: 'LATEST', limit: 1 });
          assert.ok(latest.ok);
          assert.equal(latest.messages[0]!.msgid, newest.msgid, target);
        }
        assert.equal(store.integrityCheck(), 'ok');
      } finally {
        store.close();
      }
    } finally {
      t.remove();
    }
  });

  it('migrates a schema-2 database: its messages are indexed and its history reads the same', () => {
    const t = tempDir();
    try {
      const path = join(t.path, DB_FILE_NAME);
      const db = new DatabaseSync(path);
      db.exec('PRAGMA journal_mode = WAL');
      for (const m of MIGRATIONS.slice(0, 2)) m(db);
      db.exec(`PRAGMA user_version = 2; PRAGMA application_id = ${APPLICATION_ID}`);
      const insert = db.prepare(
        "INSERT INTO messages (msgid, target, target_type, target_display, kind, source, sender_nick, sender_account, time, text) VALUES (?, ?, 'channel', '#Old', 'PRIVMSG', 'a!a@h', 'a', NULL, ?, ?)",
      );
      for (let i = 0; i < 30; i++) insert.run(`old-random-id-${i}`, '#old', T0 + i, `old ${i}`);
      db.close();

      const store = openStore(t.path, { ...FAST, writerThread: false });
      try {
        assert.equal(store.schemaVersion, MIGRATIONS.length);
        const latest = store.history.query('#old', { kind: 'LATEST', limit: 5 });
        assert.ok(latest.ok);
        assert.deepEqual(latest.messages.map((m) => m.text), ['old 25', 'old 26', 'old 27', 'old 28', 'old 29']);
        const before = store.history.query('#old', { kind: 'BEFORE', point: { msgid: 'old-random-id-10' }, limit: 2 });
        assert.ok(before.ok);
        assert.deepEqual(before.messages.map((m) => m.text), ['old 8', 'old 9'], 'old msgids still work as reference points');
        assert.equal(store.messages.count('#old'), 30);
        assert.equal(store.integrityCheck(), 'ok');
        const check = new DatabaseSync(path, { readOnly: true });
        const indexes = (check.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'messages'").all() as { name: string }[]).map((x) => x.name);
        const upTo = (check.prepare('SELECT up_to FROM history_indexed').get() as { up_to: number }).up_to;
        check.close();
        assert.ok(!indexes.includes('messages_by_target_time'), 'the per-INSERT index is gone');
        assert.equal(upTo, 30);
      } finally {
        store.close();
      }
    } finally {
      t.remove();
    }
  });
});
