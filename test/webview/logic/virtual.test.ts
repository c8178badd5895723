// Virtual-window math (src/webview/logic/virtual.ts): which rows to draw for a scroll offset.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prefixOffsets, rowAt, visibleWindow } from '../../../src/webview/logic/virtual.ts';

test('prefix offsets and the row at a pixel', () => {
  const offsets = prefixOffsets([10, 20, 30]);
  assert.deepEqual(offsets, [0, 10, 30, 60]);
  assert.equal(rowAt(offsets, 0), 0);
  assert.equal(rowAt(offsets, 9.9), 0);
  assert.equal(rowAt(offsets, 10), 1);
  assert.equal(rowAt(offsets, 59), 2);
  assert.equal(rowAt(offsets, 1000), 2, 'clamped to the last row');
  assert.equal(rowAt(offsets, -5), 0, 'clamped to the first row');
  assert.equal(rowAt([0], 5), 0);
});

test('the window covers the viewport plus overscan, with spacers for the rest', () => {
  const offsets = prefixOffsets(new Array(10_000).fill(20));
  const w = visibleWindow(offsets, 100_000, 600, 200, 1000);
  assert.equal(w.start, (100_000 - 200) / 20);
  assert.equal(w.end, (100_000 + 600 + 200) / 20 + 1);
  assert.equal(w.before, w.start * 20);
  assert.equal(w.before + (w.end - w.start) * 20 + w.after, 200_000, 'spacers plus drawn rows make the full height');
});

test('edges: top, bottom, past the end, empty, and a hard cap on rows', () => {
  const offsets = prefixOffsets(new Array(100).fill(10));
  assert.deepEqual(visibleWindow(offsets, 0, 50, 0, 1000), { start: 0, end: 6, before: 0, after: 940 });
  const bottom = visibleWindow(offsets, 950, 50, 0, 1000);
  assert.equal(bottom.end, 100);
  assert.equal(bottom.after, 0);
  assert.equal(visibleWindow(offsets, 99_999, 50, 0, 1000).end, 100, 'scrolled past the end');
  assert.deepEqual(visibleWindow([0], 0, 500, 100, 10), { start: 0, end: 0, before: 0, after: 0 });
  const tiny = prefixOffsets(new Array(10_000).fill(1));
  const capped = visibleWindow(tiny, 0, 800, 600, 150);
  assert.equal(capped.end - capped.start, 150, 'tiny rows cannot make the DOM unbounded');
  const zero = visibleWindow(prefixOffsets(new Array(10_000).fill(0)), 0, 800, 600, 150);
  assert.ok(zero.end - zero.start <= 150);
});

test('variable heights: the row under the viewport top is first (minus overscan)', () => {
  const heights = Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 100 : 20));
  const offsets = prefixOffsets(heights);
  for (const scrollTop of [0, 137, 5000, 12_345, 27_000]) {
    const w = visibleWindow(offsets, scrollTop, 400, 0, 1000);
    assert.ok((offsets[w.start] ?? 0) <= scrollTop && scrollTop < (offsets[w.start + 1] ?? Infinity), `start row contains ${scrollTop}`);
    assert.ok((offsets[w.end] ?? 0) >= Math.min(scrollTop + 400, offsets.at(-1) ?? 0), `end row reaches the viewport bottom at ${scrollTop}`);
  }
});
