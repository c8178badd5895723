// Many stored messages (200k rows, written through the storage module's own writer in one group
// commit) and proof with EXPLAIN QUERY PLAN that every statement the CHATHISTORY handler and the
// offline replay run is an index search, never a table scan; plus that the pages are right.
// Figures are printed, not asserted (no timing assertions).
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { HISTORY_SQL } from '../../../src/server/storage/history.ts';
import { OFFLINE_SQL } from '../../../src/server/storage/offlineQueue.ts';
import { DB_FILE_NAME, openStore } from '../../../src/server/storage/index.ts';
import type { NewMessage, StoredMessage, Store } from '../../../src/server/storage/index.ts';
import { tempDir } from '../../helpers/tmp.ts';

const ROWS = 200_000;
const ROOMS = ['#big', '#small1', '#small2', '#small3'];

describe('history stays indexed with 200k stored messages', () => {
  let t: ReturnType<typeof tempDir>;
  let store: Store;
  let db: DatabaseSync;
  let probe: StoredMessage;

  before(async () => {
    t = tempDir('chatroom-bighistory-');
    store = openStore(t.path);
    const started = Date.now();
    const base = Date.UTC(2026, 0, 1);
    const pending: Promise<StoredMessage>[] = [];
    for (let i = 0; i < ROWS; i++) {
      // 85% in #big, the rest spread over small rooms and DMs.
      const r = i % 20;
      const target: NewMessage['target'] =
        r < 17 ? { type: 'channel', name: '#big' } : r < 19 ? { type: 'channel', name: ROOMS[1 + (i % 3)]! } : { type: 'dm', from: `u${i % 50}`, to: 'alice' };
      pending.push(
        store.messages.enqueue({ target, kind: 'PRIVMSG', source: 'bench!b@h', senderNick: 'bench', senderAccount: null, text: `message ${i}`, time: base + i * 10 }),
      );
    }
    store.messages.flush(); // one transaction for all of them
    const stored = await Promise.all(pending);
    probe = stored[ROWS / 2]!.target === '#big' ? stored[ROWS / 2]! : stored[ROWS / 2 + 1]!;
    store.offline.add('alice', stored[ROWS - 1]!.msgid);
    console.log(`# inserted ${ROWS} rows in ${Date.now() - started} ms (one group commit)`);
    db = new DatabaseSync(`${t.path}/${DB_FILE_NAME}`);
    db.exec('ANALYZE');
  });
  after(() => {
    db.close();
    store.close();
    t.remove();
  });

  function plan(sql: string, ...params: (string | number)[]): string {
    return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
  }

  it('every CHATHISTORY statement searches an index', () => {
    const K = Number.MAX_SAFE_INTEGER;
    const checks: Array<[string, string, RegExp]> = [
      ['latest', plan(HISTORY_SQL.before, '#big', -K, 0, K, K, 100), /SEARCH h USING PRIMARY KEY \(target=\? AND .* SEARCH m USING INTEGER PRIMARY KEY \(rowid=\?\)/],
      ['before', plan(HISTORY_SQL.before, '#big', 0, 0, K, K, 100), /SEARCH h USING PRIMARY KEY \(target=\? AND .* SEARCH m USING INTEGER PRIMARY KEY \(rowid=\?\)/],
      ['after', plan(HISTORY_SQL.after, '#big', 0, 0, K, K, 100), /SEARCH h USING PRIMARY KEY \(target=\? AND .* SEARCH m USING INTEGER PRIMARY KEY \(rowid=\?\)/],
      ['beforeKeys', plan(HISTORY_SQL.beforeKeys, '#big', 0, 0, K, K, 100), /SEARCH history_index USING PRIMARY KEY \(target=\? AND/],
      ['afterKeys', plan(HISTORY_SQL.afterKeys, '#big', 0, 0, K, K, 100), /SEARCH history_index USING PRIMARY KEY \(target=\? AND/],
      ['byIds', plan(HISTORY_SQL.byIds, '[1, 2, 3]'), /SEARCH messages USING INTEGER PRIMARY KEY \(rowid=\?\)/],
      ['pointOf', plan(HISTORY_SQL.pointOf, probe.msgid, '#big'), /SEARCH messages USING INDEX sqlite_autoindex_messages_1 \(msgid=\?\)/],
      ['lastIn', plan(HISTORY_SQL.lastIn, '#big', 0, K), /SEARCH history_index USING PRIMARY KEY \(target=\? AND/],
      ['conversations', plan(HISTORY_SQL.conversations, 'alice', 0), /SEARCH dm_conversations USING (PRIMARY KEY|INDEX dm_conversations_by_time) \(party=\?/],
      ['offline peek', plan(OFFLINE_SQL.peek, 'alice', 200), /SEARCH o USING PRIMARY KEY \(account=\?\)/],
    ];
    for (const [name, p, re] of checks) {
      console.log(`# ${name}: ${p}`);
      assert.match(p, re, `${name}: ${p}`);
      assert.doesNotMatch(p, /\bSCAN messages\b|USE TEMP B-TREE FOR ORDER BY/, `${name} must not scan or sort: ${p}`);
    }
    // The newest messages, not indexed yet (historyIndex.ts): a rowid range from up_to, at most
    // ~INDEX_EVERY rows.
    const upTo = ROWS - 100;
    for (const [name, p] of [
      ['tailKeys', plan(HISTORY_SQL.tailKeys, upTo, '#big', 0, 0, K, K)],
      ['tailLastIn', plan(HISTORY_SQL.tailLastIn, upTo, '#big', 0, K)],
    ]) {
      console.log(`# ${name}: ${p}`);
      assert.match(p!, /SEARCH messages USING INTEGER PRIMARY KEY \(rowid>\?\)/, `${name}: ${p}`);
      assert.doesNotMatch(p!, /\bSCAN messages\b/, `${name}: ${p}`);
    }
  });

  it('pages of 100 from the big room are right, wherever they are', () => {
    const t0 = process.hrtime.bigint();
    const latest = store.history.query('#big', { kind: 'LATEST', limit: 100 });
    const before = store.history.query('#big', { kind: 'BEFORE', point: { msgid: probe.msgid }, limit: 100 });
    const around = store.history.query('#big', { kind: 'AROUND', point: { msgid: probe.msgid }, limit: 100 });
    const targets = store.history.targets({ party: 'alice', channels: ROOMS, from: 0, to: Date.UTC(2100, 0, 1), limit: 100 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(`# 3 pages + TARGETS on ${ROWS} rows: ${ms.toFixed(2)} ms`);
    assert.ok(latest.ok && before.ok && around.ok);
    assert.equal(latest.messages.length, 100);
    assert.equal(before.messages.length, 100);
    assert.equal(before.messages.at(-1)!.time < probe.time, true);
    assert.ok(before.messages.every((m, i, a) => i === 0 || a[i - 1]!.time <= m.time), 'oldest first');
    assert.ok(around.messages.some((m) => m.msgid === probe.msgid));
    assert.equal(targets.filter((x) => x.type === 'channel').length, 4);
    assert.equal(targets.filter((x) => x.type === 'dm').length, 5, 'u9, u19, u29, u39, u49');
  });
});
