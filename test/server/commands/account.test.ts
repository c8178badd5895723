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
} from '../../../src/protocol/numerics.ts';
import { harness, joinRoom, type Harness } from '../helpers.ts';

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
    const c = await h.user('bob', { caps: ['draft/account-registration'] });
    c.send('REGISTER * * short');
    await c.waitFor(isFail('WEAK_PASSWORD'));
    c.send('REGISTER someoneelse * long-enough-pw');
    await c.waitFor(isFail('ACCOUNT_NAME_MUST_BE_NICK'));
    c.send('REGISTER * not-an-email long-enough-pw');
    await c.waitFor(isFail('INVALID_EMAIL'));
    c.send('VERIFY bob 1234');
    await c.waitFor(isFail('INVALID_CODE'));
    const d = await h.connect();
    d.send('CAP LS 302');
    d.send('CAP REQ draft/account-registration');
    d.send('NICK early');
    d.send('REGISTER * * long-enough-pw');
    await d.waitFor(isFail('COMPLETE_CONNECTION_REQUIRED'));
  });

  it('answers REGISTER for an existing account with ACCOUNT_EXISTS, even after its nick was refused', async () => {
    const owner = await h.user('taken1', { caps: ['draft/account-registration'] });
    owner.send('REGISTER * * taken-password');
    await owner.waitFor(RPL_LOGGEDIN);
    const other = await h.user('other1', { caps: ['draft/account-registration'] });
    other.send('REGISTER taken1 * some-password');
    assert.deepEqual((await other.waitFor(isFail('ACCOUNT_EXISTS'))).params.slice(2, 3), ['taken1']);
    other.send('NICK taken1'); // refused at once: an account owns it
    await other.waitFor('433');
    const raw = await h.connect(); // a plain RFC client: no CAP, so NICK is refused at once too
    raw.send('NICK taken1');
    await raw.waitFor('433');
    const c = await h.connect(); // during CAP negotiation the nick is held tentatively
    c.send('CAP LS 302');
    c.send('CAP REQ draft/account-registration');
    await c.waitFor('CAP');
    c.send('NICK taken1');
    c.send('USER t 0 * :t');
    c.send('REGISTER * * some-password');
    await c.waitFor(isFail('COMPLETE_CONNECTION_REQUIRED')); // (no --register-before-connect here)
  });

  it('answers REGISTER with a NOTICE to a client that did not negotiate draft/account-registration', async () => {
    const c = await h.user('nocap');
    await c.sync();
    c.skipAll();
    c.send('REGISTER * * short');
    const weak = await c.waitFor('NOTICE');
    assert.match(weak.params[1]!, /^REGISTER failed \(WEAK_PASSWORD\): Passwords need at least 8 characters/);
    c.send('REGISTER * * long-enough-pw');
    const ok = await c.waitFor('NOTICE');
    assert.match(ok.params[1]!, /^REGISTER nocap: Account created/);
    await c.waitFor(RPL_LOGGEDIN);
    c.send('VERIFY nocap 1234');
    assert.match((await c.waitFor('NOTICE')).params[1]!, /^VERIFY failed \(INVALID_CODE\)/);
    await c.sync();
    assert.deepEqual(c.unreturned((m) => m.command === 'REGISTER' || m.command === 'FAIL' || m.command === 'VERIFY'), []);
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

  it('answers a SASL stream longer than allowed with one 905 and drops the rest of it', async () => {
    const c = await h.connect();
    c.send('CAP LS 302');
    c.send('CAP REQ :sasl');
    await c.waitFor((m) => m.command === 'CAP' && m.params[1] === 'ACK');
    c.send('AUTHENTICATE PLAIN');
    await c.waitFor((m) => m.command === 'AUTHENTICATE' && m.params[0] === '+');
    for (let i = 0; i < 8; i++) c.send(`AUTHENTICATE ${'A'.repeat(400)}`); // 3,200 bytes, past the limit
    c.send('AUTHENTICATE QUFB'); // its last chunk
    await c.sync();
    const answers = c.unreturned((m) => /^9\d\d$/.test(m.command)).map((m) => m.command);
    assert.deepEqual(answers, [ERR_SASLTOOLONG], 'one 905, then nothing for the rest of the stream');
    // The next exchange starts afresh.
    c.send('AUTHENTICATE PLAIN');
    await c.waitFor((m) => m.command === 'AUTHENTICATE' && m.params[0] === '+');
  });

  it('aborts an exchange still open when registration completes (906), and registers without an account', async () => {
    const c = await h.connect();
    c.send('CAP LS 302');
    c.send('CAP REQ :sasl');
    await c.waitFor((m) => m.command === 'CAP' && m.params[1] === 'ACK');
    c.send('NICK midsasl');
    c.send('USER m 0 * :m');
    c.send('AUTHENTICATE PLAIN');
    await c.waitFor((m) => m.command === 'AUTHENTICATE' && m.params[0] === '+');
    c.send('CAP END');
    await c.waitFor(ERR_SASLABORTED);
    await c.waitFor(RPL_WELCOME);
    // A client that never negotiated: its exchange ends when NICK and USER complete registration.
    const d = await h.connect();
    d.send('NICK rawsasl');
    d.send('AUTHENTICATE PLAIN');
    await d.waitFor((m) => m.command === 'AUTHENTICATE' && m.params[0] === '+');
    d.send('USER r 0 * :r');
    await d.waitFor(ERR_SASLABORTED);
    await d.waitFor(RPL_WELCOME);
    d.send(`AUTHENTICATE ${Buffer.from('\0rawsasl\0whatever-pw').toString('base64')}`);
    await d.waitFor(ERR_SASLFAIL); // taken as the start of a new exchange: an unknown mechanism
    await d.sync();
    assert.deepEqual(d.unreturned((m) => m.command === RPL_LOGGEDIN || m.command === ERR_SASLTOOLONG), [], 'not taken as the payload');
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
      c.send('CAP REQ draft/account-registration');
      c.send('NICK early');
      c.send('USER e 0 * :e');
      c.send('REGISTER * * early-password');
      await c.waitFor((m) => m.command === 'REGISTER' && m.params[0] === 'SUCCESS');
      c.send('CAP END');
      await c.waitFor(RPL_WELCOME);
      // Another client asking for that name while its NICK is held tentatively, or after a 433.
      const d = await h.connect();
      d.send('CAP LS 302');
      d.send('CAP REQ draft/account-registration');
      await d.waitFor('CAP');
      d.send('NICK early');
      d.send('REGISTER * * other-password');
      await d.waitFor((m) => m.command === 'FAIL' && m.params[1] === 'ACCOUNT_EXISTS');
      const e = await h.connect();
      e.send('NICK early');
      await e.waitFor('433');
      e.send('REGISTER * * other-password');
      await e.waitFor((m) => m.command === 'NOTICE' && /ACCOUNT_EXISTS/.test(m.params[1] ?? ''));
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
