// Flood control in the engine (the limiter itself is tested in limits.test.ts): a client past its
// burst is slowed down, one that keeps flooding is dropped with "Excess Flood", operators are
// exempt; and connections per IP are capped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RPL_YOUREOPER } from '../../src/protocol/numerics.ts';
import { IrcTestClient } from '../helpers/index.ts';
import { harness } from './helpers.ts';

describe('flood control', () => {
  it('drops a flooding client and spares operators', async () => {
    const h = await harness({ args: ['--flood-rate', '1', '--flood-burst', '5', '--flood-queue', '10', '--oper', 'admin:pw'] });
    try {
      const admin = await h.user('admin');
      admin.send('OPER admin pw');
      await admin.waitFor(RPL_YOUREOPER);
      for (let i = 0; i < 100; i++) admin.send(`PRIVMSG admin :op line ${i}`);
      await admin.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'op line 99');

      const flooder = await h.user('flooder');
      for (let i = 0; i < 100; i++) flooder.send(`PRIVMSG flooder :line ${i}`);
      const err = await flooder.waitFor('ERROR');
      assert.match(err.params[0]!, /Excess Flood/);
      await flooder.closed;
      const got = flooder.messages.filter((m) => m.command === 'PRIVMSG').length;
      assert.ok(got < 100, `not every line was processed (${got})`);
      assert.ok(admin.isOpen);
    } finally {
      await h.stop();
    }
  });

  it('--flood-control off lets a client send as fast as it likes', async () => {
    const h = await harness({ args: ['--flood-rate', '1', '--flood-burst', '5', '--flood-control', 'off'] });
    try {
      const fast = await h.user('fast');
      for (let i = 0; i < 200; i++) fast.send(`PRIVMSG fast :line ${i}`);
      await fast.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'line 199');
    } finally {
      await h.stop();
    }
  });

  it('limits connections per IP', async () => {
    const h = await harness({ args: ['--max-clients-per-ip', '2'] });
    try {
      await h.user('one');
      await h.user('two');
      const third = await IrcTestClient.connect(h.srv.port);
      const err = await third.waitFor('ERROR');
      assert.match(err.params[0]!, /Too many connections/);
      await third.closed;
    } finally {
      await h.stop();
    }
  });
});
