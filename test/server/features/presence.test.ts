// Presence: AWAY with away-notify (to those sharing a room, once each; on JOIN while away; to a joiner,
// for the members away already), the busy convention, WHO/WHOX flags and account, MONITOR (+ - C L S,
// 730-734, online/offline/nick changes) and extended-monitor away changes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ERR_MONLISTFULL,
  RPL_AWAY,
  RPL_ENDOFMONLIST,
  RPL_ENDOFWHO,
  RPL_MONLIST,
  RPL_MONOFFLINE,
  RPL_MONONLINE,
  RPL_NOWAWAY,
  RPL_UNAWAY,
  RPL_WHOREPLY,
  RPL_WHOSPCRPL,
} from '../../../src/protocol/numerics.ts';
import { harness, joinRoom, type Harness } from '../helpers.ts';
import { MODERN_CAPS, newAccount } from './helpers.ts';

const isAway = (nick: string) => (m: { command: string; source?: string }) => m.command === 'AWAY' && m.source?.startsWith(`${nick}!`) === true;

describe('away-notify and busy', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => {
    await h.stop();
  });

  it('tells room peers with away-notify, once each, and not those without it', async () => {
    const amy = await h.user('amy', { caps: MODERN_CAPS });
    const ben = await h.user('ben', { caps: MODERN_CAPS });
    const old = await h.user('oldclient', { caps: [] });
    for (const c of [amy, ben, old]) {
      await joinRoom(c, '#one');
      await joinRoom(c, '#two');
    }
    amy.send('AWAY :[busy] in a meeting');
    await amy.waitFor(RPL_NOWAWAY);
    const a = await ben.waitFor(isAway('amy'));
    assert.deepEqual(a.params, ['[busy] in a meeting']);
    assert.ok(a.tags['time']);
    // Busy is away for IRC: 301 to a sender, G in WHO.
    old.send('PRIVMSG amy :got a minute?');
    const r = await old.waitFor(RPL_AWAY);
    assert.deepEqual(r.params.slice(1), ['amy', '[busy] in a meeting']);
    old.send('WHO amy');
    const who = await old.waitFor(RPL_WHOREPLY);
    assert.match(who.params[6]!, /^G/);
    amy.send('AWAY');
    await amy.waitFor(RPL_UNAWAY);
    const back = await ben.waitFor(isAway('amy'));
    assert.deepEqual(back.params, []);
    await ben.sync();
    assert.equal(ben.unreturned(isAway('amy')).length, 0, 'two shared rooms, one AWAY each time');
    await old.sync();
    assert.equal(old.unreturned((m) => m.command === 'AWAY').length, 0, 'nothing for a client without away-notify');
  });

  it('announces a user who joins while away', async () => {
    const cat = await h.user('cat', { caps: MODERN_CAPS });
    await joinRoom(cat, '#three');
    const dan = await h.user('dan', { caps: MODERN_CAPS });
    dan.send('AWAY :lunch');
    await dan.waitFor(RPL_NOWAWAY);
    await joinRoom(dan, '#three');
    await cat.waitFor((m) => m.command === 'JOIN' && m.source?.startsWith('dan!') === true);
    const a = await cat.waitFor(isAway('dan'));
    assert.deepEqual(a.params, ['lunch']);
  });

  it('tells a joiner with away-notify who is away already, with the text (so busy is busy)', async () => {
    const fay = await h.user('fay', { caps: MODERN_CAPS });
    const gus = await h.user('gus', { caps: MODERN_CAPS });
    const here = await h.user('here', { caps: MODERN_CAPS });
    for (const c of [fay, gus, here]) await joinRoom(c, '#four');
    fay.send('AWAY :[busy] release');
    gus.send('AWAY :lunch');
    await fay.waitFor(RPL_NOWAWAY);
    await gus.waitFor(RPL_NOWAWAY);
    const late = await h.user('late', { caps: MODERN_CAPS });
    const old = await h.user('oldjoiner', { caps: [] });
    late.send('JOIN #four');
    const seen = await late.collectUntil(isAway('gus'));
    await joinRoom(old, '#four');
    const endOfNames = seen.findIndex((m) => m.command === '366');
    const fayAway = seen.findIndex(isAway('fay'));
    assert.ok(endOfNames >= 0 && fayAway > endOfNames, `after NAMES, so the members are known: ${seen.map((m) => m.command).join(' ')}`);
    assert.deepEqual(seen[fayAway]!.params, ['[busy] release']);
    assert.deepEqual(seen.at(-1)!.params, ['lunch']);
    await late.sync();
    assert.equal(late.unreturned(isAway('here')).length, 0, 'members who are not away are not listed');
    await old.sync();
    assert.equal(old.unreturned((m) => m.command === 'AWAY').length, 0, 'nothing for a client without away-notify');
  });

  it('WHOX shows the away flag and the account', async () => {
    const eve = await newAccount(h, 'eve');
    await joinRoom(eve, '#whox');
    eve.send('AWAY :gone');
    await eve.waitFor(RPL_NOWAWAY);
    const q = await h.user('quizzer');
    q.send('WHO #whox %tnfa,42');
    const r = await q.waitFor(RPL_WHOSPCRPL);
    assert.deepEqual(r.params.slice(1), ['42', 'eve', 'G@', 'eve']);
    await q.waitFor(RPL_ENDOFWHO);
  });
});

describe('MONITOR', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => {
    await h.stop();
  });

  it('is advertised and reports online/offline on + and S', async () => {
    const w = await h.user('watcher', { caps: MODERN_CAPS });
    const iso = w.messages.filter((m) => m.command === '005').flatMap((m) => m.params);
    assert.ok(iso.includes('MONITOR=100'));
    await h.user('present');
    w.send('MONITOR + present,absent');
    const on = await w.waitFor(RPL_MONONLINE);
    assert.match(on.params[1]!, /^present!present@/);
    const off = await w.waitFor(RPL_MONOFFLINE);
    assert.equal(off.params[1], 'absent');
    w.send('MONITOR L');
    const list = await w.waitFor(RPL_MONLIST);
    assert.deepEqual(list.params[1]!.split(',').sort(), ['absent', 'present']);
    await w.waitFor(RPL_ENDOFMONLIST);
    w.send('MONITOR S');
    await w.waitFor(RPL_MONONLINE);
    await w.waitFor(RPL_MONOFFLINE);
  });

  it('notifies on connect, nick change and quit; - and C stop it', async () => {
    const w = await h.user('w2', { caps: MODERN_CAPS });
    w.send('MONITOR + friend,Renamed');
    await w.waitFor(RPL_MONOFFLINE);
    const f = await h.user('friend');
    const on = await w.waitFor(RPL_MONONLINE);
    assert.match(on.params[1]!, /^friend!/);
    f.send('NICK renamed');
    const gone = await w.waitFor(RPL_MONOFFLINE);
    assert.equal(gone.params[1], 'friend');
    const renamed = await w.waitFor(RPL_MONONLINE);
    assert.match(renamed.params[1]!, /^renamed!/, 'case-insensitive match');
    f.send('NICK RENAMED'); // the same nick in another case: nobody went on- or offline
    await f.waitFor('NICK');
    await w.sync();
    assert.deepEqual(w.unreturned((m) => m.command === RPL_MONONLINE || m.command === RPL_MONOFFLINE), []);
    await f.close();
    const quit = await w.waitFor(RPL_MONOFFLINE);
    assert.equal(quit.params[1], 'RENAMED');
    w.send('MONITOR - renamed');
    w.send('MONITOR C');
    await w.sync();
    await h.user('friend');
    await w.sync();
    assert.deepEqual(w.unreturned((m) => m.command === RPL_MONONLINE), []);
    w.send('MONITOR L');
    await w.waitFor(RPL_ENDOFMONLIST);
    assert.equal(w.unreturned((m) => m.command === RPL_MONLIST).length, 0);
  });

  it('refuses past the limit with 734', async () => {
    const w = await h.user('greedy', { caps: MODERN_CAPS });
    const nicks = Array.from({ length: 100 }, (_, i) => `n${i}`);
    for (let i = 0; i < nicks.length; i += 25) w.send(`MONITOR + ${nicks.slice(i, i + 25).join(',')}`);
    w.send('MONITOR + onemore,twomore');
    const full = await w.waitFor(ERR_MONLISTFULL);
    assert.deepEqual(full.params.slice(1, 3), ['100', 'onemore,twomore']);
  });

  it('with extended-monitor + away-notify, away changes of monitored users', async () => {
    const w = await h.user('w3', { caps: [...MODERN_CAPS, 'extended-monitor'] });
    const plain = await h.user('w4', { caps: MODERN_CAPS });
    w.send('MONITOR + busybee');
    plain.send('MONITOR + busybee');
    await w.waitFor(RPL_MONOFFLINE);
    await plain.waitFor(RPL_MONOFFLINE);
    const b = await h.user('busybee');
    await w.waitFor(RPL_MONONLINE);
    b.send('AWAY :[busy] focus time');
    const a = await w.waitFor(isAway('busybee'));
    assert.deepEqual(a.params, ['[busy] focus time']);
    await plain.sync();
    assert.equal(plain.unreturned(isAway('busybee')).length, 0, 'without extended-monitor: only 730/731');
    // A watcher who starts monitoring an away user learns it right after the 730.
    const late = await h.user('w5', { caps: [...MODERN_CAPS, 'extended-monitor'] });
    late.send('MONITOR + busybee');
    const lines = await late.collectUntil(isAway('busybee'));
    assert.ok(lines.some((m) => m.command === RPL_MONONLINE));
    assert.deepEqual(lines.at(-1)!.params, ['[busy] focus time']);
  });
});
