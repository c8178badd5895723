// serverTime keeps the last second's prefix; it must still agree with Date#toISOString everywhere.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { serverTime } from '../../src/server/msgtags.ts';

const MAX_DATE_MS = 8.64e15;

test('serverTime equals Date#toISOString for any time, in any order (the cached second never leaks)', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -MAX_DATE_MS, max: MAX_DATE_MS }), { minLength: 1, maxLength: 20 }), (times) => {
      for (const ms of times) assert.equal(serverTime(ms), new Date(ms).toISOString());
    }),
  );
});

test('serverTime across second boundaries, before 1970 and past year 9999', () => {
  for (const ms of [0, 1, 999, 1000, 1001, -1, -999, -1000, -1001, 1_700_000_000_999, 1_700_000_001_000, 253_402_300_799_999, 253_402_300_800_000, MAX_DATE_MS, -MAX_DATE_MS]) {
    assert.equal(serverTime(ms), new Date(ms).toISOString(), `at ${ms}`);
  }
});

test('serverTime keeps Date behaviour for fractions and refuses invalid times', () => {
  assert.equal(serverTime(1.7), new Date(1.7).toISOString());
  assert.throws(() => serverTime(Number.NaN), RangeError);
  assert.throws(() => serverTime(MAX_DATE_MS + 1), RangeError);
});

test('serverTime defaults to now', () => {
  const before = Date.now();
  const t = Date.parse(serverTime());
  assert.ok(t >= before && t <= Date.now());
});
