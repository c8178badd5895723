// --durability off (benchmarks only): messages are relayed without waiting for their COMMIT, yet
// still stored; the relayed msgid and time are the ones in the database.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { DB_FILE_NAME } from '../../src/server/storage/index.ts';
import { IrcTestClient } from '../helpers/ircClient.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('--durability off', () => {
  const data = tempDir('chatroom-nodurable-');
  let srv: RunningServer | undefined;
  after(async () => {
    if (srv) await srv.stop();
    data.remove();
  });

  it('relays room messages and DMs, and still stores them with the relayed msgid and time', async () => {
    srv = await startServer({ dataDir: data.path, args: ['--durability', 'off', '--flood-control', 'off'] });
    const alice = await IrcTestClient.connect(srv.port);
    const bob = await IrcTestClient.connect(srv.port);
    await alice.register('alice', { caps: ['echo-message', 'message-tags', 'server-time'] });
    await bob.register('bob', { caps: ['message-tags', 'server-time'] });
    for (const c of [alice, bob]) {
      c.send('JOIN #fast');
      await c.waitFor((m) => m.command === '366' && m.params[1] === '#fast');
    }
    alice.send('PRIVMSG #fast :room line');
    alice.send('PRIVMSG bob :direct line');
    const room = await bob.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'room line');
    const dm = await bob.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'direct line');
    const echo = await alice.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'direct line');
    assert.equal(dm.params[0], 'bob');
    assert.equal(echo.tags['msgid'], dm.tags['msgid']);
    alice.destroy();
    bob.destroy();
    assert.equal(await srv.stop(), 0); // a clean stop commits what is queued
    srv = undefined;

    const db = new DatabaseSync(join(data.path, DB_FILE_NAME));
    try {
      const rows = db.prepare('SELECT msgid, time, text, target FROM messages ORDER BY id').all() as { msgid: string; time: number; text: string; target: string }[];
      assert.deepEqual(rows.map((r) => r.text), ['room line', 'direct line']);
      assert.equal(rows[0]!.target, '#fast');
      // Two guests: the conversation is keyed by their connections' tokens, not their nicks (issue 11).
      assert.match(rows[1]!.target, /^![0-9a-f]{24} ![0-9a-f]{24}$/);
      assert.equal(rows[0]!.msgid, room.tags['msgid']);
      assert.equal(new Date(Number(rows[0]!.time)).toISOString(), room.tags['time']);
      assert.equal(rows[1]!.msgid, dm.tags['msgid']);
    } finally {
      db.close();
    }
  });
});
