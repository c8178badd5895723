// Windowing math for the message list: which rows to draw for a scroll offset. Row heights are
// measured once drawn and estimated before; offsets are prefix sums, so a lookup is a binary search.

/** offsets[i] is the top of row i; offsets[n] is the total height. */
export function prefixOffsets(heights: readonly number[]): number[] {
  const offsets = new Array<number>(heights.length + 1);
  let y = 0;
  offsets[0] = 0;
  for (let i = 0; i < heights.length; i++) {
    y += heights[i] ?? 0;
    offsets[i + 1] = y;
  }
  return offsets;
}

/** The row containing pixel `y` (clamped to the rows that exist). */
export function rowAt(offsets: readonly number[], y: number): number {
  const n = offsets.length - 1;
  if (n <= 0) return 0;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((offsets[mid] ?? 0) <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface Window {
  /** First row to draw. */
  readonly start: number;
  /** One past the last row to draw. */
  readonly end: number;
  /** Height of the space above the first drawn row. */
  readonly before: number;
  /** Height of the space below the last drawn row. */
  readonly after: number;
}

/**
 * Rows to draw for a viewport at `scrollTop` of height `viewport`, plus `overscan` pixels each side
 * (so fast scrolling does not show gaps), never more than `maxRows` (so the DOM stays bounded even
 * if every row were 0 px high).
 */
export function visibleWindow(offsets: readonly number[], scrollTop: number, viewport: number, overscan: number, maxRows: number): Window {
  const n = offsets.length - 1;
  const total = offsets[n] ?? 0;
  if (n <= 0) return { start: 0, end: 0, before: 0, after: 0 };
  const top = Math.max(0, Math.min(scrollTop, total) - overscan);
  const bottom = Math.max(0, scrollTop) + Math.max(0, viewport) + overscan;
  const start = rowAt(offsets, top);
  let end = rowAt(offsets, bottom) + 1;
  if (end - start > maxRows) end = start + maxRows;
  end = Math.min(end, n);
  return { start, end, before: offsets[start] ?? 0, after: total - (offsets[end] ?? total) };
}
