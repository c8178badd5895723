// Accounts: draft/account-registration (REGISTER), SASL PLAIN, nick ownership, account-tag,
// account-notify, extended-join, --require-login and --register-before-connect.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ERR_NEEDREGGEDNICK,
  ERR_NICKNAMEINUSE,
  ERR_SASLABORTED,
  ERR_SASLALREADY,
  ERR_SASLFAIL,
  ERR_SASLTOOLONG,
  RPL_LOGGEDIN,
  RPL_SASLMECHS,
  RPL_SASLSUCCESS,
  RPL_WELCOME,
  RPL_WHOISACCOUNT,
} from '../../src/protocol/numerics.ts';
import { harness, joinRoom, type Harness } from './helpers.ts';

const isFail = (code: string) => (m: { command: string; params: string[] }) => m.command === 'FAIL' && m.params[1] === code;

describe('accounts', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => {
    await h.stop();
  });

  it('registers an account with REGISTER and logs in with it', async () => {
    const c = await h.user('alice', { caps: ['draft/account-registration'] });
    assert.equal(c.serverCaps.get('draft/account-registration'), '', 'no before-connect by default');
    c.send('REGISTER * * hunter22hunter');
    const ok = await c.waitFor('REGISTER');
    assert.deepEqual(ok.params.slice(0, 2), ['SUCCESS', 'alice']);
    const logged = await c.waitFor(RPL_LOGGEDIN);
    assert.equal(logged.params[2], 'alice');
    c.send('REGISTER * * another-password');
    await c.waitFor(isFail('ALREADY_AUTHENTICATED'));
    c.send('WHOIS alice');
    assert.equal((await c.waitFor(RPL_WHOISACCOUNT)).params[2], 'alice');
  });

  it('refuses bad REGISTER requests with the spec codes', async () => {
    const c = await h.user('bob');
    c.send('REGISTER * * short');
    await c.waitFor(isFail('WEAK_PASSWORD'));
    c.send('REGISTER someoneelse * long-enough-pw');
    await c.waitFor(isFail('ACCOUNT_NAME_MUST_BE_NICK'));
    c.send('REGISTER * not-an-email long-enough-pw');
    await c.waitFor(isFail('INVALID_EMAIL'));
    c.send('VERIFY bob 1234');
    await c.waitFor(isFail('INVALID_CODE'));
    const d = await h.connect();
    d.send('NICK early');
    d.send('REGISTER * * long-enough-pw');
    await d.waitFor(isFail('COMPLETE_CONNECTION_REQUIRED'));
  });

  it('logs in with SASL PLAIN and reports failures', async () => {
    const owner = await h.user('sasluser');
    owner.send('REGISTER * * correct-horse');
    await owner.waitFor(RPL_LOGGEDIN);
    await owner.close();

    const good = await h.connect();
    await good.register('sasluser', { sasl: { account: 'sasluser', password: 'correct-horse' } });
    assert.ok(good.messages.some((m) => m.command === RPL_LOGGEDIN && m.params[2] === 'sasluser'));
    good.send('AUTHENTICATE PLAIN');
    await good.waitFor(ERR_SASLALREADY);

    const bad = await h.connect();
    await assert.rejects(bad.register('wrongpw', { sasl: { account: 'sasluser', password: 'nope' } }), /904/);

    const c = await h.connect();
    c.send('CAP LS 302');
    c.send('CAP REQ :sasl');
    await c.waitFor((m) => m.command === 'CAP' && m.params[1] === 'ACK');
    c.send('AUTHENTICATE SCRAM-SHA-256');
    assert.equal((await c.waitFor(RPL_SASLMECHS)).params[1], 'PLAIN');
    await c.waitFor(ERR_SASLFAIL);
    c.send('AUTHENTICATE PLAIN');
    await c.waitFor((m) => m.command === 'AUTHENTICATE' && m.params[0] === '+');
    c.send('AUTHENTICATE *');
    await c.waitFor(ERR_SASLABORTED);
    c.send('AUTHENTICATE PLAIN');
    await c.waitFor((m) => m.command === 'AUTHENTICATE');
    c.send(`AUTHENTICATE ${'A'.repeat(401)}`);
    await c.waitFor(ERR_SASLTOOLONG);
    // A payload of exactly 400 bytes is followed by "+" (SASL 3.1 chunking).
    c.send('AUTHENTICATE PLAIN');
    await c.waitFor((m) => m.command === 'AUTHENTICATE');
    const long = 'x'.repeat(300 - '\0sasluser\0correct-horse'.length);
    const payload = Buffer.from(`\0sasluser\0correct-horse${long}`).toString('base64');
    assert.equal(payload.length, 400);
    c.send(`AUTHENTICATE ${payload}`);
    c.send('AUTHENTICATE +');
    await c.waitFor(ERR_SASLFAIL); // wrong password, but the chunks were joined and checked
  });

  it('keeps a registered nick for its account', async () => {
    const owner = await h.user('keeper');
    owner.send('REGISTER * * keeper-password');
    await owner.waitFor(RPL_LOGGEDIN);
    await owner.close();
    // Someone else cannot take it...
    const thief = await h.connect();
    thief.send('NICK keeper');
    thief.send('USER t 0 * :t');
    const refused = await thief.waitFor(ERR_NICKNAMEINUSE);
    assert.match(refused.params.at(-1)!, /registered/);
    thief.send('NICK thief');
    await thief.waitFor(RPL_WELCOME);
    thief.send('NICK keeper');
    await thief.waitFor(ERR_NICKNAMEINUSE);
    // ...but its owner can, after logging in with SASL.
    const back = await h.connect();
    await back.register('keeper', { sasl: { account: 'keeper', password: 'keeper-password' } });
  });

  it('tags messages with the account and tells peers about logins and joins', async () => {
    const watcher = await h.user('watcher', { caps: ['account-tag', 'account-notify', 'extended-join'] });
    await joinRoom(watcher, '#acct');
    const u = await h.user('tagged');
    await joinRoom(u, '#acct');
    const j1 = await watcher.waitFor((m) => m.command === 'JOIN' && m.source?.startsWith('tagged!') === true);
    assert.deepEqual(j1.params, ['#acct', '*', 'tagged (test)'], 'extended-join without account');
    u.send('REGISTER * * tagged-password');
    const acc = await watcher.waitFor('ACCOUNT');
    assert.deepEqual(acc.params, ['tagged']);
    u.send('PRIVMSG #acct :hello');
    const m = await watcher.waitFor('PRIVMSG');
    assert.equal(m.tags['account'], 'tagged');
  });
});

describe('account options', () => {
  it('--register-before-connect allows REGISTER during registration and says so', async () => {
    const h = await harness({ args: ['--register-before-connect'] });
    try {
      const c = await h.connect();
      c.send('CAP LS 302');
      const ls = await c.waitFor('CAP');
      assert.match(ls.params.at(-1)!, /draft\/account-registration=before-connect/);
      c.send('NICK early');
      c.send('USER e 0 * :e');
      c.send('REGISTER * * early-password');
      await c.waitFor((m) => m.command === 'REGISTER' && m.params[0] === 'SUCCESS');
      c.send('CAP END');
      await c.waitFor(RPL_WELCOME);
    } finally {
      await h.stop();
    }
  });

  it('--require-login refuses to let anonymous users talk or join', async () => {
    const h = await harness({ args: ['--require-login'] });
    try {
      const anon = await h.user('anon');
      await anon.waitFor((m) => m.command === 'NOTICE' && /requires an account/.test(m.params[1] ?? ''));
      anon.send('JOIN #x');
      await anon.waitFor(ERR_NEEDREGGEDNICK);
      anon.send('PRIVMSG anon :hi');
      await anon.waitFor(ERR_NEEDREGGEDNICK);
      const member = await h.user('member');
      member.send('REGISTER * * member-password');
      await member.waitFor(RPL_LOGGEDIN);
      await joinRoom(member, '#x');
      member.send('PRIVMSG #x :allowed');
      await member.sync();
      assert.equal(member.messages.filter((m) => m.command === ERR_NEEDREGGEDNICK).length, 0);
    } finally {
      await h.stop();
    }
  });
});
