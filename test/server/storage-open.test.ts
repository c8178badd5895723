// What an operator sees when the data folder holds something the server must not touch.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { DB_FILE_NAME } from '../../src/server/storage/index.ts';
import { IrcTestClient } from '../helpers/ircClient.ts';
import { startServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tmp.ts';

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
});
