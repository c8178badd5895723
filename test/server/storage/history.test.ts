// CHATHISTORY queries over real SQLite files, and proof (EXPLAIN QUERY PLAN) that pages use the
// index on a table with many rows.
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { HISTORY_SQL } from '../../../src/server/storage/history.ts';
import { dmKey, formatServerTime, openStore, parseHistoryPoint } from '../../../src/server/storage/index.ts';
import type { HistoryResult, NewMessage, StoredMessage, Store } from '../../../src/server/storage/index.ts';
import { tempDir } from '../../helpers/tmp.ts';

const FAST = { scrypt: { N: 1024, r: 8, p: 1 } };

function msg(target: NewMessage['target'], text: string, time: number): NewMessage {
  return { target, kind: 'PRIVMSG', source: 'alice!a@h', senderNick: 'alice', senderAccount: 'alice', text, time };
}

function texts(r: HistoryResult): string[] {
  assert.ok(r.ok, `query failed: ${JSON.stringify(r)}`);
  return r.messages.map((m) => m.text);
}

describe('storage: CHATHISTORY queries', () => {
  let t: ReturnType<typeof tempDir>;
  let store: Store;
  /** m[i] has text `m${i}`, time 1000 + 10*i; m5 and m6 share a millisecond to test the id tie-break. */
  let m: StoredMessage[];
  const room = { type: 'channel', name: '#Room' } as const;

  before(async () => {
    t = tempDir();
    store = openStore(t.path, FAST);
    m = [];
    for (let i = 0; i < 20; i++) {
      const time = i === 6 ? 1050 : 1000 + 10 * i;
      m.push(await store.messages.enqueue(msg(room, `m${i}`, time)));
      // noise in other targets, interleaved
      await store.messages.enqueue(msg({ type: 'channel', name: '#other' }, `o${i}`, time));
      await store.messages.enqueue(msg({ type: 'dm', from: 'alice', to: 'bob' }, `d${i}`, time));
    }
  });
  after(() => {
    store.close();
    t.remove();
  });

  const at = (i: number) => ({ msgid: m[i]!.msgid });
  const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, k) => `m${a + k}`);

  it('LATEST: the newest N, oldest first; with a point only those after it', () => {
    assert.deepEqual(texts(store.history.query('#room', { kind: 'LATEST', limit: 3 })), ['m17', 'm18', 'm19']);
    assert.deepEqual(texts(store.history.query('#ROOM', { kind: 'LATEST', limit: 100 })), range(0, 19));
    assert.deepEqual(texts(store.history.query('#room', { kind: 'LATEST', after: at(16), limit: 10 })), ['m17', 'm18', 'm19']);
    assert.deepEqual(texts(store.history.query('#room', { kind: 'LATEST', after: at(10), limit: 2 })), ['m18', 'm19'], 'newest ones within the limit');
    assert.deepEqual(texts(store.history.query('#room', { kind: 'LATEST', after: { time: 1170 }, limit: 10 })), ['m18', 'm19']);
    assert.deepEqual(texts(store.history.query('#room', { kind: 'LATEST', limit: 0 })), []);
  });

  it('BEFORE / AFTER by msgid and by timestamp, exclusive of the point', () => {
    assert.deepEqual(texts(store.history.query('#room', { kind: 'BEFORE', point: at(10), limit: 3 })), ['m7', 'm8', 'm9']);
    assert.deepEqual(texts(store.history.query('#room', { kind: 'BEFORE', point: at(2), limit: 10 })), ['m0', 'm1']);
    assert.deepEqual(texts(store.history.query('#room', { kind: 'BEFORE', point: { time: 1030 }, limit: 10 })), ['m0', 'm1', 'm2']);
    assert.deepEqual(texts(store.history.query('#room', { kind: 'AFTER', point: at(10), limit: 3 })), ['m11', 'm12', 'm13']);
    assert.deepEqual(texts(store.history.query('#room', { kind: 'AFTER', point: { time: 1170 }, limit: 10 })), ['m18', 'm19']);
    assert.deepEqual(texts(store.history.query('#room', { kind: 'AFTER', point: at(19), limit: 10 })), []);
  });

  it('orders messages of the same millisecond by insertion (m5 and m6 share a time)', () => {
    assert.equal(m[5]!.time, m[6]!.time);
    assert.deepEqual(texts(store.history.query('#room', { kind: 'AFTER', point: at(5), limit: 2 })), ['m6', 'm7']);
    assert.deepEqual(texts(store.history.query('#room', { kind: 'BEFORE', point: at(6), limit: 2 })), ['m4', 'm5']);
    // a timestamp excludes every message at that exact time
    assert.deepEqual(texts(store.history.query('#room', { kind: 'AFTER', point: { time: 1050 }, limit: 1 })), ['m7']);
    assert.deepEqual(texts(store.history.query('#room', { kind: 'BEFORE', point: { time: 1050 }, limit: 1 })), ['m4']);
  });

  it('AROUND: about half each side, a msgid point included', () => {
    assert.deepEqual(texts(store.history.query('#room', { kind: 'AROUND', point: at(10), limit: 5 })), ['m8', 'm9', 'm10', 'm11', 'm12']);
    assert.deepEqual(texts(store.history.query('#room', { kind: 'AROUND', point: at(1), limit: 6 })), ['m0', 'm1', 'm2', 'm3', 'm4', 'm5'], 'few older: filled with newer');
    assert.deepEqual(texts(store.history.query('#room', { kind: 'AROUND', point: { time: 1100 }, limit: 4 })), ['m8', 'm9', 'm10', 'm11']);
  });

  it('BETWEEN: exclusive, limit counted from the start, either direction', () => {
    assert.deepEqual(texts(store.history.query('#room', { kind: 'BETWEEN', start: at(3), end: at(9), limit: 100 })), range(4, 8));
    assert.deepEqual(texts(store.history.query('#room', { kind: 'BETWEEN', start: at(3), end: at(9), limit: 2 })), ['m4', 'm5']);
    assert.deepEqual(texts(store.history.query('#room', { kind: 'BETWEEN', start: at(9), end: at(3), limit: 2 })), ['m7', 'm8'], 'backwards from start');
    assert.deepEqual(texts(store.history.query('#room', { kind: 'BETWEEN', start: { time: 1000 }, end: { time: 1040 }, limit: 10 })), ['m1', 'm2', 'm3']);
    assert.deepEqual(texts(store.history.query('#room', { kind: 'BETWEEN', start: { time: 1040 }, end: { time: 1000 }, limit: 2 })), ['m2', 'm3']);
    assert.deepEqual(texts(store.history.query('#room', { kind: 'BETWEEN', start: at(2), end: { time: 1060 }, limit: 10 })), ['m3', 'm4', 'm5', 'm6']);
    assert.deepEqual(texts(store.history.query('#room', { kind: 'BETWEEN', start: { time: 1050 }, end: { time: 1050 }, limit: 10 })), []);
  });

  it('keeps targets apart and reports an unknown (or foreign) msgid', () => {
    assert.deepEqual(texts(store.history.query(dmKey('Bob', 'Alice'), { kind: 'LATEST', limit: 2 })), ['d18', 'd19']);
    const foreign = store.history.query('#other', { kind: 'BEFORE', point: at(5), limit: 10 });
    assert.deepEqual(foreign, { ok: false, error: 'unknown-msgid' }, "a msgid from another target is not a point in this one");
    assert.deepEqual(store.history.query('#room', { kind: 'AFTER', point: { msgid: 'nope' }, limit: 1 }), { ok: false, error: 'unknown-msgid' });
    assert.deepEqual(texts(store.history.query('#empty', { kind: 'LATEST', limit: 10 })), []);
  });

  it('TARGETS: DM conversations of a party and given channels with messages in the window', async () => {
    await store.messages.enqueue(msg({ type: 'dm', from: 'carol', to: 'Alice' }, 'hi alice', 5000));
    await store.messages.enqueue(msg({ type: 'dm', from: 'dave', to: 'erin' }, 'not alice', 6000));
    const all = store.history.targets({ party: 'ALICE', channels: ['#Room', '#nothing'], from: 0, to: 10_000, limit: 10 });
    assert.deepEqual(all.map((x) => [x.name, x.type, x.lastTime]), [['#Room', 'channel', 1190], ['bob', 'dm', 1190], ['carol', 'dm', 5000]]);
    assert.equal(all[1]!.target, 'alice bob');
    const window = store.history.targets({ party: 'alice', channels: ['#room'], from: 1000, to: 1100, limit: 10 });
    assert.deepEqual(window.map((x) => [x.name, x.lastTime]), [['#room', 1090], ['bob', 1090]], 'latest time inside the window');
    const newest = store.history.targets({ party: 'alice', channels: ['#Room'], from: 10_000, to: 0, limit: 1 });
    assert.deepEqual(newest.map((x) => x.name), ['carol'], 'from > to: limit counts from the newest');
    assert.deepEqual(store.history.targets({ party: 'bob', channels: [], from: 0, to: 10_000, limit: 10 }).map((x) => x.name), ['alice']);
    assert.deepEqual(store.history.targets({ party: 'nobody', channels: [], from: 0, to: 10_000, limit: 10 }), []);
  });

  it('parses and formats CHATHISTORY reference points', () => {
    assert.equal(parseHistoryPoint('*'), null);
    assert.deepEqual(parseHistoryPoint('msgid=abc'), { msgid: 'abc' });
    assert.deepEqual(parseHistoryPoint('timestamp=2019-01-04T14:33:26.123Z'), { time: Date.UTC(2019, 0, 4, 14, 33, 26, 123) });
    for (const bad of ['msgid=', 'timestamp=yesterday', 'timestamp=2019-01-04', 'time=1', '', 'timestamp=2019-13-45T99:99:99Z']) {
      assert.equal(parseHistoryPoint(bad), 'invalid', bad);
    }
    assert.equal(formatServerTime(Date.UTC(2019, 0, 4, 14, 33, 26, 123)), '2019-01-04T14:33:26.123Z');
  });
});

describe('storage: history queries use the index (EXPLAIN QUERY PLAN)', () => {
  let t: ReturnType<typeof tempDir>;
  let store: Store;

  before(async () => {
    t = tempDir();
    store = openStore(t.path, FAST);
    // 60,000 messages over 30 rooms and DMs, written through the real group-commit path.
    const batch: Promise<unknown>[] = [];
    for (let i = 0; i < 60_000; i++) {
      const target: NewMessage['target'] = i % 3 === 0 ? { type: 'dm', from: `u${i % 7}`, to: `u${(i + 1) % 7}` } : { type: 'channel', name: `#room${i % 30}` };
      batch.push(store.messages.enqueue(msg(target, `message ${i}`, 1_700_000_000_000 + i)));
    }
    await Promise.all(batch);
    const db = new DatabaseSync(store.path);
    db.exec('ANALYZE'); // the planner must pick the index with real statistics too
    db.close();
  });
  after(() => {
    store.close();
    t.remove();
  });

  function plan(sql: string, ...params: (string | number)[]): string {
    const db = new DatabaseSync(store.path, { readOnly: true });
    try {
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');
    } finally {
      db.close();
    }
  }

  it('pages by (target, time, id) in both directions without scanning or sorting', () => {
    const K = Number.MAX_SAFE_INTEGER;
    const latest = plan(HISTORY_SQL.before, '#room1', -K, 0, K, K, 100); // LATEST: the widest bounds
    assert.match(latest, /SEARCH h USING PRIMARY KEY \(target=\? AND/, latest);
    assert.match(latest, /SEARCH m USING INTEGER PRIMARY KEY \(rowid=\?\)/, latest);
    assert.doesNotMatch(latest, /SCAN |USE TEMP B-TREE/, latest);
    // Bounded pages: the (time, id) bounds must be part of the index search, not a filter after it.
    const cases: [string, (string | number)[]][] = [
      [HISTORY_SQL.before, ['#room1', 0, 0, 1_700_000_030_000, 5, 100]],
      [HISTORY_SQL.after, ['#room1', 1_700_000_030_000, 5, K, 0, 100]],
      [HISTORY_SQL.beforeKeys, ['#room1', 0, 0, 1_700_000_030_000, 5, 100]],
      [HISTORY_SQL.afterKeys, ['#room1', 1_700_000_030_000, 5, K, 0, 100]],
      [HISTORY_SQL.lastIn, ['#room1', 0, K]],
    ];
    for (const [sql, params] of cases) {
      const p = plan(sql, ...params);
      assert.match(p, /SEARCH (h|history_index) USING PRIMARY KEY \(target=\? AND/, `${sql}\n${p}`);
      assert.doesNotMatch(p, /SCAN (messages|history_index|h|m)\b/, p); // the key queries scan only their own subquery
      assert.doesNotMatch(p, /USE TEMP B-TREE/, `no sort step: the index order is the answer\n${p}`);
    }
    // The messages not indexed yet: a rowid range from history_indexed.up_to (at most ~INDEX_EVERY rows).
    for (const [sql, params] of [
      [HISTORY_SQL.tailKeys, [59_000, '#room1', 0, 0, K, K]],
      [HISTORY_SQL.tailLastIn, [59_000, '#room1', 0, K]],
    ] as [string, (string | number)[]][]) {
      const p = plan(sql, ...params);
      assert.match(p, /SEARCH messages USING INTEGER PRIMARY KEY \(rowid>\?\)/, `${sql}\n${p}`);
      assert.doesNotMatch(p, /SCAN messages/, p);
    }
    // Then the rows of the keys that made the page, by id.
    const byIds = plan(HISTORY_SQL.byIds, '[1, 2, 3]');
    assert.match(byIds, /SEARCH messages USING INTEGER PRIMARY KEY \(rowid=\?\)/, byIds);
    assert.doesNotMatch(byIds, /SCAN messages/, byIds);
  });

  it('looks up a msgid and lists DM conversations by index', () => {
    const point = plan(HISTORY_SQL.pointOf, 'x', '#room1');
    assert.match(point, /SEARCH messages USING INDEX sqlite_autoindex_messages_1 \(msgid=\?\)/, point);
    const convs = plan(HISTORY_SQL.conversations, 'u1', 0);
    assert.match(convs, /SEARCH dm_conversations USING (PRIMARY KEY|INDEX dm_conversations_by_time) \(party=\?/, convs);
  });

  it('returns the right page from the big table', () => {
    const latest = store.history.query('#room1', { kind: 'LATEST', limit: 100 });
    assert.ok(latest.ok);
    assert.equal(latest.messages.length, 100);
    const before = store.history.query('#room1', { kind: 'BEFORE', point: { msgid: latest.messages[0]!.msgid }, limit: 100 });
    assert.ok(before.ok);
    assert.equal(before.messages.length, 100);
    assert.ok(before.messages.at(-1)!.time < latest.messages[0]!.time);
    assert.ok(before.messages.every((x) => x.target === '#room1'));
    assert.equal(store.messages.count(), 60_000);
    assert.equal(store.integrityCheck(), 'ok');
  });
});
