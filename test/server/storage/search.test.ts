// The search index (src/server/storage/search.ts, migration 4) on a real SQLite file, written
// through the writer thread: messages are found whether they are in the FTS index (filled in bulk
// when the history index moves) or in the tail after it, once each, newest first; words match
// whole, in any case, accents ignored; only the given targets from their `since`; redacted and
// pruned messages leave the index; FTS syntax in the words is taken literally.
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { INDEX_EVERY } from '../../../src/server/storage/historyIndex.ts';
import { openStore, type NewMessage, type Store, type StoredMessage } from '../../../src/server/storage/index.ts';
import { channelKey, dmKey } from '../../../src/server/storage/keys.ts';
import { tempDir } from '../../helpers/tmp.ts';

const FAST = { scrypt: { N: 1024, r: 8, p: 1 } };
const T0 = Date.UTC(2026, 0, 1);

function msg(target: NewMessage['target'], text: string, i: number, nick = 'alice'): NewMessage {
  return { target, kind: 'PRIVMSG', source: `${nick}!${nick}@h`, senderNick: nick, senderAccount: nick, text, time: T0 + i * 1000 };
}

async function fill(store: Store, count: number, text: (i: number) => string, target: NewMessage['target'] = { type: 'channel', name: '#a' }): Promise<StoredMessage[]> {
  const out: StoredMessage[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch: Promise<StoredMessage>[] = [];
    for (let j = i; j < Math.min(count, i + 50); j++) batch.push(store.messages.enqueue(msg(target, text(j), j)));
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

const indexedUpTo = (path: string) => {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return Number((db.prepare('SELECT up_to FROM history_indexed').get() as { up_to: number }).up_to);
  } finally {
    db.close();
  }
};

describe('search index', () => {
  it('finds messages in the index and in the tail, once each, newest first', async () => {
    const dir = tempDir();
    const store = openStore(dir.path, FAST);
    try {
      const sent = await fill(store, INDEX_EVERY + 100, (i) => (i % 10 === 0 ? `deploy number ${i}` : `chatter ${i}`));
      const upTo = indexedUpTo(store.path);
      assert.ok(upTo > 0 && upTo < sent[sent.length - 1]!.id, 'some indexed, some in the tail');
      const all = store.search.search({ targets: [{ key: channelKey('#a'), since: 0 }], text: 'deploy', limit: 1000 });
      const expected = sent.filter((m) => m.text.startsWith('deploy')).map((m) => m.msgid).reverse();
      assert.deepEqual(all.map((m) => m.msgid), expected);
      const few = store.search.search({ targets: [{ key: channelKey('#a'), since: 0 }], text: 'DEPLOY', limit: 3 });
      assert.deepEqual(few.map((m) => m.msgid), expected.slice(0, 3));
      // Bounds, sender, several words (all must appear), no partial words.
      const window = store.search.search({ targets: [{ key: channelKey('#a'), since: 0 }], text: 'deploy', after: T0 + 100_000, before: T0 + 200_000, limit: 100 });
      assert.deepEqual(window.map((m) => m.text), ['deploy number 190', 'deploy number 180', 'deploy number 170', 'deploy number 160', 'deploy number 150', 'deploy number 140', 'deploy number 130', 'deploy number 120', 'deploy number 110']);
      assert.deepEqual(store.search.search({ targets: [{ key: '#a', since: 0 }], text: 'deploy 40', limit: 10 }).map((m) => m.text), ['deploy number 40']);
      assert.equal(store.search.search({ targets: [{ key: '#a', since: 0 }], text: 'deplo', limit: 10 }).length, 0);
      assert.equal(store.search.search({ targets: [{ key: '#a', since: 0 }], text: 'deploy', from: 'ALICE', limit: 1000 }).length, expected.length);
      assert.equal(store.search.search({ targets: [{ key: '#a', since: 0 }], text: 'deploy', from: 'bob', limit: 1000 }).length, 0);
      // since: only from that time on.
      const since = store.search.search({ targets: [{ key: '#a', since: T0 + 500_000 }], text: 'deploy', limit: 1000 });
      assert.ok(since.length > 0 && since.every((m) => m.time >= T0 + 500_000));
    } finally {
      store.close();
      dir.remove();
    }
  });

  it('searches only the given targets', async () => {
    const dir = tempDir();
    const store = openStore(dir.path, FAST);
    try {
      await store.messages.enqueue(msg({ type: 'channel', name: '#secret' }, 'launch codes', 1));
      await store.messages.enqueue(msg({ type: 'dm', from: 'bob', to: 'carol' }, 'launch party', 2, 'bob'));
      await store.messages.enqueue(msg({ type: 'dm', from: 'alice', to: 'bob' }, 'launch time?', 3));
      await fill(store, INDEX_EVERY + 10, () => 'filler');
      const mine = [{ key: dmKey('alice', 'bob'), since: 0 }, { key: channelKey('#a'), since: 0 }];
      assert.deepEqual(store.search.search({ targets: mine, text: 'launch', limit: 10 }).map((m) => m.text), ['launch time?']);
    } finally {
      store.close();
      dir.remove();
    }
  });

  it('forgets redacted and pruned messages, and ignores FTS5 syntax in the words', async () => {
    const dir = tempDir();
    const store = openStore(dir.path, FAST);
    try {
      const sent = await fill(store, INDEX_EVERY + 60, (i) => `word${i % 3} NEAR secret ${i}`);
      const t = [{ key: '#a', since: 0 }];
      const indexed = sent[0]!;
      const tail = sent[sent.length - 1]!;
      assert.ok(indexed.id <= indexedUpTo(store.path) && tail.id > indexedUpTo(store.path));
      for (const m of [indexed, tail]) {
        assert.ok(store.search.search({ targets: t, text: `secret ${m.id === indexed.id ? 0 : sent.length - 1}`, limit: 5 }).some((x) => x.msgid === m.msgid));
        store.annotations.redact({ messageId: m.id, msgid: `r${m.id}`, source: 'alice!a@h', senderAccount: 'alice', reason: null, time: Date.now() });
        assert.ok(!store.search.search({ targets: t, text: 'secret', limit: 1000 }).some((x) => x.msgid === m.msgid));
      }
      // Later index moves do not bring the redacted tail message back.
      await fill(store, INDEX_EVERY + 10, () => 'more filler');
      assert.ok(!store.search.search({ targets: t, text: 'secret', limit: 1000 }).some((x) => x.msgid === tail.msgid));
      assert.equal(store.search.search({ targets: t, text: 'NEAR(secret', limit: 1000 }).length, sent.length - 2, '"near" is a word here');
      assert.equal(store.search.search({ targets: t, text: '"secret" OR word0*', limit: 1000 }).length, 0, 'all words must appear; "or" is a word');
      // Retention deletes messages: the index loses them too.
      const r = await store.messages.prune(T0 + 100_000, 1000);
      assert.ok(r.deleted > 0);
      assert.ok(store.search.search({ targets: t, text: 'secret', limit: 1000 }).every((m) => m.time >= T0 + 100_000));
      const db = new DatabaseSync(store.path, { readOnly: true });
      try {
        const n = Number((db.prepare("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'secret'").get() as { n: number }).n);
        assert.equal(n, store.search.search({ targets: t, text: 'secret', limit: 1000 }).filter((m) => m.id <= indexedUpTo(store.path)).length, 'no stale entries');
      } finally {
        db.close();
      }
    } finally {
      store.close();
      dir.remove();
    }
  });
});
