// Day separators and message grouping (src/webview/logic/rows.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRows, continuesGroup, dayKey, dayLabel, GROUP_GAP_MS } from '../../../src/webview/logic/rows.ts';
import type { ChatLine } from '../../../src/webview/messages.ts';

const at = (y: number, mo: number, d: number, h: number, mi = 0): number => new Date(y, mo - 1, d, h, mi).getTime();
let n = 0;
const line = (from: string, time: number, extra: Partial<ChatLine> = {}): ChatLine => ({ id: `l${n++}`, from, text: 'hi', time, self: false, kind: 'privmsg', ...extra });

test('a separator before the first line of each local day', () => {
  const lines = [line('bob', at(2026, 11, 28, 23, 58)), line('bob', at(2026, 11, 28, 23, 59)), line('bob', at(2026, 11, 29, 0, 1)), line('ann', at(2026, 11, 30, 9))];
  const rows = buildRows(lines, at(2026, 11, 30, 12));
  assert.deepEqual(
    rows.map((r) => (r.kind === 'day' ? `day ${r.label}` : r.grouped ? 'grouped' : 'line')),
    ['day ' + dayLabel(at(2026, 11, 28, 12), at(2026, 11, 30, 12)), 'line', 'grouped', 'day Yesterday', 'line', 'day Today', 'line'],
  );
  assert.equal(dayKey(at(2026, 1, 5, 10)), '2026-01-05');
});

test('grouping: same sender and kind within five minutes; events, actions and snippets stand alone', () => {
  const t = at(2026, 11, 30, 10);
  assert.equal(continuesGroup(line('bob', t), line('bob', t + GROUP_GAP_MS - 1)), true);
  assert.equal(continuesGroup(line('bob', t), line('bob', t + GROUP_GAP_MS)), false, 'a gap of five minutes starts a new group');
  assert.equal(continuesGroup(line('bob', t), line('ann', t + 1000)), false, 'another sender');
  assert.equal(continuesGroup(line('bob', t), line('bob', t + 1000, { kind: 'notice' })), false, 'another kind');
  assert.equal(continuesGroup(line('bob', t), line('bob', t + 1000, { kind: 'action' })), false);
  assert.equal(continuesGroup(line('bob', t, { kind: 'event' }), line('bob', t + 1000, { kind: 'event' })), false);
  const snippet = { path: 'a.ts', startLine: 1, endLine: 1, language: 'ts', code: 'x' };
  assert.equal(continuesGroup(line('bob', t), line('bob', t + 1000, { snippet })), false);
  assert.equal(continuesGroup(line('bob', t + 5000), line('bob', t)), false, 'out-of-order times do not group');
  assert.equal(continuesGroup(undefined, line('bob', t)), false);
});

test('row keys are unique and stable for 10,000 lines', () => {
  const lines = Array.from({ length: 10_000 }, (_, i) => line(i % 3 ? 'bob' : 'ann', at(2026, 11, 1, 0) + i * 60_000));
  const rows = buildRows(lines);
  assert.equal(new Set(rows.map((r) => r.key)).size, rows.length);
  assert.equal(rows.filter((r) => r.kind === 'line').length, 10_000);
  assert.equal(buildRows(lines)[5]?.key, rows[5]?.key);
});
