// Issue 11: the data folder and the database (with its -wal and -shm) are private to the server's
// user: every DM and the password hashes are in there. Checked with fs.stat on a real data folder
// of the real server, with a permissive umask as a shared box may have.
import assert from 'node:assert/strict';
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DB_FILE_NAME } from '../../../src/server/storage/index.ts';
import { IrcTestClient } from '../../helpers/ircClient.ts';
import { startServer } from '../../helpers/server.ts';
import { tempDir } from '../../helpers/tmp.ts';

const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

describe('storage: permissions', () => {
  it('creates the data folder 0700 and the database, -wal and -shm 0600 whatever the umask', async () => {
    const t = tempDir();
    const oldMask = process.umask(0o002); // the server inherits it: group-writable, world-readable
    try {
      const dir = join(t.path, 'data');
      const srv = await startServer({ dataDir: dir });
      process.umask(oldMask);
      const c = await IrcTestClient.connect(srv.port);
      await c.register('writer');
      c.send('JOIN #perm');
      c.send('PRIVMSG #perm :something private');
      c.send('PRIVMSG writer :a note to self');
      await c.sync();
      const db = join(dir, DB_FILE_NAME);
      assert.equal(mode(dir), '700', 'the data folder');
      for (const p of [db, `${db}-wal`, `${db}-shm`]) assert.equal(mode(p), '600', p);
      await c.close();
      assert.equal(await srv.stop(), 0);
    } finally {
      process.umask(oldMask);
      t.remove();
    }
  });

  it('makes an existing world-readable database private at start-up', async () => {
    const t = tempDir();
    try {
      const first = await startServer({ dataDir: t.path });
      await first.stop();
      const db = join(t.path, DB_FILE_NAME);
      chmodSync(db, 0o644);
      const again = await startServer({ dataDir: t.path });
      assert.equal(mode(db), '600');
      await again.stop();
    } finally {
      t.remove();
    }
  });
});
