// Message commits in the writer thread (src/server/storage/writer.ts): batches keep queue order,
// messages arriving during a commit form the next batch, the synchronous calls (flush, appendSync,
// close) wait for the batch in flight, and the same store works without the thread.
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { openStore } from '../../../src/server/storage/index.ts';
import { MessageWriter } from '../../../src/server/storage/writer.ts';
import type { NewMessage, StoredMessage } from '../../../src/server/storage/types.ts';
import { tempDir } from '../../helpers/tmp.ts';

const FAST = { scrypt: { N: 1024, r: 8, p: 1 } };
const msg = (text: string): NewMessage => ({ target: { type: 'channel', name: '#w' }, kind: 'PRIVMSG', source: 'a!a@h', senderNick: 'a', senderAccount: null, text });
const turn = () => new Promise((r) => setImmediate(r));

function committedTexts(path: string): string[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return (db.prepare('SELECT text FROM messages ORDER BY id').all() as { text: string }[]).map((r) => r.text);
  } finally {
    db.close();
  }
}

for (const writerThread of [true, false]) {
  describe(`storage: message commits ${writerThread ? 'in the writer thread' : 'on the calling thread'}`, () => {
    it('commits batches in queue order; messages sent during a commit join the next batch', async () => {
      const t = tempDir();
      const store = openStore(t.path, { ...FAST, writerThread });
      try {
        const all: Promise<StoredMessage>[] = [];
        for (let round = 0; round < 5; round++) {
          for (let i = 0; i < 20; i++) all.push(store.messages.enqueue(msg(`r${round} m${i}`)));
          await turn(); // the first batch is committing while the next ones arrive
        }
        const stored = await Promise.all(all);
        assert.equal(store.messages.pending(), 0);
        for (let i = 1; i < stored.length; i++) assert.ok(stored[i]!.id > stored[i - 1]!.id, 'ids follow queue order');
        assert.deepEqual(committedTexts(store.path), stored.map((m) => m.text));
      } finally {
        store.close();
        t.remove();
      }
    });

    it('flush() and appendSync() while a batch is in flight keep the order of COMMITs', async () => {
      const t = tempDir();
      const store = openStore(t.path, { ...FAST, writerThread });
      try {
        const first = store.messages.enqueue(msg('first'));
        await turn(); // dispatched
        const second = store.messages.enqueue(msg('second'));
        store.messages.flush();
        const third = store.messages.appendSync(msg('third'));
        assert.deepEqual(committedTexts(store.path), ['first', 'second', 'third'], 'all committed when flush/appendSync return');
        const [a, b] = await Promise.all([first, second]);
        assert.ok(a.id < b.id && b.id < third.id);
        const last = store.messages.enqueue(msg('last'));
        store.close(); // commits what is queued
        assert.equal((await last).text, 'last');
        assert.deepEqual(committedTexts(store.path), ['first', 'second', 'third', 'last']);
      } finally {
        store.close();
        t.remove();
      }
    });
  });
}

describe('storage: a writer thread that cannot open the database', () => {
  it('reports the failure (the store then commits on its own thread)', async () => {
    const failed = await new Promise<string>((resolve) => {
      const w = new MessageWriter('/nonexistent-folder/chatroom.sqlite', 100, { insert: 'SELECT 1', conv: 'SELECT 1', queueOffline: 'SELECT 1', upTo: 'SELECT 1', fill: 'SELECT 1', mark: 'SELECT 1', pruneScan: 'SELECT 1', pruneIndex: 'SELECT 1', pruneMessage: 'SELECT 1', pruneConversations: 'SELECT 1' }, 512, {
        done: () => resolve('done?'),
        failed: resolve,
      });
      w.send([], 0);
      w.waitIdle(); // returns once the worker gave up, not after the give-up delay
    });
    assert.match(failed, /could not open the database|writer stopped/);
  });
});
