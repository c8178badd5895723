// chatroom.autoAway: Away after the idle minutes, Online again on the next activity, never over a
// status the user chose. A fake clock drives it (no real waiting).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUTO_AWAY_MESSAGE, AutoAway } from '../../../src/extension/chat/autoAway.ts';

function setup(minutes = 15) {
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let seq = 0;
  let status: { status: 'online' | 'away' | 'busy'; message?: string } | undefined = { status: 'online' };
  const sets: string[] = [];
  const setting = { minutes };
  const auto = new AutoAway({
    minutes: () => setting.minutes,
    status: () => status,
    setStatus: (s, message) => {
      sets.push(message ? `${s}: ${message}` : s);
      status = message ? { status: s, message } : { status: s };
    },
    setTimer: (fn, ms) => (timers.set(++seq, { at: now + ms, fn }), seq),
    clearTimer: (h) => timers.delete(h as number),
  });
  const advance = (ms: number) => {
    now += ms;
    for (const [id, t] of [...timers]) if (t.at <= now) (timers.delete(id), t.fn());
  };
  return { auto, advance, sets, setting, setStatus: (s: typeof status) => (status = s), timers };
}

test('idle for the set minutes: Away; the next activity: Online', () => {
  const { auto, advance, sets } = setup(15);
  advance(14 * 60_000);
  auto.activity();
  advance(14 * 60_000);
  assert.deepEqual(sets, [], 'activity restarts the count');
  advance(60_000);
  assert.deepEqual(sets, [`away: ${AUTO_AWAY_MESSAGE}`]);
  auto.activity();
  assert.deepEqual(sets, [`away: ${AUTO_AWAY_MESSAGE}`, 'online']);
  auto.activity();
  assert.equal(sets.length, 2, 'once');
});

test('a status the user chose is left alone: Busy or Away before, or changed while auto-away', () => {
  const a = setup(1);
  a.setStatus({ status: 'busy', message: 'meeting' });
  a.advance(60_000);
  assert.deepEqual(a.sets, [], 'busy stays busy');
  const b = setup(1);
  b.advance(60_000);
  b.setStatus({ status: 'away', message: 'lunch' });
  b.auto.activity();
  assert.deepEqual(b.sets, [`away: ${AUTO_AWAY_MESSAGE}`], 'their own Away is not undone');
  const c = setup(1);
  c.setStatus(undefined);
  c.advance(60_000);
  assert.deepEqual(c.sets, [], 'not connected: nothing');
});

test('0 minutes is off; changing the setting restarts the count', () => {
  const { auto, advance, sets, setting, timers } = setup(0);
  advance(10 * 3_600_000);
  assert.deepEqual(sets, []);
  assert.equal(timers.size, 0);
  setting.minutes = 5;
  auto.reconfigure();
  advance(5 * 60_000);
  assert.deepEqual(sets, [`away: ${AUTO_AWAY_MESSAGE}`]);
  auto.dispose();
});
