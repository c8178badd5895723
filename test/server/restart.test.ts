// A restart keeps accounts, registered rooms (topic, modes, key, bans), roles and messages:
// the founder and the operators it named get +o back when they rejoin; others do not.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { RPL_BANLIST, RPL_CHANNELMODEIS, RPL_ENDOFBANLIST, RPL_LOGGEDIN, RPL_NAMREPLY, RPL_TOPIC } from '../../src/protocol/numerics.ts';
import { IrcTestClient, startServer, tempDir, type RunningServer } from '../helpers/index.ts';

async function user(srv: RunningServer, nick: string, password?: string): Promise<IrcTestClient> {
  const c = await IrcTestClient.connect(srv.port);
  await c.register(nick, password ? { sasl: { account: nick, password } } : {});
  return c;
}

describe('restart', () => {
  it('keeps accounts, registered rooms (topic, modes, key, bans), roles and messages', async () => {
    const dir = tempDir('chatroom-restart-');
    try {
      let srv = await startServer({ dataDir: dir.path });
      const founder = await user(srv, 'founder');
      founder.send('REGISTER * * founder-password');
      await founder.waitFor(RPL_LOGGEDIN);
      const helper = await user(srv, 'helper');
      helper.send('REGISTER * * helper-password');
      await helper.waitFor(RPL_LOGGEDIN);
      const guest = await user(srv, 'guest');

      founder.send('JOIN #team');
      await founder.waitFor('366');
      founder.send('TOPIC #team :Ship it');
      founder.send('MODE #team +sk key');
      founder.send('MODE #team +b spammer!*@*');
      await founder.waitFor((m) => m.command === 'MODE' && m.params[1] === '+b');
      helper.send('JOIN #team key');
      guest.send('JOIN #team key');
      await guest.waitFor('366');
      await helper.waitFor('366');
      founder.send('MODE #team +o helper');
      await helper.waitFor((m) => m.command === 'MODE' && m.params[1] === '+o');
      founder.send('PRIVMSG #team :before the restart');
      await guest.waitFor('PRIVMSG');
      assert.equal(await srv.stop(), 0);

      srv = await startServer({ dataDir: dir.path });
      try {
        // The guest (no account) comes first: a registered room does not make it operator.
        const guest2 = await user(srv, 'guest');
        guest2.send('JOIN #team');
        await guest2.waitFor('475'); // the key survived
        guest2.send('JOIN #team key');
        await guest2.waitFor('366');
        const topic = guest2.messages.find((m) => m.command === RPL_TOPIC);
        assert.equal(topic?.params[2], 'Ship it');
        const names = guest2.messages.filter((m) => m.command === RPL_NAMREPLY).flatMap((m) => m.params.at(-1)!.split(' '));
        assert.deepEqual(names, ['guest'], 'no operator prefix for the guest');
        guest2.send('MODE #team');
        assert.deepEqual((await guest2.waitFor(RPL_CHANNELMODEIS)).params.slice(2), ['+nstk', 'key']);
        guest2.send('MODE #team b');
        const bans = (await guest2.collectUntil(RPL_ENDOFBANLIST)).filter((m) => m.command === RPL_BANLIST).map((m) => m.params[2]);
        assert.deepEqual(bans, ['spammer!*@*']);

        // The account's password still works, and the roles come back on JOIN.
        const helper2 = await user(srv, 'helper', 'helper-password');
        helper2.send('JOIN #team key');
        const j = await guest2.waitFor((m) => m.command === 'JOIN' && m.source?.startsWith('helper!') === true);
        assert.ok(j);
        const founder2 = await user(srv, 'founder', 'founder-password');
        founder2.send('JOIN #team'); // the founder needs no key for its own room
        await founder2.waitFor('366');
        founder2.send('NAMES #team');
        const after = (await founder2.collectUntil((m) => m.command === '366' && founder2.messages.filter((x) => x.command === '366').length >= 2))
          .filter((m) => m.command === RPL_NAMREPLY)
          .flatMap((m) => m.params.at(-1)!.split(' '));
        for (const n of ['@founder', '@helper', 'guest']) assert.ok(after.includes(n), `${n} in ${after.join(' ')}`);

        // The stored messages are still there, with their msgids.
        const db = new DatabaseSync(join(dir.path, 'chatroom.sqlite'), { readOnly: true });
        try {
          const row = db.prepare("SELECT msgid FROM messages WHERE text = 'before the restart'").get() as { msgid: string } | undefined;
          assert.ok(row?.msgid);
        } finally {
          db.close();
        }

        // Nick ownership survived too.
        const thief = await IrcTestClient.connect(srv.port);
        thief.send('NICK founder');
        thief.send('USER t 0 * :t');
        await thief.waitFor('433');
        thief.destroy();
        for (const c of [guest2, helper2, founder2]) c.destroy();
      } finally {
        await srv.stop();
      }
      for (const c of [founder, helper, guest]) c.destroy();
    } finally {
      dir.remove();
    }
  });
});
