// Rooms over real TCP: JOIN (keys, several at once, JOIN 0), PART, TOPIC, NAMES, LIST, INVITE,
// KICK, with their error replies; many clients in several rooms.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ERR_NEEDMOREPARAMS,
  ERR_CHANOPRIVSNEEDED,
  ERR_INVITEONLYCHAN,
  ERR_NOSUCHCHANNEL,
  ERR_NOSUCHNICK,
  ERR_NOTONCHANNEL,
  ERR_USERNOTINCHANNEL,
  ERR_USERONCHANNEL,
  RPL_ENDOFNAMES,
  RPL_INVITING,
  RPL_LIST,
  RPL_LISTEND,
  RPL_NAMREPLY,
  RPL_NOTOPIC,
  RPL_TOPIC,
  RPL_TOPICWHOTIME,
} from '../../../src/protocol/numerics.ts';
import { harness, joinRoom, type Harness } from '../helpers.ts';

describe('rooms', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => {
    await h.stop();
  });

  it('makes the first member operator and lists members with prefixes', async () => {
    const a = await h.user('ann');
    const b = await h.user('ben');
    await joinRoom(a, '#first');
    b.send('JOIN #first');
    const joined = await a.waitFor((m) => m.command === 'JOIN' && m.source?.startsWith('ben!') === true);
    assert.equal(joined.params[0], '#first');
    const names = (await b.collectUntil(RPL_ENDOFNAMES)).filter((m) => m.command === RPL_NAMREPLY);
    const nicks = names.flatMap((m) => m.params.at(-1)!.split(' '));
    assert.deepEqual(nicks.sort(), ['@ann', 'ben']);
  });

  it('joins several rooms at once with keys, and JOIN 0 leaves them all', async () => {
    const a = await h.user('kay');
    await joinRoom(a, '#keyed');
    a.send('MODE #keyed +k sesame');
    await a.waitFor('MODE');
    const b = await h.user('lou');
    b.send('JOIN #keyed,#open wrong');
    const err = await b.waitFor('475');
    assert.equal(err.params[1], '#keyed');
    await b.waitFor((m) => m.command === '366' && m.params[1] === '#open');
    b.send('JOIN #keyed,#other sesame');
    await b.waitFor((m) => m.command === '366' && m.params[1] === '#keyed');
    await b.waitFor((m) => m.command === '366' && m.params[1] === '#other');
    b.send('JOIN 0');
    const parts = new Set<string>();
    while (parts.size < 3) parts.add((await b.waitFor('PART')).params[0]!);
    assert.deepEqual([...parts].sort(), ['#keyed', '#open', '#other']);
  });

  it('refuses bad room names and PART from rooms one is not in', async () => {
    const a = await h.user('mo');
    a.send('JOIN nochan');
    await a.waitFor(ERR_NOSUCHCHANNEL);
    a.send('PART #neverexisted');
    await a.waitFor(ERR_NOSUCHCHANNEL);
    const b = await h.user('ned');
    await joinRoom(b, '#nedroom');
    a.send('PART #nedroom');
    await a.waitFor(ERR_NOTONCHANNEL);
    b.send('PART #nedroom :see you');
    const part = await b.waitFor('PART');
    assert.deepEqual(part.params, ['#nedroom', 'see you']);
  });

  it('sets and shows topics; +t limits setting to operators', async () => {
    const op = await h.user('opal');
    const guest = await h.user('gina');
    await joinRoom(op, '#topics');
    await joinRoom(guest, '#topics');
    guest.send('TOPIC #topics');
    await guest.waitFor(RPL_NOTOPIC);
    guest.send('TOPIC #topics :mine now');
    await guest.waitFor(ERR_CHANOPRIVSNEEDED);
    op.send('TOPIC #topics :Release on Friday');
    const seen = await guest.waitFor('TOPIC');
    assert.equal(seen.params[1], 'Release on Friday');
    guest.send('TOPIC #topics');
    assert.equal((await guest.waitFor(RPL_TOPIC)).params[2], 'Release on Friday');
    assert.ok((await guest.waitFor(RPL_TOPICWHOTIME)).params[2]?.startsWith('opal!'));
    op.send('MODE #topics -t');
    await guest.waitFor('MODE');
    guest.send('TOPIC #topics :anyone may');
    await op.waitFor((m) => m.command === 'TOPIC' && m.params[1] === 'anyone may');
    const late = await h.user('late');
    await joinRoom(late, '#topics');
    assert.ok(late.messages.some((m) => m.command === RPL_TOPIC && m.params[2] === 'anyone may'), 'topic on join');
  });

  it('lists rooms, hiding secret ones from outsiders', async () => {
    const a = await h.user('lister');
    await joinRoom(a, '#visible');
    a.send('TOPIC #visible :see me');
    await a.waitFor('TOPIC');
    await joinRoom(a, '#hidden');
    a.send('MODE #hidden +s');
    await a.waitFor('MODE');
    const b = await h.user('looker');
    b.send('LIST');
    const rows = (await b.collectUntil(RPL_LISTEND)).filter((m) => m.command === RPL_LIST);
    const vis = rows.find((m) => m.params[1] === '#visible');
    assert.deepEqual(vis?.params.slice(2), ['1', 'see me']);
    assert.ok(!rows.some((m) => m.params[1] === '#hidden'));
  });

  it('invites into +i rooms; only operators may invite there', async () => {
    const op = await h.user('ivan');
    const guest = await h.user('iris');
    const other = await h.user('ike');
    await joinRoom(op, '#private');
    op.send('MODE #private +i');
    await op.waitFor('MODE');
    guest.send('JOIN #private');
    await guest.waitFor(ERR_INVITEONLYCHAN);
    op.send('INVITE iris #private');
    assert.deepEqual((await op.waitFor(RPL_INVITING)).params.slice(1), ['iris', '#private']);
    const inv = await guest.waitFor('INVITE');
    assert.deepEqual(inv.params, ['iris', '#private']);
    guest.send('INVITE');
    const list = await guest.collectUntil('337');
    assert.deepEqual(list.filter((m) => m.command === '336').map((m) => m.params[1]), ['#private']);
    await joinRoom(guest, '#private');
    guest.send('INVITE ike #private');
    await guest.waitFor(ERR_CHANOPRIVSNEEDED);
    op.send('INVITE iris #private');
    await op.waitFor(ERR_USERONCHANNEL);
    op.send('INVITE ghost #private');
    await op.waitFor(ERR_NOSUCHNICK);
    other.send('INVITE ivan #private');
    await other.waitFor(ERR_NOTONCHANNEL);
  });

  it('kicks: operators only, and the room sees it', async () => {
    const op = await h.user('kate');
    const victim = await h.user('vic');
    const witness = await h.user('wit');
    for (const c of [op, victim, witness]) await joinRoom(c, '#kicks');
    victim.send('KICK #kicks kate');
    await victim.waitFor(ERR_CHANOPRIVSNEEDED);
    op.send('KICK #kicks nobody');
    await op.waitFor(ERR_USERNOTINCHANNEL);
    op.send('KICK #kicks vic :behave');
    for (const c of [op, victim, witness]) {
      const k = await c.waitFor('KICK');
      assert.deepEqual(k.params, ['#kicks', 'vic', 'behave']);
    }
    victim.send('PRIVMSG #kicks :still here?');
    await victim.waitFor('404');
  });

  it('kicks rooms and nicks in pairs, or several nicks from one room (RFC 2812 3.2.8)', async () => {
    const op = await h.user('pairop');
    const [bar, baz, qux] = [await h.user('bar'), await h.user('baz'), await h.user('qux')];
    for (const c of [op, bar, baz]) await joinRoom(c, '#pair1');
    for (const c of [op, qux]) await joinRoom(c, '#pair2');
    op.send('KICK #pair1,#pair1 bar,baz :bye');
    assert.deepEqual((await op.waitFor('KICK')).params, ['#pair1', 'bar', 'bye']);
    assert.deepEqual((await op.waitFor('KICK')).params, ['#pair1', 'baz', 'bye']);
    await joinRoom(bar, '#pair2');
    op.send('KICK #pair1,#pair2 nobody,qux');
    assert.deepEqual((await op.waitFor(ERR_USERNOTINCHANNEL)).params.slice(1, 3), ['nobody', '#pair1']);
    assert.deepEqual((await op.waitFor('KICK')).params, ['#pair2', 'qux', 'pairop']);
    op.send('KICK #pair2 bar,nobody');
    assert.deepEqual((await op.waitFor('KICK')).params, ['#pair2', 'bar', 'pairop']);
    await op.waitFor(ERR_USERNOTINCHANNEL);
    op.send('KICK #pair1,#pair2 a,b,c');
    assert.equal((await op.waitFor(ERR_NEEDMOREPARAMS)).params[1], 'KICK');
  });

  it('keeps many clients in several rooms apart', async () => {
    const rooms = ['#r1', '#r2', '#r3'];
    const users = await Promise.all(Array.from({ length: 12 }, (_, i) => h.user(`many${i}`)));
    for (const [i, u] of users.entries()) await joinRoom(u, rooms[i % 3]!);
    for (const [i, u] of users.entries()) u.send(`PRIVMSG ${rooms[i % 3]} :from ${u.nick}`);
    for (const [i, u] of users.entries()) {
      const room = rooms[i % 3]!;
      const expected = users.filter((o, j) => j % 3 === i % 3 && o !== u).map((o) => `from ${o.nick}`);
      for (const text of expected) await u.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === text);
      await u.sync();
      const wrong = u.messages.filter((m) => m.command === 'PRIVMSG' && m.params[0] !== room);
      assert.deepEqual(wrong, [], `${u.nick} only hears its room`);
    }
  });
});
