// Storage against real SQLite files in temp folders.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { SqliteAccountStore, scrypt, type Kdf } from '../../../src/server/storage/accounts.ts';
import { APPLICATION_ID } from '../../../src/server/storage/open.ts';
import { DB_FILE_NAME, SCHEMA_VERSION, StoreOpenError, dmKey, openStore } from '../../../src/server/storage/index.ts';
import type { NewMessage, Store } from '../../../src/server/storage/index.ts';
import { tempDir } from '../../helpers/tmp.ts';

// Cheap scrypt for speed; the real default (N=2^14) is exercised in one test below.
const FAST = { scrypt: { N: 1024, r: 8, p: 1 } };

function chanMsg(text: string, extra: Partial<NewMessage> = {}): NewMessage {
  return { target: { type: 'channel', name: '#Room' }, kind: 'PRIVMSG', source: 'alice!alice@127.0.0.1', senderNick: 'alice', senderAccount: 'alice', text, ...extra };
}

/** A second, independent connection: it sees only COMMITTED data. */
function peek<T>(store: Store, sql: string, ...params: (string | number)[]): T {
  const db = new DatabaseSync(store.path, { readOnly: true });
  try {
    return db.prepare(sql).get(...params) as T;
  } finally {
    db.close();
  }
}

describe('storage: opening and migrations', () => {
  it('creates the folder and a fresh database at the latest schema, in WAL mode with synchronous=FULL', () => {
    const t = tempDir();
    try {
      const dir = join(t.path, 'nested', 'data');
      const store = openStore(dir, FAST);
      assert.ok(existsSync(join(dir, DB_FILE_NAME)));
      assert.equal(store.schemaVersion, SCHEMA_VERSION);
      assert.equal(store.integrityCheck(), 'ok');
      const db = new DatabaseSync(store.path, { readOnly: true });
      assert.equal((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal');
      assert.equal((db.prepare('PRAGMA application_id').get() as { application_id: number }).application_id, APPLICATION_ID);
      const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
      for (const table of ['accounts', 'channel_bans', 'channel_roles', 'channels', 'dm_conversations', 'messages', 'read_markers']) {
        assert.ok(tables.includes(table), `table ${table} exists (have: ${tables.join(', ')})`);
      }
      db.close();
      store.close();
      store.close(); // idempotent
    } finally {
      t.remove();
    }
  });

  it('keeps everything across a reopen and does not re-run migrations', async () => {
    const t = tempDir();
    try {
      let store = openStore(t.path, FAST);
      assert.equal((await store.accounts.createAccount('Alice', 'pw1')).ok, true);
      store.channels.saveChannel({ name: '#Room', founder: 'alice', topic: 'hello', topicSetBy: 'Alice', topicTime: 5, modes: 'nt', key: null, limit: null });
      store.channels.setRole('#room', 'ALICE', 'op');
      store.channels.addBan('#room', { mask: '*!*@bad', setBy: 'Alice', time: 7 });
      const m = await store.messages.enqueue(chanMsg('persist me'));
      store.readMarkers.set('alice', '#ROOM', 1234);
      store.close();

      store = openStore(t.path, FAST);
      assert.equal(store.schemaVersion, SCHEMA_VERSION);
      assert.ok(await store.accounts.verifyPassword('alice', 'pw1'));
      assert.equal(store.channels.getChannel('#ROOM')?.topic, 'hello');
      assert.deepEqual(store.channels.listRoles('#Room'), [{ account: 'alice', role: 'op' }]);
      assert.deepEqual(store.channels.listBans('#Room'), [{ mask: '*!*@bad', setBy: 'Alice', time: 7 }]);
      assert.deepEqual(store.messages.findByMsgid(m.msgid), m);
      assert.equal(store.readMarkers.get('Alice', '#room'), 1234);
      assert.equal(store.integrityCheck(), 'ok');
      store.close();
    } finally {
      t.remove();
    }
  });

  it('refuses a file that is not SQLite with a clear error', () => {
    const t = tempDir();
    try {
      writeFileSync(join(t.path, DB_FILE_NAME), 'this is not a database, just some text '.repeat(200));
      assert.throws(() => openStore(t.path, FAST), (e: Error) => {
        assert.ok(e instanceof StoreOpenError);
        assert.match(e.message, /chatroom\.sqlite' is not a Chat Room database \(it is not an SQLite file/);
        return true;
      });
    } finally {
      t.remove();
    }
  });

  it("refuses another application's SQLite database and leaves it untouched", () => {
    const t = tempDir();
    try {
      const path = join(t.path, DB_FILE_NAME);
      const other = new DatabaseSync(path);
      other.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')");
      other.close();
      assert.throws(() => openStore(t.path, FAST), /is an SQLite database of another application \(application_id 0\), not a Chat Room database/);
      const again = new DatabaseSync(path, { readOnly: true });
      assert.deepEqual({ ...(again.prepare('SELECT body FROM notes').get() as object) }, { body: 'mine' });
      assert.equal((again.prepare('PRAGMA user_version').get() as { user_version: number }).user_version, 0);
      again.close();
    } finally {
      t.remove();
    }
  });

  it('refuses a database written by a newer schema version', () => {
    const t = tempDir();
    try {
      openStore(t.path, FAST).close();
      const db = new DatabaseSync(join(t.path, DB_FILE_NAME));
      db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 5}`);
      db.close();
      assert.throws(
        () => openStore(t.path, FAST),
        new RegExp(`was written by a newer Chat Room \\(schema version ${SCHEMA_VERSION + 5}; this server knows up to ${SCHEMA_VERSION}\\)`),
      );
    } finally {
      t.remove();
    }
  });

  it('refuses a data folder that cannot be created', () => {
    const t = tempDir();
    try {
      writeFileSync(join(t.path, 'file'), 'x');
      assert.throws(() => openStore(join(t.path, 'file', 'sub'), FAST), /cannot create the data folder/);
    } finally {
      t.remove();
    }
  });
});

describe('storage: accounts', () => {
  let t: ReturnType<typeof tempDir>;
  let store: Store;
  before(() => {
    t = tempDir();
    store = openStore(t.path, FAST);
  });
  after(() => {
    store.close();
    t.remove();
  });

  it('creates an account and logs in case-insensitively (rfc1459)', async () => {
    const r = await store.accounts.createAccount('Bob[1]', 'correct horse', 'bob@example.org');
    assert.ok(r.ok);
    assert.equal(r.account.name, 'bob{1}');
    assert.equal(r.account.displayName, 'Bob[1]');
    const a = await store.accounts.verifyPassword('BOB{1}', 'correct horse');
    assert.equal(a?.name, 'bob{1}');
    assert.equal(a?.email, 'bob@example.org');
    assert.equal(a?.verified, false);
  });

  it('refuses a wrong password, an unknown name and an oversized password', async () => {
    await store.accounts.createAccount('carol', 'secret');
    assert.equal(await store.accounts.verifyPassword('carol', 'Secret'), null);
    assert.equal(await store.accounts.verifyPassword('carol', ''), null);
    assert.equal(await store.accounts.verifyPassword('nobody', 'secret'), null);
    assert.equal(await store.accounts.verifyPassword('carol', 'x'.repeat(5000)), null);
    assert.equal(await store.accounts.verifyPassword('bad name', 'secret'), null);
  });

  it("answers 'exists' for a taken name (any case) and 'invalid' for bad input", async () => {
    await store.accounts.createAccount('dave', 'pw');
    const dup = await store.accounts.createAccount('DAVE', 'other');
    assert.deepEqual(dup, { ok: false, error: 'exists', message: "the account name 'DAVE' is already registered" });
    for (const [name, pw, email] of [['', 'pw', null], ['a b', 'pw', null], ['x'.repeat(65), 'pw', null], ['erin', '', null], ['erin', 'p\0w', null], ['erin', 'pw', 'not-an-email']] as const) {
      const r = await store.accounts.createAccount(name, pw, email);
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.error, 'invalid', `${JSON.stringify([name, pw, email])} is invalid`);
      assert.ok(!r.ok && r.message.length > 0);
    }
  });

  it('stores a salted scrypt hash, never the password, with its parameters', async () => {
    await store.accounts.createAccount('frank', 'hunter2');
    await store.accounts.createAccount('grace', 'hunter2');
    const rows = new DatabaseSync(store.path, { readOnly: true });
    const all = rows.prepare("SELECT * FROM accounts WHERE name IN ('frank', 'grace') ORDER BY name").all() as {
      password_hash: Uint8Array; salt: Uint8Array; scrypt_n: number; scrypt_r: number; scrypt_p: number;
    }[];
    rows.close();
    assert.equal(all.length, 2);
    const [f, g] = all as [(typeof all)[0], (typeof all)[0]];
    assert.notDeepEqual(Buffer.from(f.salt), Buffer.from(g.salt), 'per-account salt');
    assert.notDeepEqual(Buffer.from(f.password_hash), Buffer.from(g.password_hash), 'same password, different hashes');
    assert.equal(Buffer.from(f.password_hash).includes(Buffer.from('hunter2')), false);
    assert.deepEqual([f.scrypt_n, f.scrypt_r, f.scrypt_p], [1024, 8, 1]);
  });

  it('does the same scrypt work for unknown names (no timing oracle)', async () => {
    // Observe the work instead of timing it: count KDF calls and their cost parameters.
    const calls: number[] = [];
    const counting: Kdf = (pw, salt, params) => {
      calls.push(params.N);
      return scrypt(pw, salt, params);
    };
    const db = new DatabaseSync(store.path);
    const accounts = new SqliteAccountStore(db, FAST.scrypt, counting);
    await accounts.createAccount('heidi', 'pw');
    calls.length = 0;
    assert.ok(await accounts.verifyPassword('heidi', 'pw'));
    assert.equal(await accounts.verifyPassword('heidi', 'wrong'), null);
    assert.equal(await accounts.verifyPassword('no-such-user', 'pw'), null);
    assert.equal(await accounts.verifyPassword('bad name!', 'pw'), null);
    assert.deepEqual(calls, [1024, 1024, 1024, 1024], 'one full scrypt per attempt, known or not');
    db.close();
  });

  it('upgrades an old hash to the current parameters at the next successful login', async () => {
    const db = new DatabaseSync(store.path);
    const weak = new SqliteAccountStore(db, { N: 512, r: 8, p: 1 });
    await weak.createAccount('ivan', 'pw');
    const strong = new SqliteAccountStore(db, FAST.scrypt);
    assert.ok(await strong.verifyPassword('ivan', 'pw'));
    const n = (db.prepare("SELECT scrypt_n FROM accounts WHERE name = 'ivan'").get() as { scrypt_n: number }).scrypt_n;
    assert.equal(n, 1024);
    assert.ok(await strong.verifyPassword('ivan', 'pw'), 'still logs in after the upgrade');
    db.close();
  });

  it('works with the real default cost (N=2^14) without blocking the event loop', async () => {
    const real = openStore(join(t.path, 'real'));
    try {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 0);
      const created = await real.accounts.createAccount('judy', 'pw');
      assert.ok(created.ok);
      assert.ok(await real.accounts.verifyPassword('judy', 'pw'));
      clearInterval(timer);
      assert.ok(ticks > 0, 'timers ran while scrypt was hashing (it runs off the main thread)');
    } finally {
      real.close();
    }
  });

  it('lets exactly one of many concurrent registrations of a name win', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.accounts.createAccount(i % 2 ? 'Mallory' : 'mallory', `pw${i}`)));
    assert.equal(results.filter((r) => r.ok).length, 1);
    assert.ok(results.filter((r) => !r.ok).every((r) => !r.ok && r.error === 'exists'));
  });

  it('changes passwords and the verified flag', async () => {
    await store.accounts.createAccount('ken', 'old');
    assert.equal(await store.accounts.setPassword('ken', 'new'), true);
    assert.equal(await store.accounts.verifyPassword('ken', 'old'), null);
    assert.ok(await store.accounts.verifyPassword('ken', 'new'));
    assert.equal(await store.accounts.setPassword('nobody', 'x'), false);
    assert.equal(store.accounts.setVerified('KEN', true), true);
    assert.equal(store.accounts.getAccount('ken')?.verified, true);
    assert.equal(store.accounts.getAccount('nobody'), null);
    assert.ok(store.accounts.countAccounts() >= 1);
  });
});

describe('storage: registered channels', () => {
  it('saves, updates, lists and deletes channels with roles and bans', async () => {
    const t = tempDir();
    const store = openStore(t.path, FAST);
    try {
      await store.accounts.createAccount('Founder', 'pw');
      await store.accounts.createAccount('helper', 'pw');
      const rec = store.channels.saveChannel({ name: '#Dev[team]', founder: 'FOUNDER', topic: null, topicSetBy: null, topicTime: null, modes: 'nt', key: 'k', limit: 10, createdAt: 42 });
      assert.deepEqual(rec, { name: '#dev{team}', displayName: '#Dev[team]', founder: 'founder', topic: null, topicSetBy: null, topicTime: null, modes: 'nt', key: 'k', limit: 10, createdAt: 42 });
      const upd = store.channels.saveChannel({ ...rec, name: '#DEV{TEAM}', displayName: rec.displayName, topic: 'ship it', topicSetBy: 'Founder!f@h', topicTime: 99, modes: 'imnt', key: null, limit: null });
      assert.equal(upd.topic, 'ship it');
      assert.equal(upd.createdAt, 42, 'creation time is kept on update');
      assert.equal(upd.key, null);
      assert.equal(store.channels.listChannels().length, 1);

      store.channels.setRole('#dev[team]', 'helper', 'voice');
      store.channels.setRole('#dev[team]', 'HELPER', 'op');
      store.channels.setRole('#dev[team]', 'founder', 'op');
      assert.deepEqual(store.channels.listRoles('#DEV[TEAM]'), [{ account: 'founder', role: 'op' }, { account: 'helper', role: 'op' }]);
      store.channels.setRole('#dev[team]', 'helper', null);
      assert.deepEqual(store.channels.listRoles('#dev[team]'), [{ account: 'founder', role: 'op' }]);
      assert.throws(() => store.channels.setRole('#dev[team]', 'ghost', 'op'), /FOREIGN KEY/, 'roles only for existing accounts');
      assert.throws(() => store.channels.saveChannel({ name: '#x', founder: 'ghost', topic: null, topicSetBy: null, topicTime: null, modes: '', key: null, limit: null }), /FOREIGN KEY/);

      store.channels.addBan('#dev[team]', { mask: '*!*@Spam.example', setBy: 'Founder', time: 1 });
      store.channels.addBan('#dev[team]', { mask: '*!*@spam.EXAMPLE', setBy: 'Founder', time: 2 }); // same mask, other case
      store.channels.addBan('#dev[team]', { mask: 'troll!*@*', setBy: 'Founder', time: 3 });
      assert.deepEqual(store.channels.listBans('#dev[team]').map((b) => b.mask), ['*!*@Spam.example', 'troll!*@*']);
      assert.equal(store.channels.removeBan('#dev[team]', '*!*@SPAM.example'), true);
      assert.equal(store.channels.removeBan('#dev[team]', 'nope'), false);

      assert.equal(store.channels.deleteChannel('#Dev[Team]'), true);
      assert.equal(store.channels.getChannel('#dev[team]'), null);
      assert.deepEqual(store.channels.listRoles('#dev[team]'), [], 'roles go with the channel');
      assert.deepEqual(store.channels.listBans('#dev[team]'), [], 'bans go with the channel');
      assert.equal(store.integrityCheck(), 'ok');
    } finally {
      store.close();
      t.remove();
    }
  });
});

describe('storage: messages (group commit)', () => {
  let t: ReturnType<typeof tempDir>;
  let store: Store;
  before(() => {
    t = tempDir();
    store = openStore(t.path, FAST);
  });
  after(() => {
    store.close();
    t.remove();
  });

  it('resolves enqueue() only after COMMIT, batching one event-loop turn into one transaction', async () => {
    const before = store.messages.count();
    const promises = Array.from({ length: 50 }, (_, i) => store.messages.enqueue(chanMsg(`batch ${i}`)));
    assert.equal(store.messages.pending(), 50, 'queued, not written yet');
    const other = peek<{ n: number }>(store, 'SELECT count(*) AS n FROM messages');
    assert.equal(other.n, before, 'another connection sees nothing before the commit');
    const first = await promises[0];
    // When the first promise resolves, the whole batch is committed and visible to other connections.
    assert.equal(store.messages.pending(), 0);
    assert.equal(peek<{ n: number }>(store, 'SELECT count(*) AS n FROM messages').n, before + 50);
    const all = await Promise.all(promises);
    assert.equal(all[0], first);
    assert.deepEqual(all.map((m) => m.text), Array.from({ length: 50 }, (_, i) => `batch ${i}`), 'order kept');
    for (let i = 1; i < all.length; i++) assert.ok(all[i]!.id > all[i - 1]!.id, 'ids increase in queue order');
  });

  it('returns what was stored: msgid, server time, tags, multiline, DM keys', async () => {
    const t0 = Date.now();
    const m = await store.messages.enqueue(chanMsg('line one\nline two', { multiline: true, tags: { '+draft/reply': 'abc', '+typing': 'done' } }));
    assert.match(m.msgid, /^[A-Za-z0-9_-]{22}$/, 'msgid: 22 base64url characters (msgid.ts)');
    assert.ok(m.time >= t0 && m.time <= Date.now());
    assert.equal(m.target, '#room');
    assert.equal(m.targetDisplay, '#Room');
    assert.equal(m.type, 'channel');
    assert.deepEqual(m.tags, { '+draft/reply': 'abc', '+typing': 'done' });
    assert.equal(m.multiline, true);
    assert.deepEqual(store.messages.findByMsgid(m.msgid), m);
    assert.equal(store.messages.findByMsgid('nope'), null);

    const dm = store.messages.appendSync({ target: { type: 'dm', from: 'Alice', to: 'Bob' }, kind: 'NOTICE', source: 'alice!a@h', senderNick: 'alice', senderAccount: 'alice', text: 'psst', time: 5 });
    assert.equal(dm.target, dmKey('bob', 'ALICE'));
    assert.equal(dm.target, 'alice bob');
    assert.equal(dm.targetDisplay, 'Bob');
    assert.equal(dm.time, 5);
    assert.equal(dm.kind, 'NOTICE');
    assert.equal(peek<{ n: number }>(store, 'SELECT count(*) AS n FROM messages WHERE msgid = ?', dm.msgid).n, 1, 'appendSync is committed on return');
  });

  it('keeps concurrent writers from many "clients" apart: every message stored once, unique ids and msgids', async () => {
    const writers = Array.from({ length: 10 }, async (_, w) => {
      const out = [];
      for (let i = 0; i < 20; i++) {
        out.push(await store.messages.enqueue(chanMsg(`w${w} m${i}`, { target: { type: 'channel', name: `#c${w % 3}` } })));
        if (i % 5 === 0) out.push(store.messages.appendSync(chanMsg(`w${w} sync${i}`, { target: { type: 'channel', name: `#c${w % 3}` } })));
      }
      return out;
    });
    const all = (await Promise.all(writers)).flat();
    assert.equal(all.length, 10 * 24);
    assert.equal(new Set(all.map((m) => m.id)).size, all.length);
    assert.equal(new Set(all.map((m) => m.msgid)).size, all.length);
    for (const m of all) assert.equal(store.messages.findByMsgid(m.msgid)?.text, m.text);
  });

  it('fails only the message that cannot be written, not its batch', async () => {
    const taken = (await store.messages.enqueue(chanMsg('original'))).msgid;
    const results = await Promise.allSettled([
      store.messages.enqueue(chanMsg('fine 1')),
      store.messages.enqueue(chanMsg('duplicate msgid', { msgid: taken })),
      store.messages.enqueue(chanMsg('fine 2')),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.match(String((results[1] as PromiseRejectedResult).reason), /UNIQUE/);
  });

  it('rejects bad input up front', async () => {
    await assert.rejects(store.messages.enqueue(chanMsg('x', { kind: 'JOIN' as 'PRIVMSG' })), /kind must be PRIVMSG, NOTICE or TAGMSG/);
    await assert.rejects(store.messages.enqueue(chanMsg('x', { time: 1.5 })), /integer ms/);
    await assert.rejects(store.messages.enqueue(chanMsg('x'.repeat(1024 * 1024 + 1))), /larger than 1 MiB/);
  });

  it('close() commits what is still queued; afterwards writes are refused', async () => {
    const t2 = tempDir();
    const s = openStore(t2.path, FAST);
    const p = s.messages.enqueue(chanMsg('last words'));
    s.close();
    const m = await p;
    await assert.rejects(s.messages.enqueue(chanMsg('too late')), /closed/);
    const again = openStore(t2.path, FAST);
    assert.equal(again.messages.findByMsgid(m.msgid)?.text, 'last words');
    again.close();
    t2.remove();
  });
});

describe('storage: offline queue written with the message', () => {
  it('queues a DM for an offline account in the same transaction as the message', async () => {
    const t = tempDir();
    const store = openStore(t.path, FAST);
    try {
      const dm = { type: 'dm', from: 'alice', to: 'Bob' } as const;
      const m = await store.messages.enqueue(chanMsg('while you were away', { target: dm, queueFor: 'BOB' }));
      assert.equal(store.offline.count('bob'), 1);
      const dup = await Promise.allSettled([store.messages.enqueue(chanMsg('same msgid', { target: dm, queueFor: 'bob', msgid: m.msgid }))]);
      assert.equal(dup[0]!.status, 'rejected');
      assert.equal(store.offline.count('bob'), 1, 'a message that was not stored is not queued either');
      store.messages.appendSync(chanMsg('second', { target: dm, queueFor: 'bob' }));
      assert.deepEqual(store.offline.take('Bob', 10).map((x) => x.text), ['while you were away', 'second']);
      assert.equal(store.offline.count('bob'), 0);
    } finally {
      store.close();
      t.remove();
    }
  });
});

describe('storage: read markers', () => {
  it('only move forward and are shared per account and target (any case)', () => {
    const t = tempDir();
    const store = openStore(t.path, FAST);
    try {
      assert.equal(store.readMarkers.get('alice', '#room'), null);
      assert.equal(store.readMarkers.set('alice', '#Room', 100), 100);
      assert.equal(store.readMarkers.set('ALICE', '#room', 50), 100, 'an older marker is ignored');
      assert.equal(store.readMarkers.set('alice', '#ROOM', 200), 200);
      assert.equal(store.readMarkers.get('Alice', '#room'), 200);
      assert.equal(store.readMarkers.get('alice', 'bob'), null);
      assert.throws(() => store.readMarkers.set('alice', '#room', Number.NaN), TypeError);
    } finally {
      store.close();
      t.remove();
    }
  });
});
