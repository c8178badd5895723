// SIGTERM/SIGINT: the server stops accepting, sends ERROR to every client, commits what is pending
// and exits 0.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { IrcTestClient, startServer, tempDir } from '../helpers/index.ts';

describe('shutdown', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: ERROR to clients, messages committed, exit 0`, async () => {
      const dir = tempDir('chatroom-shutdown-');
      const srv = await startServer({ dataDir: dir.path });
      try {
        const a = await IrcTestClient.connect(srv.port);
        await a.register('alpha');
        const b = await IrcTestClient.connect(srv.port);
        await b.register('beta');
        a.send('JOIN #bye');
        await a.waitFor('366');
        b.send('JOIN #bye');
        await b.waitFor('366');
        a.send('PRIVMSG #bye :last words');
        await b.waitFor((m) => m.command === 'PRIVMSG');
        const unregistered = await IrcTestClient.connect(srv.port);
        unregistered.send('NICK halfway');
        await unregistered.sync();
        srv.proc.kill(signal);
        for (const c of [a, b, unregistered]) {
          const err = await c.waitFor('ERROR');
          assert.equal(err.params[0], 'Server shutting down');
          await c.closed;
        }
        assert.equal(await srv.exited, 0);
        // Not accepting any more.
        const refused = await new Promise<boolean>((r) => {
          const s = connect(srv.port, '127.0.0.1');
          s.once('error', () => r(true));
          s.once('connect', () => {
            s.destroy();
            r(false);
          });
        });
        assert.ok(refused);
        const db = new DatabaseSync(join(dir.path, 'chatroom.sqlite'), { readOnly: true });
        try {
          assert.equal((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
          const row = db.prepare("SELECT count(*) AS n FROM messages WHERE text = 'last words'").get() as { n: number };
          assert.equal(row.n, 1);
        } finally {
          db.close();
        }
      } finally {
        await srv.stop();
        dir.remove();
      }
    });
  }
});

describe('--exit-with-parent', () => {
  it('shuts down gracefully when its parent goes away (stdin closes)', async () => {
    const srv = await startServer({ args: ['--exit-with-parent'], pipeStdin: true });
    try {
      const a = await IrcTestClient.connect(srv.port);
      await a.register('orphan');
      // What the extension host's death looks like to the server: its stdin pipe closes.
      srv.proc.stdin?.end();
      const err = await a.waitFor('ERROR');
      assert.equal(err.params[0], 'Server shutting down');
      assert.equal(await srv.exited, 0);
    } finally {
      await srv.stop();
    }
  });

  it('without the flag, a closed stdin changes nothing', async () => {
    const srv = await startServer({ pipeStdin: true });
    try {
      srv.proc.stdin?.end();
      const a = await IrcTestClient.connect(srv.port);
      await a.register('stays');
      await a.sync();
      assert.ok(a.isOpen);
    } finally {
      await srv.stop();
    }
  });
});
