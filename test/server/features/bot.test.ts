// Bot mode: user mode +B (ISUPPORT BOT=B, in 004), the `bot` tag on its messages for message-tags
// clients, WHO flag B and WHOIS 335.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RPL_ENDOFWHOIS, RPL_MYINFO, RPL_WHOREPLY } from '../../../src/protocol/numerics.ts';
import { harness, joinRoom, type Harness } from '../helpers.ts';
import { MODERN_CAPS } from './helpers.ts';

describe('bot mode', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => {
    await h.stop();
  });

  it('marks a +B client in messages, WHO and WHOIS', async () => {
    const bot = await h.user('buildbot', { caps: MODERN_CAPS });
    const iso = bot.messages.filter((m) => m.command === '005').flatMap((m) => m.params);
    assert.ok(iso.includes('BOT=B'));
    assert.match(bot.messages.find((m) => m.command === RPL_MYINFO)!.params[3]!, /B/);
    const human = await h.user('human', { caps: MODERN_CAPS });
    const stock = await h.user('stocky', { caps: [] });
    for (const c of [bot, human, stock]) await joinRoom(c, '#ci');
    bot.send('MODE buildbot +B');
    assert.deepEqual((await bot.waitFor('MODE')).params, ['buildbot', '+B']);
    bot.send('PRIVMSG #ci :build 42 passed');
    const m = await human.waitFor('PRIVMSG');
    assert.equal(m.tags['bot'], '');
    const plain = await stock.waitFor('PRIVMSG');
    assert.deepEqual(plain.tags, {});
    human.send('WHO #ci');
    const rows = await human.collectUntil('315');
    const row = rows.find((r) => r.command === RPL_WHOREPLY && r.params[5] === 'buildbot')!;
    assert.match(row.params[6]!, /^HB/);
    human.send('WHOIS buildbot');
    const whois = await human.collectUntil(RPL_ENDOFWHOIS);
    const b = whois.find((r) => r.command === '335');
    assert.ok(b, 'RPL_WHOISBOT');
    assert.equal(b.params[1], 'buildbot');
    bot.send('MODE buildbot -B');
    await bot.waitFor('MODE');
    bot.send('PRIVMSG #ci :human again');
    assert.equal((await human.waitFor('PRIVMSG')).tags['bot'], undefined);
  });
});
