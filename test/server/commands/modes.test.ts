// Room and user modes: +o +v +b (list, masks) +i +k +l +m +n +s +t, user +i/-o, with the
// refusals (482, 404, 473/474/475/471, 472, 502, 501).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ERR_BADCHANNELKEY,
  ERR_BANNEDFROMCHAN,
  ERR_CANNOTSENDTOCHAN,
  ERR_CHANNELISFULL,
  ERR_CHANOPRIVSNEEDED,
  ERR_UMODEUNKNOWNFLAG,
  ERR_UNKNOWNMODE,
  ERR_USERSDONTMATCH,
  RPL_BANLIST,
  RPL_CHANNELMODEIS,
  RPL_ENDOFBANLIST,
  RPL_UMODEIS,
} from '../../../src/protocol/numerics.ts';
import { harness, joinRoom, type Harness } from '../helpers.ts';

describe('modes', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => {
    await h.stop();
  });

  it('shows room modes and refuses changes from non-operators', async () => {
    const op = await h.user('mop');
    const user = await h.user('muser');
    await joinRoom(op, '#modes');
    await joinRoom(user, '#modes');
    user.send('MODE #modes');
    assert.deepEqual((await user.waitFor(RPL_CHANNELMODEIS)).params.slice(2), ['+nt']);
    user.send('MODE #modes +m');
    await user.waitFor(ERR_CHANOPRIVSNEEDED);
    op.send('MODE #modes +q');
    await op.waitFor(ERR_UNKNOWNMODE);
  });

  it('+o and +v give prefixes, +m mutes everyone else', async () => {
    const op = await h.user('mod');
    const talker = await h.user('talker');
    const quiet = await h.user('quiet');
    for (const c of [op, talker, quiet]) await joinRoom(c, '#muted');
    op.send('MODE #muted +mv talker');
    const mode = await quiet.waitFor('MODE');
    assert.deepEqual(mode.params, ['#muted', '+mv', 'talker']);
    quiet.send('PRIVMSG #muted :can I talk?');
    await quiet.waitFor(ERR_CANNOTSENDTOCHAN);
    talker.send('PRIVMSG #muted :I can');
    await quiet.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'I can');
    op.send('MODE #muted +o quiet');
    await quiet.waitFor((m) => m.command === 'MODE' && m.params[1] === '+o');
    quiet.send('NAMES #muted');
    const names = await quiet.waitFor((m) => m.command === '353' && m.params.at(-1)!.includes('@quiet'));
    assert.ok(names.params.at(-1)!.split(' ').includes('+talker'));
    quiet.send('MODE #muted -v talker'); // a new operator may moderate
    await talker.waitFor((m) => m.command === 'MODE' && m.params[1] === '-v');
  });

  it('+b with masks: lists, keeps banned users out and silent', async () => {
    const op = await h.user('bop');
    const bad = await h.user('baddie');
    await joinRoom(op, '#bans');
    await joinRoom(bad, '#bans');
    op.send('MODE #bans +b baddie');
    const m = await op.waitFor('MODE');
    assert.deepEqual(m.params, ['#bans', '+b', 'baddie!*@*']);
    bad.send('PRIVMSG #bans :spam');
    await bad.waitFor(ERR_CANNOTSENDTOCHAN);
    op.send('MODE #bans +b');
    const list = (await op.collectUntil(RPL_ENDOFBANLIST)).filter((x) => x.command === RPL_BANLIST);
    assert.deepEqual(list.map((x) => x.params[2]), ['baddie!*@*']);
    op.send('KICK #bans baddie');
    await bad.waitFor('KICK');
    bad.send('JOIN #bans');
    await bad.waitFor(ERR_BANNEDFROMCHAN);
    op.send('MODE #bans -b baddie!*@*');
    await op.waitFor((x) => x.command === 'MODE' && x.params[1] === '-b');
    await joinRoom(bad, '#bans');
  });

  it('+k, +l, +i, +s, -n gate who joins and who speaks', async () => {
    const op = await h.user('gate');
    await joinRoom(op, '#gated');
    op.send('MODE #gated +kl pass 2');
    const m = await op.waitFor('MODE');
    assert.deepEqual(m.params, ['#gated', '+kl', 'pass', '2']);
    const a = await h.user('ga');
    a.send('JOIN #gated');
    await a.waitFor(ERR_BADCHANNELKEY);
    await joinRoom(a, '#gated', 'pass');
    const b = await h.user('gb');
    b.send('JOIN #gated pass');
    await b.waitFor(ERR_CHANNELISFULL);
    a.send('MODE #gated');
    assert.deepEqual((await a.waitFor(RPL_CHANNELMODEIS)).params.slice(2), ['+ntkl', 'pass', '2']);
    b.send('MODE #gated');
    assert.deepEqual((await b.waitFor(RPL_CHANNELMODEIS)).params.slice(2), ['+ntkl', '*', '2'], 'key hidden from outsiders');
    op.send('MODE #gated -n');
    await op.waitFor((x) => x.command === 'MODE' && x.params[1] === '-n');
    b.send('PRIVMSG #gated :from outside');
    await op.waitFor((x) => x.command === 'PRIVMSG' && x.params[1] === 'from outside');
  });

  it('user modes: +i, -o, and no changing others', async () => {
    const u = await h.user('umode');
    u.send('MODE umode +i');
    const m = await u.waitFor('MODE');
    assert.deepEqual(m.params, ['umode', '+i']);
    u.send('MODE umode');
    assert.equal((await u.waitFor(RPL_UMODEIS)).params[1], '+i');
    u.send('MODE umode +o'); // ignored: +o only through OPER
    u.send('MODE umode +z');
    await u.waitFor(ERR_UMODEUNKNOWNFLAG);
    u.send('MODE mop +i');
    await u.waitFor(ERR_USERSDONTMATCH);
    u.send('MODE umode');
    assert.equal((await u.waitFor(RPL_UMODEIS)).params[1], '+i');
  });
});
