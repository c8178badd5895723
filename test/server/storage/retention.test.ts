// History retention in storage, on real SQLite files: the oldest messages are deleted in batches
// (by the writer thread, and on the main connection without one), with their index rows,
// offline-DM entries and emptied conversations; keepSince hides old messages before they are gone.
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { dmKey, openStore } from '../../../src/server/storage/index.ts';
import type { NewMessage, Store } from '../../../src/server/storage/index.ts';
import { tempDir } from '../../helpers/tmp.ts';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.now();

function msg(target: NewMessage['target'], text: string, time: number, queueFor?: string): NewMessage {
  const m: NewMessage = { target, kind: 'PRIVMSG', source: 'alice!a@h', senderNick: 'alice', senderAccount: 'alice', text, time };
  if (queueFor !== undefined) m.queueFor = queueFor;
  return m;
}

function rows(path: string, sql: string): unknown[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

const room = { type: 'channel', name: '#room' } as const;
const dm = { type: 'dm', from: 'alice', to: 'bob' } as const;

/** 450 old room messages (more than two batches), an old DM queued for bob, then recent ones. */
async function fill(store: Store): Promise<void> {
  for (let i = 0; i < 450; i++) store.messages.appendSync(msg(room, `old ${i}`, NOW - 10 * DAY + i));
  store.messages.appendSync(msg(dm, 'old dm', NOW - 9 * DAY, 'bob'));
  store.messages.appendSync(msg(room, 'recent', NOW - DAY / 2));
  store.messages.appendSync(msg({ type: 'dm', from: 'alice', to: 'carol' }, 'recent dm', NOW - DAY / 2));
}

for (const writerThread of [true, false]) {
  describe(`storage: history retention (${writerThread ? 'writer thread' : 'main connection'})`, () => {
    it('deletes the oldest messages in batches, with their index rows, queue entries and conversations', async () => {
      const t = tempDir();
      const store = openStore(t.path, { writerThread });
      try {
        await fill(store);
        const before = NOW - 5 * DAY;
        const passes: number[] = [];
        let after = 0;
        for (;;) {
          const r = await store.messages.prune(before, 200, after);
          passes.push(r.deleted);
          after = r.last;
          if (!r.more) {
            assert.equal(r.conversations, 2, 'the alice/bob conversation (a row per party) had only old messages');
            break;
          }
        }
        assert.deepEqual(passes, [200, 200, 51]);
        assert.equal(store.messages.count(), 2);
        assert.deepEqual(
          rows(store.path, 'SELECT text FROM messages ORDER BY id').map((r) => (r as { text: string }).text),
          ['recent', 'recent dm'],
        );
        assert.deepEqual(rows(store.path, 'SELECT * FROM history_index WHERE time < ' + before), [], 'no index row points at a deleted message');
        assert.equal(store.offline.count('bob'), 0, 'a queued DM that was deleted is not delivered');
        assert.deepEqual(
          rows(store.path, 'SELECT party, peer FROM dm_conversations ORDER BY party').map((r) => Object.values(r as object).join('>')),
          ['alice>carol', 'carol>alice'],
        );
        const again = await store.messages.prune(before, 200);
        assert.deepEqual({ ...again, last: 0 }, { deleted: 0, more: false, last: 0, conversations: 0 });
        // New messages still store and serve normally after a pass.
        await store.messages.enqueue(msg(dm, 'after', NOW));
        assert.deepEqual(
          (store.history.query(dmKey('alice', 'bob'), { kind: 'LATEST', limit: 10 }) as { messages: { text: string }[] }).messages.map((m) => m.text),
          ['after'],
        );
      } finally {
        store.close();
        t.remove();
      }
    });
  });
}

describe('storage: history retention and a clock that was wrong', () => {
  it('is not stopped by a message stamped in the future before the old ones', async () => {
    const t = tempDir();
    const store = openStore(t.path);
    try {
      store.messages.appendSync(msg(room, 'from a clock set a year ahead', NOW + 365 * DAY));
      for (let i = 0; i < 300; i++) store.messages.appendSync(msg(room, `old ${i}`, NOW - 10 * DAY + i));
      store.messages.appendSync(msg(room, 'recent', NOW));
      let after = 0;
      let deleted = 0;
      for (;;) {
        const r = await store.messages.prune(NOW - DAY, 100, after);
        deleted += r.deleted;
        after = r.last;
        if (!r.more) break;
      }
      assert.equal(deleted, 300);
      assert.equal(store.messages.count(), 2);
    } finally {
      store.close();
      t.remove();
    }
  });
});

describe('storage: keepSince', () => {
  it('hides messages older than the retention from every query, deleted or not', async () => {
    const t = tempDir();
    const store = openStore(t.path);
    try {
      await fill(store);
      const texts = (r: ReturnType<Store['history']['query']>) => (r.ok ? r.messages.map((m) => m.text) : ['(failed)']);
      assert.equal(texts(store.history.query('#room', { kind: 'LATEST', limit: 2 }))[0], 'old 449', 'without retention: served');
      store.history.keepSince = () => NOW - 5 * DAY;
      assert.deepEqual(texts(store.history.query('#room', { kind: 'LATEST', limit: 100 })), ['recent']);
      assert.deepEqual(texts(store.history.query('#room', { kind: 'AFTER', point: { time: 0 }, limit: 5 })), ['recent'], 'a page from long ago starts at the retention');
      assert.deepEqual(texts(store.history.query('#room', { kind: 'BEFORE', point: { time: NOW }, limit: 5 })), ['recent']);
      assert.deepEqual(texts(store.history.query('#room', { kind: 'BETWEEN', start: { time: 0 }, end: { time: NOW }, limit: 5 })), ['recent']);
      assert.deepEqual(texts(store.history.query(dmKey('alice', 'bob'), { kind: 'LATEST', limit: 5 })), []);
      const targets = store.history.targets({ party: 'alice', channels: ['#room'], from: 0, to: NOW + 1, limit: 10 });
      assert.deepEqual(targets.map((x) => x.name).sort(), ['#room', 'carol'], 'TARGETS lists no conversation whose messages are all too old');
    } finally {
      store.close();
      t.remove();
    }
  });
});
