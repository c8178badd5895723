// Migration 4 (issue 11): DMs stored while a party without an account was its nick are re-keyed,
// so a nick side can no longer be reached, by whoever takes the nick or registers it as an account,
// while a side that was an account then keeps its conversations (and finds them by the nick shown).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { MIGRATIONS } from '../../../src/server/storage/migrations.ts';
import { DB_FILE_NAME, dmKey, openStore } from '../../../src/server/storage/index.ts';
import { APPLICATION_ID } from '../../../src/server/storage/open.ts';
import { tempDir } from '../../helpers/tmp.ts';

const FAST = { scrypt: { N: 1024, r: 8, p: 1 } };
const T0 = Date.UTC(2026, 0, 1);

describe('storage: DM parties of older databases (migration 4)', () => {
  it('keeps account-to-account conversations, hides every nick side, and rebuilds TARGETS', () => {
    const t = tempDir();
    try {
      const path = join(t.path, DB_FILE_NAME);
      const db = new DatabaseSync(path);
      db.exec('PRAGMA journal_mode = WAL');
      for (const m of MIGRATIONS.slice(0, 2)) m(db);
      const account = db.prepare(
        "INSERT INTO accounts (name, display_name, password_hash, salt, scrypt_n, scrypt_r, scrypt_p, created_at) VALUES (?, ?, x'00', x'00', 1024, 8, 1, ?)",
      );
      account.run('alice', 'Alice', T0);
      account.run('erin', 'Erin', T0);
      account.run('carol', 'carol', T0 + 1000); // registered after the guest "carol" was written to
      const dm = db.prepare(
        "INSERT INTO messages (msgid, target, target_type, target_display, kind, source, sender_nick, sender_account, time, text) VALUES (?, ?, 'dm', ?, 'PRIVMSG', ?, ?, ?, ?, ?)",
      );
      const conv = db.prepare('INSERT OR REPLACE INTO dm_conversations (party, peer, peer_display, target, last_time) VALUES (?, ?, ?, ?, ?)');
      const write = (id: string, from: string, account: string | null, to: string, time: number, text: string) => {
        const key = dmKey(account ?? from, to);
        dm.run(id, key, to, `${from}!u@h`, from, account, time, text);
        conv.run((account ?? from).toLowerCase(), to.toLowerCase(), to, key, time);
        conv.run(to.toLowerCase(), (account ?? from).toLowerCase(), account ?? from, key, time);
      };
      write('m1', 'Alice', 'Alice', 'bob', T0 + 10, 'alice to the guest bob');
      write('m2', 'bob', null, 'Alice', T0 + 20, 'the guest bob to alice');
      write('m3', 'dave', null, 'carol', T0 + 30, 'the guest dave to the guest carol');
      write('m4', 'Alice', 'Alice', 'Erin', T0 + 40, 'alice to erin');
      write('m5', 'bob', null, 'dave', T0 + 50, 'guest to guest');
      // Half of them indexed (migration 3 indexes what exists), half in the tail.
      MIGRATIONS[2]!(db);
      write('m6', 'Erin', 'Erin', 'Alice', T0 + 60, 'erin to alice');
      write('m7', 'bob', null, 'Alice', T0 + 70, 'the guest bob again');
      db.exec(`PRAGMA user_version = 3; PRAGMA application_id = ${APPLICATION_ID}`);
      db.close();

      const store = openStore(t.path, { ...FAST, writerThread: false });
      try {
        const read = (key: string) => {
          const r = store.history.query(key, { kind: 'LATEST', limit: 100 });
          assert.ok(r.ok);
          return r.messages.map((m) => m.text);
        };
        assert.deepEqual(read(dmKey('alice', 'erin')), ['alice to erin', 'erin to alice'], 'two accounts: as before');
        assert.deepEqual(read(dmKey('alice', 'bob')), [], 'whoever is "bob" now does not read it');
        assert.deepEqual(read(dmKey('carol', 'dave')), [], 'the account carol does not inherit the guest carol');
        assert.deepEqual(read(dmKey('bob', 'dave')), []);

        // alice still has hers, found by the nick TARGETS shows.
        const names = store.history.targets({ party: 'alice', channels: [], from: 0, to: T0 * 2, limit: 100 }).map((x) => x.name);
        assert.deepEqual(names.sort(), ['Erin', 'bob']);
        const bob = store.history.peerNamed('alice', 'BOB');
        assert.ok(bob !== null && bob.startsWith('!'), String(bob));
        assert.deepEqual(read(dmKey('alice', bob)), ['alice to the guest bob', 'the guest bob to alice', 'the guest bob again']);
        // Only account sides have conversations to list.
        assert.deepEqual(store.history.targets({ party: 'carol', channels: [], from: 0, to: T0 * 2, limit: 100 }), []);
        assert.deepEqual(store.history.targets({ party: 'bob', channels: [], from: 0, to: T0 * 2, limit: 100 }), []);
        assert.equal(store.integrityCheck(), 'ok');
      } finally {
        store.close();
      }
    } finally {
      t.remove();
    }
  });
});
