// Issue 11: "a burst of wrong passwords from one address does not delay other users' logins".
// Measured, not asserted (no timing assertions): the test prints how long a SASL login takes alone
// and while one address fires wrong passwords from many connections at once, and asserts what a
// user notices: the logins succeed, and the burst is refused rather than hashed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ERR_SASLFAIL, RPL_SASLSUCCESS } from '../../src/protocol/numerics.ts';
import { IrcTestClient, startServer, type RunningServer } from '../helpers/index.ts';

const ATTACKER = '127.0.0.2';
const CONNECTIONS = 40;
const LOGINS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

describe('login fairness under a password-guessing burst', () => {
  let srv: RunningServer;
  before(async () => {
    srv = await startServer();
    const c = await IrcTestClient.connect(srv.port);
    await c.register('steady');
    c.send('REGISTER * * steady-password');
    await c.waitFor('REGISTER');
    c.destroy();
  });
  after(async () => {
    await srv.stop();
  });

  /** Connect → 903 for the steady user, in ms. */
  async function timedLogin(i: number): Promise<number> {
    const t0 = performance.now();
    const c = await IrcTestClient.connect(srv.port);
    await c.register(`steady${i}`, { sasl: { account: 'steady', password: 'steady-password' } });
    const ms = performance.now() - t0;
    assert.ok(c.messages.some((m) => m.command === RPL_SASLSUCCESS), 'the login succeeds');
    c.destroy();
    return ms;
  }

  it('reports login latency alone and during the burst; the burst is refused, the logins succeed', async (t) => {
    const alone: number[] = [];
    for (let i = 0; i < LOGINS; i++) alone.push(await timedLogin(i));

    // The burst: every connection from one address sends a wrong password for a different account,
    // all at once, again as soon as it is answered, until the server drops it.
    const answers: string[] = [];
    const attackers = await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, i) => {
        const c = await IrcTestClient.connect(srv.port, { localAddress: ATTACKER });
        c.send('CAP LS 302');
        c.send(`NICK burst${i}`);
        c.send('USER b 0 * :b');
        return c;
      }),
    );
    const payload = (i: number) => Buffer.from(`acct${i}\0acct${i}\0wrong-password`).toString('base64');
    const burst = Promise.all(
      attackers.map(async (c, i) => {
        for (;;) {
          c.send('AUTHENTICATE PLAIN');
          c.send(`AUTHENTICATE ${payload(i)}`);
          const r = await c.waitFor(ERR_SASLFAIL, 60_000).catch(() => null); // null: dropped
          if (r === null) return;
          answers.push(r.params[1]!);
        }
      }),
    );
    const during: number[] = [];
    for (let i = 0; i < LOGINS; i++) during.push(await timedLogin(100 + i));
    await burst;

    const wrong = answers.filter((a) => a.includes('wrong account name or password')).length;
    const refused = answers.length - wrong;
    t.diagnostic(`SASL login p50: alone ${median(alone).toFixed(1)} ms, during a burst from one address ${median(during).toFixed(1)} ms`);
    t.diagnostic(`burst: ${answers.length} wrong passwords from ${CONNECTIONS} connections; ${wrong} hashed, ${refused} refused without hashing`);
    assert.ok(wrong <= 10, `at most the free failures and the queue's few are hashed, got ${wrong}`);
    assert.ok(answers.some((a) => /in progress|try again/.test(a)), 'the burst is told to wait');
  });
});
