// Flood control in the engine (the limiter itself is tested in index.test.ts here): a client past its
// burst is slowed down (held lines, then no more reading), one that sends more than --flood-queue
// lines at once is dropped with "Excess Flood", operators are exempt; connections per IP are capped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RPL_YOUREOPER } from '../../../src/protocol/numerics.ts';
import { IrcTestClient } from '../../helpers/index.ts';
import { harness } from '../helpers.ts';

describe('flood control', () => {
  it('drops a flooding client and spares operators', async () => {
    const h = await harness({ args: ['--flood-rate', '1', '--flood-burst', '5', '--flood-queue', '10', '--oper', 'admin:pw'] });
    try {
      const admin = await h.user('admin');
      admin.send('OPER admin pw');
      await admin.waitFor(RPL_YOUREOPER);
      for (let i = 0; i < 100; i++) admin.send(`PRIVMSG admin :op line ${i}`);
      await admin.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'op line 99');

      // 100 lines in one write: 5 run at once, and more than --flood-queue are held from one read.
      const flooder = await h.user('flooder');
      flooder.sendRaw(Array.from({ length: 100 }, (_, i) => `PRIVMSG flooder :line ${i}\r\n`).join(''));
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

  it('a pasted block is slowed down, not dropped: every line arrives, in order', async () => {
    const h = await harness({ args: ['--flood-rate', '200', '--flood-burst', '5', '--flood-queue', '1000'] });
    try {
      const paster = await h.user('paster');
      paster.sendRaw(Array.from({ length: 300 }, (_, i) => `PRIVMSG paster :paste ${i}\r\n`).join(''));
      await paster.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'paste 299');
      const got = paster.messages.filter((m) => m.command === 'PRIVMSG').map((m) => m.params[1]);
      assert.deepEqual(got, Array.from({ length: 300 }, (_, i) => `paste ${i}`));
      assert.ok(paster.isOpen, 'not disconnected');
      assert.equal(paster.messages.filter((m) => m.command === 'ERROR').length, 0);
    } finally {
      await h.stop();
    }
  });

  it('while flood control holds lines the server stops reading, so what the client sends next waits in TCP', async () => {
    // Reading stops at a tenth of --flood-queue (5 held lines); 50 held would be Excess Flood.
    const h = await harness({ args: ['--flood-rate', '20', '--flood-burst', '1', '--flood-queue', '50'] });
    try {
      const c = await h.user('typist');
      c.sendRaw(Array.from({ length: 20 }, (_, i) => `PRIVMSG typist :first ${i}\r\n`).join(''));
      // The first line ran at once: the whole write was read, 19 lines are held, reading stopped.
      await c.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'first 0');
      // Read now, these 40 would make 59 held lines (Excess Flood); unread, they wait their turn.
      c.sendRaw(Array.from({ length: 40 }, (_, i) => `PRIVMSG typist :then ${i}\r\n`).join(''));
      await c.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'then 39');
      const got = c.messages.filter((m) => m.command === 'PRIVMSG').map((m) => m.params[1]);
      assert.deepEqual(got, [...Array.from({ length: 20 }, (_, i) => `first ${i}`), ...Array.from({ length: 40 }, (_, i) => `then ${i}`)]);
      assert.equal(c.messages.filter((m) => m.command === 'ERROR').length, 0);
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
