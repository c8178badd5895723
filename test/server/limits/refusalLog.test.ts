// Refused connections reach the log without flooding it: the first at once, the rest summed up
// each period, and after a quiet period the next one at once again. The period's timer is driven
// by hand (a scheduler that holds the callback), so the test does not wait a minute.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RefusalLog } from '../../../src/server/limits/index.ts';

test('the first refusal is logged at once, the following ones summed up per period, then quiet', () => {
  const lines: string[] = [];
  let due: (() => void) | undefined;
  const log = new RefusalLog((l) => lines.push(l), {
    schedule: (fn, ms) => {
      assert.equal(ms, 60_000);
      due = fn;
      return () => (due = undefined);
    },
  });
  const tick = () => {
    const fn = due;
    due = undefined;
    fn?.();
  };
  log.refused('per-ip', '192.0.2.1', 'Too many connections from your IP (at most 3)');
  assert.deepEqual(lines, ['refused a connection from 192.0.2.1: Too many connections from your IP (at most 3)']);
  log.refused('per-ip', '192.0.2.1', 'x');
  log.refused('per-ip', '192.0.2.7', 'x');
  log.refused('total', '198.51.100.2', 'x');
  assert.equal(lines.length, 1, 'counted, not logged one by one');
  tick();
  assert.equal(lines[1], 'refused 3 more connection(s) in the last 60 s: 2 over the per-address limit (the last from 192.0.2.7), 1 with the server full (the last from 198.51.100.2)');
  assert.ok(due, 'still summing up while refusals go on');
  tick(); // a period without refusals
  assert.equal(lines.length, 2, 'nothing to say for a quiet period');
  assert.equal(due, undefined, 'and the summing up stops');
  log.refused('total', '203.0.113.9', 'Server is full (at most 2 connections)');
  assert.equal(lines[2], 'refused a connection from 203.0.113.9: Server is full (at most 2 connections)', 'logged at once again');
  log.dispose();
  assert.equal(due, undefined, 'dispose cancels the timer');
});
