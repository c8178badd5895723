// The pure pieces behind "guessing is slow" (issue 11), driven by a fake clock: no sleeps.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ipKey } from '../../../src/server/limits/connectionCounter.ts';
import { FairQueue, LoginBackoff, WindowCounter } from '../../../src/server/limits/index.ts';

function fakeClock(start = 1000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('limits: LoginBackoff', () => {
  const policy = { free: 3, baseMs: 1000, maxMs: 8000, forgetMs: 60_000 };

  it('lets the free failures through, then doubles the wait up to the cap', () => {
    const c = fakeClock();
    const b = new LoginBackoff(policy, c.now);
    for (let i = 0; i < 3; i++) {
      assert.equal(b.waitMs('ip'), 0);
      b.fail('ip');
    }
    assert.equal(b.waitMs('ip'), 1000, 'after the free ones: 1 s');
    c.advance(999);
    assert.equal(b.waitMs('ip'), 1);
    c.advance(1);
    assert.equal(b.waitMs('ip'), 0);
    b.fail('ip');
    assert.equal(b.waitMs('ip'), 2000);
    b.fail('ip');
    assert.equal(b.waitMs('ip'), 4000);
    b.fail('ip');
    assert.equal(b.waitMs('ip'), 8000);
    b.fail('ip');
    assert.equal(b.waitMs('ip'), 8000, 'capped');
    assert.equal(b.waitMs('other'), 0, 'keys are independent');
  });

  it('forgets a key after a quiet period, and on reset', () => {
    const c = fakeClock();
    const b = new LoginBackoff(policy, c.now);
    for (let i = 0; i < 5; i++) b.fail('acct');
    assert.ok(b.waitMs('acct') > 0);
    c.advance(59_999);
    assert.equal(b.failures('acct'), 5);
    c.advance(1);
    assert.equal(b.failures('acct'), 0);
    for (let i = 0; i < 5; i++) b.fail('acct');
    b.reset('acct');
    assert.equal(b.waitMs('acct'), 0);
  });

  it('keeps at most maxKeys keys, forgetting the least recently failed', () => {
    const c = fakeClock();
    const b = new LoginBackoff({ ...policy, maxKeys: 3 }, c.now);
    for (const k of ['a', 'b', 'c']) b.fail(k);
    b.fail('a'); // a is now the most recent
    b.fail('d');
    assert.equal(b.size, 3);
    assert.equal(b.failures('b'), 0, 'b was the oldest');
    assert.equal(b.failures('a'), 2);
  });
});

describe('limits: FairQueue', () => {
  /** A job the test finishes by hand. */
  function gate() {
    let open!: () => void;
    const done = new Promise<void>((r) => (open = r));
    return { job: () => done, open };
  }
  const turn = () => new Promise<void>((r) => setImmediate(r));

  it('runs one job per key at a time, a few overall, and refuses past the wait list', async () => {
    const q = new FairQueue({ concurrency: 2, perKey: 1, maxWaiting: 2 });
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    const submit = (key: string, name: string) => {
      const g = gate();
      gates.set(name, g);
      return q.run(key, () => (started.push(name), g.job()));
    };
    assert.ok(submit('attacker', 'a1'));
    assert.ok(submit('attacker', 'a2'));
    assert.ok(submit('attacker', 'a3'));
    assert.equal(submit('attacker', 'a4'), null, 'a fourth job from one address is refused');
    assert.deepEqual(started, ['a1'], 'one at a time per address');
    assert.ok(submit('user', 'u1'));
    assert.deepEqual(started, ['a1', 'u1'], 'another address starts at once: the flood holds one slot');
    gates.get('a1')!.open();
    await turn();
    assert.deepEqual(started, ['a1', 'u1', 'a2']);
    assert.equal(q.running, 2);
  });

  it('takes turns between addresses when the slots are full', async () => {
    const q = new FairQueue({ concurrency: 1, perKey: 1, maxWaiting: 5 });
    const started: string[] = [];
    const gates: (() => void)[] = [];
    const submit = (key: string, name: string) =>
      q.run(key, () => {
        started.push(name);
        return new Promise<void>((r) => gates.push(r));
      });
    for (const n of ['a1', 'a2', 'a3']) void submit('a', n);
    void submit('b', 'b1');
    void submit('c', 'c1');
    for (let i = 0; i < 4; i++) {
      gates[i]!();
      await turn();
    }
    assert.deepEqual(started, ['a1', 'a2', 'b1', 'c1', 'a3']);
  });

  it('passes results and errors through and frees the slot either way', async () => {
    const q = new FairQueue({ concurrency: 1, perKey: 1, maxWaiting: 0 });
    await assert.rejects(q.run('k', () => Promise.reject(new Error('boom')))!, /boom/);
    assert.equal(await q.run('k', async () => 42), 42);
    assert.equal(q.pending('k'), 0);
  });
});

describe('limits: WindowCounter', () => {
  it('allows max events per window, then says how long until the oldest leaves it', () => {
    const c = fakeClock();
    const w = new WindowCounter({ windowMs: 3_600_000, max: 2, now: c.now });
    w.add('ip');
    c.advance(1000);
    w.add('ip');
    assert.equal(w.waitMs('ip'), 3_599_000);
    c.advance(3_599_000);
    assert.equal(w.waitMs('ip'), 0);
    assert.equal(w.waitMs('other'), 0);
  });
});

describe('limits: ipKey (the address key of logins)', () => {
  it('keys IPv4 by address and IPv6 by /64', () => {
    assert.equal(ipKey('192.0.2.7'), '192.0.2.7');
    assert.equal(ipKey('::ffff:192.0.2.7'), '192.0.2.7');
    assert.equal(ipKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(ipKey('2001:db8:1:2:bbbb:cccc:dddd:eeee'), '2001:db8:1:2::/64');
    assert.equal(ipKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(ipKey('::1'), '0:0:0:0::/64');
  });
});
