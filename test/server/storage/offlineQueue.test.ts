// Storage for DMs kept for an offline account (migration 2, storage/offlineQueue.ts): queue, take
// once in order, survive a reopen, and use the primary key (EXPLAIN QUERY PLAN).
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { OFFLINE_SQL } from '../../../src/server/storage/offlineQueue.ts';
import { SCHEMA_VERSION, openStore } from '../../../src/server/storage/index.ts';
import type { NewMessage } from '../../../src/server/storage/index.ts';
import { tempDir } from '../../helpers/tmp.ts';

const dm = (text: string, to = 'Bob'): NewMessage => ({
  target: { type: 'dm', from: 'alice', to },
  kind: 'PRIVMSG',
  source: 'alice!a@h',
  senderNick: 'alice',
  senderAccount: 'alice',
  text,
});

describe('storage: offline DM queue', () => {
  it('queues per account, hands each message out once, oldest first, across a reopen', async () => {
    const t = tempDir();
    try {
      let store = openStore(t.path);
      assert.equal(store.schemaVersion, SCHEMA_VERSION);
      const a = await store.messages.enqueue(dm('one'));
      const b = await store.messages.enqueue(dm('two'));
      const c = await store.messages.enqueue(dm('other', 'carol'));
      assert.equal(store.offline.add('bob', a.msgid), true);
      assert.equal(store.offline.add('BOB', a.msgid), false, 'once per account, any case');
      assert.equal(store.offline.add('bob', b.msgid), true);
      assert.equal(store.offline.add('carol', c.msgid), true);
      assert.equal(store.offline.add('bob', 'no-such-msgid'), false);
      store.close();
      store = openStore(t.path);
      assert.equal(store.offline.count('bob'), 2);
      assert.deepEqual(store.offline.take('Bob', 1).map((m) => m.text), ['one']);
      assert.deepEqual(store.offline.take('bob', 10).map((m) => m.text), ['two']);
      assert.deepEqual(store.offline.take('bob', 10), []);
      assert.equal(store.offline.count('carol'), 1, "another account's queue is untouched");
      store.close();
    } finally {
      t.remove();
    }
  });

  it('reads and deletes through the primary key', () => {
    const t = tempDir();
    try {
      openStore(t.path).close();
      const db = new DatabaseSync(`${t.path}/chatroom.sqlite`);
      const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('bob', 5) as { detail: string }[]).map((r) => r.detail).join(' | ');
      const peek = plan(OFFLINE_SQL.peek);
      assert.match(peek, /SEARCH o USING PRIMARY KEY \(account=\?\)/, peek);
      assert.match(peek, /SEARCH m USING INTEGER PRIMARY KEY/, peek);
      assert.doesNotMatch(peek, /SCAN/, peek);
      const del = (db.prepare(`EXPLAIN QUERY PLAN ${OFFLINE_SQL.remove}`).all('bob', 5) as { detail: string }[]).map((r) => r.detail).join(' | ');
      assert.match(del, /USING PRIMARY KEY \(account=\? AND message_id<\?\)/, del);
      db.close();
    } finally {
      t.remove();
    }
  });
});
