import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionCounter, FloodLimiter, TokenBucket, ipKey, ipv6Groups, normalizeIp } from '../../../src/server/limits/index.ts';

/** A clock the test moves by hand: no sleeps, no timing. */
function fakeClock(start = 1000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('limits: TokenBucket', () => {
  it('allows a burst, then refills at the rate', () => {
    const c = fakeClock();
    const b = new TokenBucket({ rate: 2, burst: 3, now: c.now });
    assert.equal(b.tryTake(), true);
    assert.equal(b.tryTake(), true);
    assert.equal(b.tryTake(), true);
    assert.equal(b.tryTake(), false);
    assert.equal(b.msUntil(), 500);
    c.advance(499);
    assert.equal(b.tryTake(), false);
    c.advance(1);
    assert.equal(b.tryTake(), true);
    c.advance(10_000); // never more than the burst
    assert.equal(b.available(), 3);
  });

  it('survives a clock that goes backwards and refuses costs above the burst', () => {
    const c = fakeClock();
    const b = new TokenBucket({ rate: 1, burst: 2, now: c.now });
    b.tryTake(2);
    c.advance(-5000);
    assert.equal(b.tryTake(), false);
    c.advance(1000);
    assert.equal(b.tryTake(), true);
    assert.equal(b.msUntil(3), Infinity);
    assert.throws(() => new TokenBucket({ rate: 0, burst: 1 }), RangeError);
  });
});

describe('limits: FloodLimiter (fakelag)', () => {
  it('runs a burst at once, then queues in order, then drains as tokens come back', () => {
    const c = fakeClock();
    const f = new FloodLimiter({ rate: 1, burst: 2, maxQueued: 3, now: c.now });
    assert.equal(f.submit('a'), 'run');
    assert.equal(f.submit('b'), 'run');
    assert.equal(f.submit('c'), 'queued');
    assert.equal(f.submit('d'), 'queued');
    assert.equal(f.queued(), 2);
    assert.equal(f.nextDelayMs(), 1000);
    assert.deepEqual(f.drain(), []);
    c.advance(1000);
    assert.equal(f.nextDelayMs(), 0);
    // a token is back, but 'e' must wait behind c and d (order is kept)
    assert.equal(f.submit('e'), 'queued');
    assert.deepEqual(f.drain(), ['c']);
    c.advance(2000);
    assert.deepEqual(f.drain(), ['d', 'e']);
    assert.equal(f.nextDelayMs(), Infinity);
  });

  it('says "excess" once more than maxQueued lines are held', () => {
    const c = fakeClock();
    const f = new FloodLimiter<number>({ rate: 1, burst: 1, maxQueued: 2, now: c.now });
    assert.equal(f.submit(1), 'run');
    assert.equal(f.submit(2), 'queued');
    assert.equal(f.submit(3), 'queued');
    assert.equal(f.submit(4), 'excess');
    assert.equal(f.queued(), 2, 'the excess line is not queued');
  });

  it('with maxQueued 0 drops the client as soon as the bucket is empty', () => {
    const f = new FloodLimiter({ rate: 1, burst: 1, maxQueued: 0, now: fakeClock().now });
    assert.equal(f.submit('x'), 'run');
    assert.equal(f.submit('y'), 'excess');
  });

  it('charges a cost per line (e.g. lighter lines inside a multiline batch)', () => {
    const c = fakeClock();
    const f = new FloodLimiter<number>({ rate: 1, burst: 2, maxQueued: 5, now: c.now });
    for (let i = 0; i < 8; i++) assert.equal(f.submit(i, 0.25), 'run');
    assert.equal(f.submit(8, 0.25), 'queued');
    assert.equal(f.submit(9, 100), 'queued', 'a cost above the burst is clamped, not stuck forever');
    c.advance(250);
    assert.deepEqual(f.drain(), [8]);
    assert.equal(f.nextDelayMs(), 2000, 'the clamped line needs a full bucket');
    c.advance(2000);
    assert.deepEqual(f.drain(), [9]);
  });

  it('lets exempt clients (opers) through and releases what was held', () => {
    const c = fakeClock();
    const f = new FloodLimiter({ rate: 1, burst: 1, maxQueued: 1, now: c.now });
    f.submit('a');
    assert.equal(f.submit('b'), 'queued');
    f.setExempt(true);
    assert.equal(f.submit('c'), 'queued', 'still behind b');
    assert.equal(f.nextDelayMs(), 0);
    assert.deepEqual(f.drain(), ['b', 'c']);
    for (let i = 0; i < 100; i++) assert.equal(f.submit(`x${i}`), 'run');
    f.clear();
    assert.equal(f.queued(), 0);
  });
});

describe('limits: ConnectionCounter', () => {
  it('counts per IP, refuses past the limit, gives slots back', () => {
    const cc = new ConnectionCounter(2);
    assert.equal(cc.admit('10.0.0.1'), null);
    assert.equal(cc.admit('::ffff:10.0.0.1'), null);
    assert.equal(cc.admit('10.0.0.1'), 'per-ip', 'IPv4-mapped IPv6 counts as the same host');
    assert.equal(cc.admit('10.0.0.2'), null, 'another host is independent');
    cc.remove('::FFFF:10.0.0.1');
    assert.equal(cc.count('10.0.0.1'), 1);
    assert.equal(cc.admit('10.0.0.1'), null);
    assert.equal(cc.size(), 2);
    cc.remove('10.0.0.2');
    assert.equal(cc.size(), 1, 'an address with no connection left is forgotten');
    assert.equal(cc.connections, 2);
  });

  it('refuses past the global limit whatever the address, and a refused connection takes no slot', () => {
    const cc = new ConnectionCounter(5, 3);
    assert.equal(cc.admit('10.0.0.1'), null);
    assert.equal(cc.admit('10.0.0.2'), null);
    assert.equal(cc.admit('2001:db8::1'), null);
    assert.equal(cc.admit('10.0.0.4'), 'total');
    assert.equal(cc.connections, 3);
    assert.equal(cc.count('10.0.0.4'), 0);
    cc.remove('10.0.0.2');
    assert.equal(cc.admit('10.0.0.4'), null, 'a freed slot is usable again');
    cc.remove('10.9.9.9'); // never admitted: no effect on the totals
    assert.equal(cc.connections, 3);
  });

  it('counts IPv6 addresses per /64 network', () => {
    const cc = new ConnectionCounter(2);
    assert.equal(cc.admit('2001:db8:1:2::1'), null);
    assert.equal(cc.admit('2001:0DB8:0001:0002:ffff:eeee:dddd:cccc'), null);
    assert.equal(cc.admit('2001:db8:1:2:1234::9'), 'per-ip', 'the third address in the same /64 is refused');
    assert.equal(cc.admit('2001:db8:1:3::1'), null, 'the next /64 is another network');
    assert.equal(cc.count('2001:db8:1:2:aaaa::'), 2);
  });

  it('keys addresses: IPv4 as is, IPv6 by /64, odd input unchanged', () => {
    assert.equal(normalizeIp('::FFFF:127.0.0.1'), '127.0.0.1');
    assert.equal(normalizeIp('FE80::1'), 'fe80::1');
    assert.equal(ipKey('127.0.0.1'), '127.0.0.1');
    assert.equal(ipKey('::ffff:192.0.2.7'), '192.0.2.7');
    assert.equal(ipKey('::1'), '0:0:0:0::/64');
    assert.equal(ipKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(ipKey('2001:db8:0:0:1:2:3:4'), '2001:db8:0:0::/64');
    assert.equal(ipKey('2001:db8::'), '2001:db8:0:0::/64');
    assert.equal(ipKey('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/64');
    assert.deepEqual(ipv6Groups('::ffff:1.2.3.4'), ['0', '0', '0', '0', '0', 'ffff', '102', '304']);
    assert.deepEqual(ipv6Groups('1:2:3:4:5:6:7:8'), ['1', '2', '3', '4', '5', '6', '7', '8']);
    for (const bad of ['1::2::3', '1:2:3', '12345::', 'g::1', '1:2:3:4:5:6:7:8:9', '::1.2.3.256']) assert.equal(ipv6Groups(bad), null, bad);
    assert.equal(ipKey('unknown'), 'unknown');
    assert.equal(ipKey('1::2::3'), '1::2::3', 'not an address: counted as the string it is');
  });
});
