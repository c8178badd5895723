// WHO (with WHOX), WHOIS (account, away, channels, operator), ISON, USERHOST, LUSERS, VERSION, TIME, MOTD.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ERR_NOMOTD,
  ERR_NOSUCHNICK,
  RPL_AWAY,
  RPL_ENDOFWHO,
  RPL_ENDOFWHOIS,
  RPL_ISON,
  RPL_LUSERCLIENT,
  RPL_LUSERME,
  RPL_LOGGEDIN,
  RPL_TIME,
  RPL_USERHOST,
  RPL_VERSION,
  RPL_WHOISACCOUNT,
  RPL_WHOISCHANNELS,
  RPL_WHOISIDLE,
  RPL_WHOISSERVER,
  RPL_WHOISUSER,
  RPL_WHOREPLY,
  RPL_WHOSPCRPL,
} from '../../../src/protocol/numerics.ts';
import { harness, joinRoom, type Harness } from '../helpers.ts';

describe('queries', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => {
    await h.stop();
  });

  it('WHO lists room members with away flag and prefix; WHOX adds the account', async () => {
    const a = await h.user('whoa', { realname: 'Who A' });
    a.send('REGISTER * * whoa-password');
    await a.waitFor(RPL_LOGGEDIN);
    const b = await h.user('whob');
    await joinRoom(a, '#who');
    await joinRoom(b, '#who');
    b.send('AWAY :gone');
    await b.waitFor('306');
    b.send('WHO #who');
    const rows = (await b.collectUntil(RPL_ENDOFWHO)).filter((m) => m.command === RPL_WHOREPLY);
    const byNick = new Map(rows.map((m) => [m.params[5], m]));
    assert.equal(byNick.get('whoa')?.params[6], 'H@');
    assert.equal(byNick.get('whob')?.params[6], 'G');
    assert.equal(byNick.get('whoa')?.params[7], '0 Who A');
    b.send('WHO #who %tnfa,42');
    const x = (await b.collectUntil(RPL_ENDOFWHO)).filter((m) => m.command === RPL_WHOSPCRPL);
    const xa = x.find((m) => m.params[2] === 'whoa');
    assert.deepEqual(xa?.params.slice(1), ['42', 'whoa', 'H@', 'whoa']);
    const xb = x.find((m) => m.params[2] === 'whob');
    assert.deepEqual(xb?.params.slice(1), ['42', 'whob', 'G', '0']);
    // multi-prefix: every prefix of a member with both +o and +v, else only the highest.
    a.send('MODE #who +v whoa');
    await b.waitFor((m) => m.command === 'MODE' && m.params[1] === '+v');
    b.send('WHO #who');
    const plain = (await b.collectUntil(RPL_ENDOFWHO)).find((m) => m.command === RPL_WHOREPLY && m.params[5] === 'whoa');
    assert.equal(plain?.params[6], 'H@');
    const mp = await h.user('whomp', { caps: ['multi-prefix'] });
    mp.send('WHO #who');
    const multi = (await mp.collectUntil(RPL_ENDOFWHO)).find((m) => m.command === RPL_WHOREPLY && m.params[5] === 'whoa');
    assert.equal(multi?.params[6], 'H@+');
    b.send('WHO whoa');
    assert.equal((await b.waitFor(RPL_WHOREPLY)).params[5], 'whoa');
    await b.waitFor(RPL_ENDOFWHO);
  });

  it('WHOIS shows user, rooms, account, away and idle; 401 for unknown nicks', async () => {
    const a = await h.user('isa', { realname: 'Isa Real' });
    a.send('REGISTER * * isa-password');
    await a.waitFor(RPL_LOGGEDIN);
    await joinRoom(a, '#isroom');
    a.send('AWAY :busy: in a meeting');
    await a.waitFor('306');
    const b = await h.user('isb');
    b.send('WHOIS isa');
    const all = await b.collectUntil(RPL_ENDOFWHOIS);
    const get = (code: string) => all.find((m) => m.command === code);
    assert.deepEqual(get(RPL_WHOISUSER)?.params.slice(1), ['isa', 'isa', '127.0.0.1', '*', 'Isa Real']);
    assert.equal(get(RPL_WHOISCHANNELS)?.params[2], '@#isroom');
    assert.ok(get(RPL_WHOISSERVER));
    assert.equal(get(RPL_AWAY)?.params[2], 'busy: in a meeting');
    assert.equal(get(RPL_WHOISACCOUNT)?.params[2], 'isa');
    assert.ok(get(RPL_WHOISIDLE));
    b.send('WHOIS nobodyhere');
    await b.waitFor(ERR_NOSUCHNICK);
    await b.waitFor(RPL_ENDOFWHOIS);
  });

  it('ISON, USERHOST, LUSERS, VERSION, TIME and MOTD answer', async () => {
    const a = await h.user('qa');
    a.send('ISON qa nobody QA');
    assert.equal((await a.waitFor(RPL_ISON)).params[1], 'qa qa');
    a.send('USERHOST qa');
    assert.equal((await a.waitFor(RPL_USERHOST)).params[1], 'qa=+qa@127.0.0.1');
    a.send('LUSERS');
    await a.waitFor(RPL_LUSERCLIENT);
    await a.waitFor(RPL_LUSERME);
    a.send('VERSION');
    assert.match((await a.waitFor(RPL_VERSION)).params[1]!, /chatroom/);
    a.send('TIME');
    await a.waitFor(RPL_TIME);
    a.send('MOTD');
    await a.waitFor(ERR_NOMOTD);
  });
});
