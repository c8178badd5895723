// kill -9 in the middle of a stream of messages: every message any client received (a relay to
// another member, or the sender's own echo) is in the database afterwards, and the database passes
// PRAGMA integrity_check. Three rounds, killed at different points, on the same data folder; each
// round starts a fresh server on what the previous kill left behind.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { DB_FILE_NAME } from '../../src/server/storage/index.ts';
import { IrcTestClient } from '../helpers/ircClient.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tmp.ts';

const ROOM = '#durable';

/** Texts of the PRIVMSGs a client received whose text starts with `prefix`. */
function received(c: IrcTestClient, prefix: string): string[] {
  return c.messages.filter((m) => m.command === 'PRIVMSG' && (m.params[1] ?? '').startsWith(prefix)).map((m) => m.params[1] as string);
}

describe('durability: kill -9 during a message stream', () => {
  const data = tempDir('chatroom-durable-');
  let srv: RunningServer | undefined;
  after(async () => {
    if (srv) await srv.kill9();
    data.remove();
  });

  it('loses no received message and never corrupts the database', async () => {
    const everReceived = new Set<string>();
    // Kill after the receiver has seen this many messages of the round (early, middle, later).
    for (const [round, killAfter] of [[0, 20], [1, 300], [2, 1200]] as const) {
      srv = await startServer({ dataDir: data.path, args: ['--flood-control', 'off'] });
      const alice = await IrcTestClient.connect(srv.port);
      const bob = await IrcTestClient.connect(srv.port);
      await alice.register(`alice${round}`, { caps: ['echo-message'] });
      await bob.register(`bob${round}`);
      for (const c of [alice, bob]) {
        c.send(`JOIN ${ROOM}`);
        await c.waitFor((m) => m.command === 'JOIN' && m.params[0] === ROOM && m.source?.startsWith(c.nick) === true);
      }

      // Alice streams room messages and DMs to bob as fast as the socket takes them.
      const prefix = `r${round}-`;
      let sent = 0;
      const stream = (async () => {
        for (let i = 0; i < 20_000 && alice.isOpen; i += 20) {
          let chunk = '';
          for (let k = i; k < i + 20; k++) chunk += k % 4 === 3 ? `PRIVMSG bob${round} :${prefix}dm-${k}\r\n` : `PRIVMSG ${ROOM} :${prefix}${k}\r\n`;
          alice.sendRaw(chunk);
          sent += 20;
          await new Promise((r) => setImmediate(r));
        }
      })();

      // Mid-stream: once bob has received `killAfter` messages of this round, kill -9.
      let count = 0;
      await bob.waitFor((m) => m.command === 'PRIVMSG' && (m.params[1] ?? '').startsWith(prefix) && ++count >= killAfter, 60_000);
      await srv.kill9();
      await stream;
      await Promise.all([alice.closed, bob.closed]);

      const got = new Set([...received(bob, prefix), ...received(alice, prefix)]);
      assert.ok(got.size >= killAfter, `round ${round}: received ${got.size}`);
      assert.ok(sent > got.size, `round ${round}: the kill came mid-stream (sent ${sent}, received ${got.size})`);
      for (const t of got) everReceived.add(t);

      // Straight after the kill, before any server touches the file again.
      const db = new DatabaseSync(join(data.path, DB_FILE_NAME));
      try {
        assert.equal((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
        const stored = new Set((db.prepare('SELECT text FROM messages').all() as { text: string }[]).map((r) => r.text));
        const missing = [...everReceived].filter((t) => !stored.has(t));
        assert.deepEqual(missing.slice(0, 10), [], `round ${round}: ${missing.length} received messages are not in the database`);
      } finally {
        db.close();
      }
      srv = undefined;
    }

    // A clean start on the same folder, then a clean stop, still has everything.
    srv = await startServer({ dataDir: data.path });
    const check = await IrcTestClient.connect(srv.port);
    await check.register('checker');
    await check.close();
    assert.equal(await srv.stop(), 0, srv.output());
    srv = undefined;
    const db = new DatabaseSync(join(data.path, DB_FILE_NAME), { readOnly: true });
    try {
      assert.equal((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
      const stored = new Set((db.prepare('SELECT text FROM messages').all() as { text: string }[]).map((r) => r.text));
      assert.equal([...everReceived].filter((t) => !stored.has(t)).length, 0);
      const dms = (db.prepare("SELECT count(*) AS n FROM messages WHERE target_type = 'dm'").get() as { n: number }).n;
      assert.ok(dms > 0, 'direct messages were stored too');
    } finally {
      db.close();
    }
  });
});
