// WHOWAS against the real server: nicks left by QUIT, by a dropped connection and by NICK, the
// count, unknown nicks, a missing nick, and irssi's `WHOWAS nick 1`. Plus the bounded history itself.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { casefold } from '../../../src/protocol/casemap.ts';
import {
  ERR_NONICKNAMEGIVEN,
  ERR_WASNOSUCHNICK,
  RPL_ENDOFWHOWAS,
  RPL_WHOISSERVER,
  RPL_WHOWASUSER,
} from '../../../src/protocol/numerics.ts';
import { WhowasHistory, type WhowasEntry } from '../../../src/server/features/whowas.ts';
import type { IrcTestClient } from '../../helpers/index.ts';
import { harness, joinRoom, type Harness } from '../helpers.ts';

/** Waits until `watcher` sees `nick` leave #ww (the server has handled the QUIT by then). */
async function quitSeen(watcher: IrcTestClient, nick: string): Promise<void> {
  await watcher.waitFor((m) => m.command === 'QUIT' && m.source?.startsWith(`${nick}!`) === true);
  watcher.skipAll(); // the JOINs of the leaver before it
}

describe('WHOWAS', () => {
  let h: Harness;
  let watcher: IrcTestClient;
  before(async () => {
    h = await harness();
    watcher = await h.user('wwatch');
    await joinRoom(watcher, '#ww');
  });
  after(async () => {
    await h.stop();
  });

  it('remembers a nick after QUIT: 314 with user, host and realname, 312 with the server, then 369', async () => {
    const gone = await h.user('wwgone', { user: 'gu', realname: 'Gone Person' });
    await joinRoom(gone, '#ww');
    gone.send('QUIT :bye');
    await quitSeen(watcher, 'wwgone');
    watcher.send('WHOWAS WWGone'); // casefolded lookup
    const lines = await watcher.collectUntil(RPL_ENDOFWHOWAS);
    const user = lines.find((m) => m.command === RPL_WHOWASUSER);
    assert.deepEqual(user?.params, ['wwatch', 'wwgone', 'gu', '127.0.0.1', '*', 'Gone Person']);
    const srv = lines.find((m) => m.command === RPL_WHOISSERVER);
    assert.equal(srv?.params[1], 'wwgone');
    assert.equal(srv?.params[2], 'chatroom.local');
    assert.match(srv?.params[3] ?? '', /GMT$/, 'the info says when the nick was left');
    assert.equal(lines.at(-1)?.params[1], 'WWGone');
    assert.equal(lines.filter((m) => m.command === ERR_WASNOSUCHNICK).length, 0);
  });

  it('remembers a nick whose connection dropped without QUIT', async () => {
    const gone = await h.user('wwdrop');
    await joinRoom(gone, '#ww');
    gone.destroy();
    await quitSeen(watcher, 'wwdrop');
    watcher.send('WHOWAS wwdrop');
    const lines = await watcher.collectUntil(RPL_ENDOFWHOWAS);
    assert.equal(lines.filter((m) => m.command === RPL_WHOWASUSER && m.params[1] === 'wwdrop').length, 1);
  });

  it('remembers the old nick after a NICK change, newest first, and honours the count', async () => {
    const c = await h.user('wwold', { realname: 'First' });
    await joinRoom(c, '#ww');
    c.send('NICK wwnew');
    await watcher.waitFor((m) => m.command === 'NICK' && m.params[0] === 'wwnew');
    c.send('NICK wwold'); // back, then away again: wwold now has two entries
    await watcher.waitFor((m) => m.command === 'NICK' && m.params[0] === 'wwold');
    c.send('NICK wwthird');
    await watcher.waitFor((m) => m.command === 'NICK' && m.params[0] === 'wwthird');

    watcher.send('WHOWAS wwold');
    const all = (await watcher.collectUntil(RPL_ENDOFWHOWAS)).filter((m) => m.command === RPL_WHOWASUSER);
    assert.equal(all.length, 2);
    assert.ok(all.every((m) => m.params[1] === 'wwold' && m.params[5] === 'First'));

    watcher.send('WHOWAS wwold 1');
    const one = await watcher.collectUntil(RPL_ENDOFWHOWAS);
    assert.equal(one.filter((m) => m.command === RPL_WHOWASUSER).length, 1);
    assert.equal(one.filter((m) => m.command === RPL_WHOISSERVER).length, 1);

    // The nick in use now is not in the history; the one left in between is.
    watcher.send('WHOWAS wwthird');
    const now = await watcher.collectUntil(RPL_ENDOFWHOWAS);
    assert.equal(now.find((m) => m.command === ERR_WASNOSUCHNICK)?.params[1], 'wwthird');
    watcher.send('WHOWAS wwnew');
    const between = await watcher.collectUntil(RPL_ENDOFWHOWAS);
    assert.equal(between.filter((m) => m.command === RPL_WHOWASUSER).length, 1);
  });

  it('answers irssi-style `WHOWAS nick 1` (what /whowas sends) with one entry and the end marker', async () => {
    const c = await h.user('wwirssi', { user: 'irssi', realname: 'Irssi User' });
    await joinRoom(c, '#ww');
    await c.close();
    await quitSeen(watcher, 'wwirssi');
    watcher.send('WHOWAS wwirssi 1');
    const lines = await watcher.collectUntil(RPL_ENDOFWHOWAS);
    assert.deepEqual(
      lines.map((m) => m.command),
      [RPL_WHOWASUSER, RPL_WHOISSERVER, RPL_ENDOFWHOWAS],
    );
    assert.equal(lines[0]?.params[2], 'irssi');
  });

  it('an unknown nick gets 406 then 369; a list answers each nick and ends once', async () => {
    watcher.skipAll();
    watcher.send('WHOWAS nosuchnick');
    const lines = await watcher.collectUntil(RPL_ENDOFWHOWAS);
    assert.deepEqual(lines.map((m) => m.command), [ERR_WASNOSUCHNICK, RPL_ENDOFWHOWAS]);
    assert.deepEqual(lines[0]?.params.slice(1, 2), ['nosuchnick']);
    assert.equal(lines[1]?.params[1], 'nosuchnick');

    watcher.send('WHOWAS nosuchnick,wwgone');
    const both = await watcher.collectUntil(RPL_ENDOFWHOWAS);
    assert.deepEqual(both.map((m) => m.command), [ERR_WASNOSUCHNICK, RPL_WHOWASUSER, RPL_WHOISSERVER, RPL_ENDOFWHOWAS]);
  });

  it('no nick: 431, and nothing else', async () => {
    watcher.send('WHOWAS');
    const r = await watcher.waitFor((m) => m.command === ERR_NONICKNAMEGIVEN);
    assert.equal(r.params[0], 'wwatch');
    await watcher.sync();
    assert.deepEqual(watcher.unreturned((m) => m.command === RPL_ENDOFWHOWAS), []);
  });
});

describe('WhowasHistory', () => {
  const entry = (nick: string, i: number): WhowasEntry => ({ nick, user: 'u', host: 'h', realname: `r${i}`, leftAt: i });

  it('keeps at most its capacity server-wide, dropping the oldest', () => {
    const h = new WhowasHistory((n) => casefold(n), 5, 3);
    for (let i = 0; i < 12; i++) h.add(entry(`n${i}`, i));
    assert.equal(h.size, 5);
    assert.equal(h.lookup('n6').length, 0);
    assert.equal(h.lookup('N7')[0]?.realname, 'r7');
    assert.equal(h.lookup('n11')[0]?.realname, 'r11');
  });

  it('keeps a few per nick, newest first, and stays bounded when one nick churns', () => {
    const h = new WhowasHistory((n) => casefold(n), 5, 3);
    h.add(entry('other', -1));
    for (let i = 0; i < 1000; i++) h.add(entry(i % 2 === 0 ? 'Churn' : 'churn', i));
    assert.deepEqual(h.lookup('CHURN').map((e) => e.realname), ['r999', 'r998', 'r997']);
    assert.deepEqual(h.lookup('churn', 2).map((e) => e.realname), ['r999', 'r998']);
    assert.equal(h.lookup('other').length, 0, 'the ring dropped it');
    assert.ok(h.size <= 5);
  });
});
