// Issue 12, conformance: draft/chathistory and draft/read-marker as their specs say, down to the
// edge cases (https://ircv3.net/specs/extensions/chathistory, .../read-marker).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RPL_ENDOFNAMES } from '../../../src/protocol/numerics.ts';
import { harness, joinRoom, type Harness } from '../helpers.ts';
import { MODERN_CAPS, collectBatch, isFail, newAccount, say, texts } from './helpers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('conformance: draft/chathistory', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ args: ['--flood-control', 'off'] });
  });
  after(async () => {
    await h.stop();
  });

  it('names the other party of a DM as they spell their nick, online or not', async () => {
    const carol = await newAccount(h, 'carol');
    const dana = await newAccount(h, 'DaNa');
    await say(carol, 'dana', ['to dana']);
    await say(dana, 'carol', ['to carol']);
    carol.send('CHATHISTORY LATEST dana * 10');
    let b = await collectBatch(carol, 'chathistory');
    assert.equal(b.open.params[2], 'DaNa');
    assert.deepEqual(texts(b.lines), ['to dana', 'to carol']);
    assert.deepEqual(b.lines.map((m) => m.params[0]), ['DaNa', 'carol']);
    await dana.close();
    await sleep(50);
    carol.send('CHATHISTORY LATEST DANA * 10');
    b = await collectBatch(carol, 'chathistory');
    assert.equal(b.open.params[2], 'DaNa', 'offline: as the account spells it');
    assert.deepEqual(b.lines.map((m) => m.params[0]), ['DaNa', 'carol']);
    carol.send('CHATHISTORY TARGETS timestamp=2000-01-01T00:00:00.000Z timestamp=2999-01-01T00:00:00.000Z 10');
    const t = await collectBatch(carol, 'draft/chathistory-targets');
    assert.deepEqual(t.lines.map((m) => m.params[1]), ['DaNa']);
  });

  it('names a guest who left as this connection last saw them', async () => {
    const host = await h.user('hostess', { caps: MODERN_CAPS });
    const zed = await h.user('ZeD', { caps: MODERN_CAPS });
    await say(zed, 'hostess', ['bye soon']);
    await host.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'bye soon');
    await say(host, 'zed', ['ok']);
    await zed.close();
    await sleep(50);
    host.send('CHATHISTORY LATEST zed * 10');
    const b = await collectBatch(host, 'chathistory');
    assert.equal(b.open.params[2], 'ZeD');
    assert.deepEqual(b.lines.map((m) => [m.params[0], m.params[1]]), [['hostess', 'bye soon'], ['ZeD', 'ok']]);
  });

  it('refuses the history of a room one may not read with FAIL INVALID_TARGET, not an empty batch', async () => {
    const owner = await h.user('owner', { caps: [] });
    await joinRoom(owner, '#secret');
    owner.send('MODE #secret +s');
    await owner.waitFor((m) => m.command === 'MODE' && m.params[1] === '+s');
    await joinRoom(owner, '#invite');
    owner.send('MODE #invite +i');
    await owner.waitFor((m) => m.command === 'MODE' && m.params[1] === '+i');
    const outsider = await h.user('outsider', { caps: MODERN_CAPS });
    for (const room of ['#secret', '#invite', '#nowhere']) {
      outsider.send(`CHATHISTORY LATEST ${room} * 10`);
      const fail = await outsider.waitFor(isFail('CHATHISTORY', 'INVALID_TARGET'));
      assert.deepEqual(fail.params.slice(2, 4), ['LATEST', room]);
    }
    // Not a nick either.
    for (const bad of ['a,b', 'x!y@z', '-dash']) {
      outsider.send(`CHATHISTORY BEFORE ${bad} timestamp=2026-01-01T00:00:00.000Z 10`);
      const fail = await outsider.waitFor(isFail('CHATHISTORY', 'INVALID_TARGET'));
      assert.deepEqual(fail.params.slice(2, 4), ['BEFORE', bad]);
    }
    await outsider.sync();
    assert.equal(outsider.messages.filter((m) => m.command === 'BATCH').length, 0);
    // A nick with no conversation: an empty batch (whether someone else talked to it stays unknown).
    outsider.send('CHATHISTORY LATEST nobody * 10');
    assert.deepEqual((await collectBatch(outsider, 'chathistory')).lines, []);
  });

  it('stores a message to oneself once and replays it once', async () => {
    const me = await newAccount(h, 'solo');
    me.send('PRIVMSG solo :note to self');
    await me.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'note to self');
    await me.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'note to self');
    me.send('CHATHISTORY LATEST solo * 10');
    const b = await collectBatch(me, 'chathistory');
    assert.deepEqual(texts(b.lines), ['note to self']);
    me.send('CHATHISTORY TARGETS timestamp=2000-01-01T00:00:00.000Z timestamp=2999-01-01T00:00:00.000Z 10');
    const t = await collectBatch(me, 'draft/chathistory-targets');
    assert.deepEqual(t.lines.map((m) => m.params[1]), ['solo']);
  });

  it('a guest\'s messages to itself too, with and without echo-message', async () => {
    const me = await h.user('loner', { caps: MODERN_CAPS });
    me.send('PRIVMSG loner :one');
    await me.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'one');
    await me.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'one');
    const plain = await h.user('quiet', { caps: MODERN_CAPS.filter((c) => c !== 'echo-message') });
    plain.send('PRIVMSG QUIET :two');
    const got = await plain.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'two');
    await plain.sync();
    assert.equal(plain.messages.filter((m) => m.command === 'PRIVMSG' && m.params[1] === 'two').length, 1, 'delivered once');
    for (const [c, nick, text] of [[me, 'loner', 'one'], [plain, 'quiet', 'two']] as const) {
      c.send(`CHATHISTORY LATEST ${nick} * 10`);
      const b = await collectBatch(c, 'chathistory');
      assert.deepEqual(texts(b.lines), [text]);
      assert.equal(b.open.params[2], nick);
      assert.equal(b.lines[0]!.params[0], nick);
    }
    plain.send('CHATHISTORY LATEST quiet * 10');
    const again = await collectBatch(plain, 'chathistory');
    assert.equal(again.lines[0]!.tags['msgid'], got.tags['msgid']);
  });

  it('sends nothing but PRIVMSG and NOTICE in a batch to a client without draft/event-playback', async () => {
    const writer = await h.user('writer', { caps: MODERN_CAPS });
    const fan = await h.user('fan', { caps: MODERN_CAPS });
    const old = await h.user('old', { caps: MODERN_CAPS.filter((c) => c !== 'draft/event-playback') });
    for (const c of [writer, fan, old]) await joinRoom(c, '#reacts');
    const [msg] = await say(writer, '#reacts', ['react to me']);
    fan.send(`@+draft/reply=${msg!.tags['msgid']};+draft/react=👍 TAGMSG #reacts`);
    await fan.waitFor((m) => m.command === 'TAGMSG' && m.tags['+draft/react'] === '👍');
    old.send('CHATHISTORY LATEST #reacts * 10');
    const plain = await collectBatch(old, 'chathistory');
    assert.deepEqual(plain.lines.map((m) => m.command), ['PRIVMSG']);
    fan.send('CHATHISTORY LATEST #reacts * 10');
    const full = await collectBatch(fan, 'chathistory');
    assert.deepEqual(full.lines.map((m) => m.command), ['PRIVMSG', 'TAGMSG'], 'with event-playback: the reaction too');
  });

  it('TARGETS lists only conversations whose latest message falls inside the window', async () => {
    const a = await newAccount(h, 'wina');
    const b = await newAccount(h, 'winb');
    const c = await newAccount(h, 'winc');
    const [first] = await say(a, 'winb', ['early']);
    await say(a, 'winc', ['early too']);
    await sleep(30);
    const mid = new Date().toISOString();
    await sleep(30);
    await say(a, 'winb', ['late']);
    void b;
    void c;
    a.send(`CHATHISTORY TARGETS timestamp=${first!.tags['time']} timestamp=${mid} 10`);
    const t = await collectBatch(a, 'draft/chathistory-targets');
    assert.deepEqual(t.lines.map((m) => m.params[1]), ['winc'], 'winb is active later: not listed');
    a.send(`CHATHISTORY TARGETS timestamp=${mid} timestamp=${first!.tags['time']} 10`);
    const back = await collectBatch(a, 'draft/chathistory-targets');
    assert.deepEqual(back.lines.map((m) => m.params[1]), ['winc'], 'either order');
    // A room too.
    await joinRoom(a, '#late');
    await say(a, '#late', ['in the room']);
    a.send(`CHATHISTORY TARGETS timestamp=${first!.tags['time']} timestamp=${mid} 10`);
    const rooms = await collectBatch(a, 'draft/chathistory-targets');
    assert.deepEqual(rooms.lines.map((m) => m.params[1]), ['winc']);
  });
});

describe('conformance: draft/read-marker', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    const host = await h.user('host', { caps: [] });
    await joinRoom(host, '#news');
    await joinRoom(host, '#room');
  });
  after(async () => {
    await h.stop();
  });
  const T1 = '2026-01-02T03:04:05.678Z';
  const T2 = '2026-01-02T03:05:00.000Z';

  it('works without an account, for that connection', async () => {
    const guest = await h.user('guest', { caps: MODERN_CAPS });
    guest.send('MARKREAD #news');
    assert.deepEqual((await guest.waitFor('MARKREAD')).params, ['#news', '*']);
    guest.send(`MARKREAD #news timestamp=${T2}`);
    assert.deepEqual((await guest.waitFor('MARKREAD')).params, ['#news', `timestamp=${T2}`]);
    guest.send(`MARKREAD #news timestamp=${T1}`);
    assert.deepEqual((await guest.waitFor('MARKREAD')).params, ['#news', `timestamp=${T2}`], 'never decreases');
    guest.send('MARKREAD #NEWS');
    assert.deepEqual((await guest.waitFor('MARKREAD')).params, ['#NEWS', `timestamp=${T2}`]);
    // On JOIN, the marker kept for this connection.
    guest.send('JOIN #news');
    const lines = await guest.collectUntil(RPL_ENDOFNAMES);
    const mark = lines.find((m) => m.command === 'MARKREAD');
    assert.deepEqual(mark?.params, ['#news', `timestamp=${T2}`]);
    // A DM target.
    const pal = await h.user('pal', { caps: MODERN_CAPS });
    await say(guest, 'pal', ['hi pal']);
    guest.send(`MARKREAD pal timestamp=${T1}`);
    assert.deepEqual((await guest.waitFor('MARKREAD')).params, ['pal', `timestamp=${T1}`]);
    pal.send('MARKREAD guest');
    assert.deepEqual((await pal.waitFor('MARKREAD')).params, ['guest', '*'], "pal's own markers");
    // Another connection (not logged in) under the same nick later starts with none.
    await guest.close();
    await sleep(50);
    const next = await h.user('guest', { caps: MODERN_CAPS });
    next.send('MARKREAD #news');
    assert.deepEqual((await next.waitFor('MARKREAD')).params, ['#news', '*']);
  });

  it('refuses timestamp=* and invalid timestamps with INVALID_PARAMS', async () => {
    const a = await newAccount(h, 'strict');
    for (const bad of ['timestamp=*', 'timestamp=yesterday', 'timestamp=2026-13-45T99:00:00.000Z', '*']) {
      a.send(`MARKREAD #room ${bad}`);
      await a.waitFor(isFail('MARKREAD', 'INVALID_PARAMS'));
    }
    a.send('MARKREAD #room');
    assert.deepEqual((await a.waitFor('MARKREAD')).params, ['#room', '*'], 'nothing stored');
  });
});
