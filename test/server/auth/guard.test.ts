// Issue 11, "guessing is slow", over real sockets: failed SASL, OPER and PASS attempts back off per
// address and per account and drop the connection after a few; REGISTER is limited per address.
// Two users on two addresses: 127.0.0.1 and 127.0.0.2 (both loopback, distinct to the server).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ERR_PASSWDMISMATCH, ERR_SASLFAIL, RPL_SASLSUCCESS, RPL_WELCOME, RPL_YOUREOPER } from '../../../src/protocol/numerics.ts';
import { IrcTestClient, startServer, type RunningServer } from '../../helpers/index.ts';

const ATTACKER = '127.0.0.2';
const isFail = (code: string) => (m: { command: string; params: string[] }) => m.command === 'FAIL' && m.params[1] === code;

/** One SASL PLAIN exchange; resolves with the final numeric (903 or 904). */
async function sasl(c: IrcTestClient, account: string, password: string) {
  c.send('AUTHENTICATE PLAIN');
  const first = await c.waitFor((m) => (m.command === 'AUTHENTICATE' && m.params[0] === '+') || m.command === ERR_SASLFAIL);
  if (first.command === ERR_SASLFAIL) return first;
  c.send(`AUTHENTICATE ${Buffer.from(`${account}\0${account}\0${password}`).toString('base64')}`);
  return c.waitFor((m) => m.command === RPL_SASLSUCCESS || m.command === ERR_SASLFAIL);
}

describe('login throttling', () => {
  let srv: RunningServer;
  const clients: IrcTestClient[] = [];
  const connect = async (localAddress = '127.0.0.1', nick?: string) => {
    const c = await IrcTestClient.connect(srv.port, { localAddress });
    clients.push(c);
    if (nick !== undefined) await c.register(nick, { caps: ['sasl', 'draft/account-registration'] });
    return c;
  };
  const makeAccount = async (nick: string, password: string) => {
    const c = await connect('127.0.0.1', nick);
    c.send(`REGISTER * * ${password}`);
    assert.equal((await c.waitFor('REGISTER')).params[0], 'SUCCESS');
    c.send('QUIT');
    await c.closed;
  };

  before(async () => {
    srv = await startServer({ args: ['--oper', 'admin:oper-password', '--max-accounts-per-ip', '4'] });
    await makeAccount('victim', 'victim-password');
    await makeAccount('bystander', 'bystander-password');
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await srv.stop();
  });

  it('SASL: drops a connection after 3 failures; past the free ones, even the right password must wait', async () => {
    const a = await connect(ATTACKER, 'guesser1');
    for (let i = 0; i < 2; i++) assert.match((await sasl(a, 'victim', `guess${i}`)).params[1]!, /wrong account name or password/);
    assert.equal((await sasl(a, 'victim', 'guess2')).command, ERR_SASLFAIL);
    assert.match((await a.waitFor('ERROR')).params[0]!, /Too many failed login attempts/);
    await a.closed;

    // Failures 4 to 7 from this address (answers held back as the wait grows: 1 s, 2 s, 2 s).
    const b = await connect(ATTACKER, 'guesser2');
    for (let i = 3; i < 6; i++) await sasl(b, 'victim', `guess${i}`);
    await b.closed;
    const c = await connect(ATTACKER, 'guesser3');
    await sasl(c, 'victim', 'guess6');
    // The seventh started a 4 s wait, 2 s of which its answer took: the address is still waiting.
    const refused = await sasl(c, 'bystander', 'bystander-password');
    assert.match(refused.params[1]!, /Too many failed logins from your address: try again in \d+ s/);
    assert.ok(!c.messages.some((m) => m.command === RPL_SASLSUCCESS), 'the right password is not even tested while the address waits');
    // Everyone else logs in at once.
    const other = await connect('127.0.0.1', 'other1');
    assert.equal((await sasl(other, 'bystander', 'bystander-password')).command, RPL_SASLSUCCESS);
  });

  it('SASL: guesses at one account from many addresses make that account wait, and no other', async () => {
    await makeAccount('target', 'target-password');
    // Eight addresses, one guess each, at once: none of them reaches its own address limit.
    const guessers = await Promise.all(Array.from({ length: 8 }, (_, i) => connect(`127.0.1.${i + 1}`, `spread${i}`)));
    await Promise.all(guessers.map((g, i) => sasl(g, 'target', `wrong${i}`)));
    const owner = await connect('127.0.0.1', 'owner1');
    assert.match((await sasl(owner, 'target', 'target-password')).params[1]!, /Too many failed logins for this account: try again in \d+ s/);
    const other = await connect('127.0.0.1', 'other2');
    assert.equal((await sasl(other, 'bystander', 'bystander-password')).command, RPL_SASLSUCCESS);
  });

  it('OPER: a wrong password is answered 464, and three drop the connection', async () => {
    const c = await connect('127.0.0.3', 'operguess');
    c.send('OPER admin wrong1');
    await c.waitFor(ERR_PASSWDMISMATCH);
    c.send('OPER admin wrong2');
    c.send('OPER admin wrong3');
    await c.waitFor(ERR_PASSWDMISMATCH);
    await c.waitFor(ERR_PASSWDMISMATCH);
    assert.match((await c.waitFor('ERROR')).params[0]!, /Too many failed login attempts/);
    const ok = await connect('127.0.0.4', 'operok');
    ok.send('OPER admin oper-password');
    await ok.waitFor(RPL_YOUREOPER);
  });

  it('REGISTER: at most --max-accounts-per-ip accounts per address per hour, with a clear error', async () => {
    // 127.0.0.1 made three accounts above; --max-accounts-per-ip 4 allows one more.
    const c = await connect('127.0.0.1', 'third');
    c.send('REGISTER * * third-password');
    assert.equal((await c.waitFor('REGISTER')).params[0], 'SUCCESS');
    const d = await connect('127.0.0.1', 'fourth');
    d.send('REGISTER * * fourth-password');
    const refused = await d.waitFor(isFail('TEMPORARILY_UNAVAILABLE'));
    assert.match(refused.params.at(-1)!, /At most 4 accounts may be registered from one address per hour: try again in \d+ min/);
    const e = await connect('127.0.0.5', 'fifth');
    e.send('REGISTER * * fifth-password');
    assert.equal((await e.waitFor('REGISTER')).params[0], 'SUCCESS', 'another address is not affected');
  });
});

describe('login throttling: PASS', () => {
  it('a wrong server password closes the link; past the free ones from one address even the right one must wait', async () => {
    const srv = await startServer({ args: ['--server-password', 'team-secret'] });
    try {
      // Seven wrong passwords from one address, one after the other (answers held back 1, 2, 2 s
      // past the fifth): the last starts a 4 s wait, and its answer took 2 s of it.
      for (let i = 0; i < 7; i++) {
        const c = await IrcTestClient.connect(srv.port, { localAddress: ATTACKER });
        c.send(`PASS wrong${i}`);
        assert.equal((await c.waitFor(ERR_PASSWDMISMATCH)).params[1], 'Password incorrect');
        await c.closed;
      }
      const late = await IrcTestClient.connect(srv.port, { localAddress: ATTACKER });
      late.send('PASS team-secret');
      assert.match((await late.waitFor(ERR_PASSWDMISMATCH)).params[1]!, /Too many failed logins from your address: try again in \d+ s/);
      await late.closed;
      const user = await IrcTestClient.connect(srv.port);
      await user.register('teammate', { password: 'team-secret' });
      assert.ok(user.messages.some((m) => m.command === RPL_WELCOME));
      user.destroy();
    } finally {
      await srv.stop();
    }
  });
});
