// draft/read-marker: MARKREAD get/set per account, only forward, shared with the account's other
// connections, sent after JOIN before RPL_ENDOFNAMES, kept across a reconnect, FAIL codes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RPL_ENDOFNAMES } from '../../../src/protocol/numerics.ts';
import { harness, joinRoom, type Harness } from '../helpers.ts';
import { MODERN_CAPS, isFail, newAccount, say } from './helpers.ts';

describe('draft/read-marker', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    // Markers are kept only for rooms that exist (and conversations one had): a host keeps these open.
    const host = await h.user('host', { caps: [] });
    await joinRoom(host, '#news');
    await joinRoom(host, '#room');
  });
  after(async () => {
    await h.stop();
  });

  const T1 = '2026-01-02T03:04:05.678Z';
  const T2 = '2026-01-02T03:05:00.000Z';

  it('is shared between two connections of one account', async () => {
    const desk = await newAccount(h, 'reader');
    const laptop = await h.user('reader-laptop', { caps: MODERN_CAPS, sasl: { account: 'reader', password: 'reader-password' } });
    const other = await newAccount(h, 'stranger');
    await say(desk, 'stranger', ['hello']);

    desk.send('MARKREAD #news');
    assert.deepEqual((await desk.waitFor('MARKREAD')).params, ['#news', '*']);

    desk.send(`MARKREAD #news timestamp=${T2}`);
    assert.deepEqual((await desk.waitFor('MARKREAD')).params, ['#news', `timestamp=${T2}`]);
    const pushed = await laptop.waitFor('MARKREAD');
    assert.deepEqual(pushed.params, ['#news', `timestamp=${T2}`], 'the other connection is told');

    // Never backwards: the stored (newer) value comes back, nobody else is told.
    laptop.send(`MARKREAD #NEWS timestamp=${T1}`);
    assert.deepEqual((await laptop.waitFor('MARKREAD')).params, ['#NEWS', `timestamp=${T2}`]);
    await desk.sync();
    assert.equal(desk.unreturned((m) => m.command === 'MARKREAD').length, 0);

    // A DM peer as target; markers are private.
    laptop.send(`MARKREAD stranger timestamp=${T1}`);
    await desk.waitFor((m) => m.command === 'MARKREAD' && m.params[0] === 'stranger');
    other.send('MARKREAD #news');
    assert.deepEqual((await other.waitFor('MARKREAD')).params, ['#news', '*'], "another account's marker is its own");
  });

  it('comes after JOIN, before RPL_ENDOFNAMES, and survives a reconnect', async () => {
    const a = await newAccount(h, 'joiner');
    a.send(`MARKREAD #room timestamp=${T1}`);
    await a.waitFor('MARKREAD');
    await a.close();
    const b = await h.user('joiner', { caps: MODERN_CAPS, sasl: { account: 'joiner', password: 'joiner-password' } });
    b.send('JOIN #room');
    const lines = await b.collectUntil(RPL_ENDOFNAMES);
    const join = lines.findIndex((m) => m.command === 'JOIN');
    const mark = lines.findIndex((m) => m.command === 'MARKREAD');
    assert.ok(join >= 0 && mark > join, lines.map((m) => m.command).join(' '));
    assert.deepEqual(lines[mark]!.params, ['#room', `timestamp=${T1}`]);
    // A client without the capability gets no MARKREAD.
    const plain = await h.user('plainjoiner', { caps: ['server-time'] });
    await joinRoom(plain, '#room');
    assert.equal(plain.messages.filter((m) => m.command === 'MARKREAD').length, 0);
  });

  it('answers misuse with FAIL codes', async () => {
    const a = await newAccount(h, 'misuser');
    a.send('MARKREAD');
    await a.waitFor(isFail('MARKREAD', 'NEED_MORE_PARAMS'));
    a.send('MARKREAD #room yesterday');
    await a.waitFor(isFail('MARKREAD', 'INVALID_PARAMS'));
    a.send('MARKREAD #room *');
    await a.waitFor(isFail('MARKREAD', 'INVALID_PARAMS'));
    const guest = await h.user('guest', { caps: MODERN_CAPS });
    // Without an account: kept for the connection (conformance-history.test.ts).
    guest.send(`MARKREAD #room timestamp=${T1}`);
    assert.deepEqual((await guest.waitFor('MARKREAD')).params, ['#room', `timestamp=${T1}`]);
    // A marker in the future is clamped to now.
    a.send('MARKREAD #room timestamp=2999-01-01T00:00:00.000Z');
    const m = await a.waitFor('MARKREAD');
    assert.ok(Date.parse(m.params[1]!.slice('timestamp='.length)) <= Date.now());
  });
});
