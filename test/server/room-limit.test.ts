// --max-rooms-per-account: a room created while logged in is registered (a row kept for ever), so
// an account may create only so many; the next gets 405 saying why, also after a restart (the
// registered rooms are counted, not the rooms created by this process).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERR_TOOMANYCHANNELS, RPL_LOGGEDIN } from '../../src/protocol/numerics.ts';
import { IrcTestClient, startServer, tempDir, type RunningServer } from '../helpers/index.ts';

async function user(srv: RunningServer, nick: string, password?: string): Promise<IrcTestClient> {
  const c = await IrcTestClient.connect(srv.port);
  await c.register(nick, password ? { sasl: { account: nick, password } } : {});
  return c;
}

/** JOINs and resolves with the end of NAMES (366) or the numeric refusing it. */
async function join(c: IrcTestClient, room: string): Promise<{ command: string; text: string }> {
  c.send(`JOIN ${room}`);
  const m = await c.waitFor((x) => (x.command === '366' || x.command === ERR_TOOMANYCHANNELS) && x.params[1] === room);
  return { command: m.command, text: m.params[2] ?? '' };
}

describe('registered rooms per account', () => {
  it('refuses to create one more room than --max-rooms-per-account, with a clear 405', async () => {
    const dir = tempDir('chatroom-roomlimit-');
    try {
      let srv = await startServer({ dataDir: dir.path, args: ['--max-rooms-per-account', '2'] });
      const alice = await user(srv, 'alice');
      alice.send('REGISTER * * alice-password');
      await alice.waitFor(RPL_LOGGEDIN);
      assert.equal((await join(alice, '#one')).command, '366');
      assert.equal((await join(alice, '#two')).command, '366');
      const refused = await join(alice, '#three');
      assert.equal(refused.command, ERR_TOOMANYCHANNELS);
      assert.match(refused.text, /registered 2 rooms, the most allowed/);

      // Rooms that exist are still open to her, and users without an account still create rooms.
      const guest = await user(srv, 'guest');
      assert.equal((await join(guest, '#guests')).command, '366');
      assert.equal((await join(alice, '#guests')).command, '366');
      assert.equal((await join(alice, '#three')).command, ERR_TOOMANYCHANNELS, 'leaving nothing, still at the limit');
      await srv.stop();

      srv = await startServer({ dataDir: dir.path, args: ['--max-rooms-per-account', '2'] });
      const again = await user(srv, 'alice', 'alice-password');
      assert.equal((await join(again, '#one')).command, '366', 'her own registered room');
      assert.equal((await join(again, '#four')).command, ERR_TOOMANYCHANNELS, 'rooms registered before the restart count');
      await srv.stop();
    } finally {
      dir.remove();
    }
  });
});
