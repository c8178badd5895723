// What an operator sees when the data folder holds something the server must not touch, or a
// database that is damaged.
import assert from 'node:assert/strict';
import { closeSync, existsSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { DB_FILE_NAME, openStore } from '../../../src/server/storage/index.ts';
import { IrcTestClient } from '../../helpers/ircClient.ts';
import { startServer } from '../../helpers/server.ts';
import { tempDir } from '../../helpers/tmp.ts';

describe('storage: the server and its data folder', () => {
  it('creates a missing data folder and its database', async () => {
    const t = tempDir();
    try {
      const dir = join(t.path, 'not', 'yet');
      const srv = await startServer({ dataDir: dir });
      assert.ok(existsSync(join(dir, DB_FILE_NAME)));
      const c = await IrcTestClient.connect(srv.port);
      await c.register('first');
      await c.close();
      assert.equal(await srv.stop(), 0, srv.output());
    } finally {
      t.remove();
    }
  });

  it('refuses to start on a file that is not a Chat Room database, and leaves it alone', async () => {
    const t = tempDir();
    try {
      const path = join(t.path, DB_FILE_NAME);
      const other = new DatabaseSync(path);
      other.exec("CREATE TABLE precious (x); INSERT INTO precious VALUES ('keep me')");
      other.close();
      await assert.rejects(startServer({ dataDir: t.path }), (e: Error) => {
        assert.match(e.message, /server exited \(1\) before it was listening/);
        assert.match(e.message, /not a Chat Room database; move it away or choose another --data-dir/);
        return true;
      });
      const check = new DatabaseSync(path, { readOnly: true });
      assert.equal((check.prepare('SELECT x FROM precious').get() as { x: string }).x, 'keep me');
      check.close();

      writeFileSync(path, 'plain text, not SQLite');
      await assert.rejects(startServer({ dataDir: t.path }), /it is not an SQLite file/);
    } finally {
      t.remove();
    }
  });

  it('refuses to start on a damaged database (a page overwritten, the header intact)', async () => {
    const t = tempDir();
    try {
      const store = openStore(t.path, { writerThread: false });
      const msg = (i: number) => ({
        target: { type: 'channel' as const, name: '#team' }, kind: 'PRIVMSG' as const, source: 'al!al@127.0.0.1',
        senderNick: 'al', senderAccount: null, text: `message ${i}, long enough to fill a few pages of the database`,
      });
      await Promise.all(Array.from({ length: 2000 }, (_, i) => store.messages.enqueue(msg(i))));
      store.close();
      const path = join(t.path, DB_FILE_NAME);
      const probe = new DatabaseSync(path, { readOnly: true });
      const pageSize = Number((probe.prepare('PRAGMA page_size').get() as { page_size: number }).page_size);
      const pages = Number((probe.prepare('PRAGMA page_count').get() as { page_count: number }).page_count);
      probe.close();
      assert.ok(pages > 20, `a database of some size (${pages} pages)`);
      const fd = openSync(path, 'r+');
      writeSync(fd, Buffer.alloc(pageSize, 0xde), 0, pageSize, pageSize * Math.floor(pages / 2));
      closeSync(fd);
      // A server that starts anyway is stopped at once, so the test fails instead of hanging.
      const refused = await startServer({ dataDir: t.path }).then(
        async (srv) => (await srv.stop(), null),
        (e: Error) => e,
      );
      assert.ok(refused, 'the server started on a damaged database');
      assert.match(refused.message, /server exited \(1\) before it was listening/);
      assert.match(refused.message, /chatroom\.sqlite' is damaged \(SQLite: .+\); restore it from a backup, or move it away/);
    } finally {
      t.remove();
    }
  });
});
