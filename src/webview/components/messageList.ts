// The message list, virtualised: of 10,000 lines only the rows near the viewport are in the DOM.
// Heights are estimated, then measured once drawn; the top visible row is kept in place whenever
// rows or heights change, unless the list is at the bottom, where it follows new lines.
import { buildRows, type Row } from '../logic/rows.ts';
import { visibleWindow, prefixOffsets } from '../logic/virtual.ts';
import type { ChatLine } from '../messages.ts';
import { estimateHeight, renderRow, type LineActions } from './lineView.ts';

export type LinesChange = 'replace' | 'append' | 'prepend' | 'update';

export interface ScrollState {
  readonly atBottom: boolean;
  readonly anchor?: { readonly id: string; readonly offset: number };
}

export interface MessageList {
  readonly element: HTMLElement;
  /** The conversation shown (its name labels the list) and my nick (for mention highlighting). */
  setContext(conversation: string | undefined, label: string, myNick: string | undefined): void;
  setLines(lines: readonly ChatLine[], hasOlder: boolean, change: LinesChange): void;
  scrollState(): ScrollState;
  restoreScroll(state: ScrollState): void;
  isAtBottom(): boolean;
  scrollToBottom(): void;
  /** Scrolls to a line, highlights and focuses it; false when the list does not have it. */
  reveal(id: string): boolean;
  /** Draws the visible rows again (what they offer changed: capabilities, operator status). */
  redraw(): void;
}

export interface MessageListEvents extends LineActions {
  /** Returns false when the request could not be made yet (asked again on the next draw). */
  loadOlder(): boolean;
  /** The list reached or left the bottom (read markers, saved state). */
  scrolled(atBottom: boolean): void;
}

/** Pixels drawn beyond the viewport each side, and a hard cap on drawn rows. */
const OVERSCAN_PX = 600;
const MAX_DRAWN_ROWS = 150;
/** Within this distance of the bottom counts as "at the bottom". */
const BOTTOM_SLACK_PX = 24;
/** Ask for older lines this far from the top, so they arrive before the user hits it. */
const LOAD_OLDER_PX = 200;
/** A loadOlder without an answer for this long may be asked again. */
const OLDER_TIMEOUT_MS = 15_000;

export function createMessageList(events: MessageListEvents): MessageList {
  const wrap = document.createElement('div');
  wrap.className = 'messages-wrap';
  const scroller = document.createElement('div');
  scroller.className = 'messages';
  scroller.setAttribute('role', 'log');
  scroller.setAttribute('aria-live', 'polite');
  scroller.setAttribute('aria-relevant', 'additions');
  scroller.tabIndex = 0;
  const before = document.createElement('div');
  before.className = 'spacer';
  const list = document.createElement('ol');
  list.className = 'message-rows';
  const after = document.createElement('div');
  after.className = 'spacer';
  const older = document.createElement('div');
  older.className = 'older';
  scroller.append(older, before, list, after);
  const jump = document.createElement('button');
  jump.type = 'button';
  jump.className = 'jump-new';
  jump.textContent = 'New messages ↓';
  jump.hidden = true;
  jump.addEventListener('click', () => api.scrollToBottom());
  const empty = document.createElement('div');
  empty.className = 'messages-empty';
  wrap.append(scroller, jump, empty);

  let rows: Row[] = [];
  let index = new Map<string, number>();
  let offsets: number[] = [0];
  let hasOlder = false;
  let olderRequested = false;
  let olderTimer: number | undefined;
  let atBottom = true;
  let myNick: string | undefined;
  let conversation: string | undefined;
  const measured = new Map<string, number>();
  const estimated = new Map<string, number>();
  const drawn = new Map<string, { el: HTMLElement; row: Row }>();
  let width = 0;
  let frame = 0;

  const charsPerLine = (): number => Math.max(10, Math.floor((width || 300) / 7));
  const heightOf = (row: Row): number => {
    const m = measured.get(row.key);
    if (m !== undefined) return m;
    let e = estimated.get(row.key);
    if (e === undefined) {
      e = estimateHeight(row, charsPerLine());
      estimated.set(row.key, e);
    }
    return e;
  };
  const recomputeOffsets = (): void => {
    offsets = prefixOffsets(rows.map(heightOf));
  };
  const olderHeight = (): number => older.offsetHeight;

  /** The row at the top of the viewport and how far it is scrolled past, in list coordinates. */
  const captureAnchor = (): { key: string; offset: number } | undefined => {
    const y = scroller.scrollTop - olderHeight();
    let lo = 0;
    let hi = rows.length - 1;
    if (hi < 0) return undefined;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((offsets[mid] ?? 0) <= y) lo = mid;
      else hi = mid - 1;
    }
    const row = rows[lo];
    return row ? { key: row.key, offset: y - (offsets[lo] ?? 0) } : undefined;
  };

  /** Where the view last scrolled itself; a scroll event elsewhere is the user's. */
  let ownScrollTop = -1;
  const applyAnchor = (anchor: { key: string; offset: number } | undefined): void => {
    if (atBottom) {
      scroller.scrollTop = scroller.scrollHeight;
      ownScrollTop = scroller.scrollTop;
      return;
    }
    if (!anchor) return;
    const i = index.get(anchor.key);
    if (i === undefined) return;
    const top = (offsets[i] ?? 0) + anchor.offset + olderHeight();
    if (Math.abs(scroller.scrollTop - top) >= 1) scroller.scrollTop = top;
    ownScrollTop = scroller.scrollTop;
  };

  const updateAtBottom = (): void => {
    const now = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= BOTTOM_SLACK_PX;
    if (now !== atBottom) {
      atBottom = now;
      if (atBottom) jump.hidden = true;
      events.scrolled(atBottom);
    }
  };

  /** Draws the rows near the viewport, measures them, and keeps `anchor` in place. */
  const draw = (anchor: { key: string; offset: number } | undefined): void => {
    for (let pass = 0; pass < 3; pass++) {
      const win = visibleWindow(offsets, scroller.scrollTop - olderHeight(), scroller.clientHeight || 600, OVERSCAN_PX, MAX_DRAWN_ROWS);
      const els: HTMLElement[] = [];
      const keep = new Set<string>();
      for (let i = win.start; i < win.end; i++) {
        const row = rows[i];
        if (!row) continue;
        keep.add(row.key);
        let d = drawn.get(row.key);
        if (!d || !sameRow(d.row, row)) {
          const el = renderRow(row, myNick, events);
          if (d) d.el.replaceWith(el);
          d = { el, row };
          drawn.set(row.key, d);
          measured.delete(row.key);
        }
        els.push(d.el);
      }
      for (const [key, d] of drawn) {
        if (!keep.has(key)) {
          d.el.remove();
          drawn.delete(key);
        }
      }
      let cursor = list.firstElementChild;
      for (const el of els) {
        if (el === cursor) cursor = cursor.nextElementSibling;
        else list.insertBefore(el, cursor);
      }
      before.style.height = `${win.before}px`;
      after.style.height = `${win.after}px`;
      // Measure what is drawn; if a guess was wrong, recompute and draw again around the anchor.
      let changed = false;
      for (const [key, d] of drawn) {
        const h = d.el.offsetHeight;
        if (h > 0 && measured.get(key) !== h) {
          measured.set(key, h);
          changed = true;
        }
      }
      if (changed) {
        recomputeOffsets();
        before.style.height = `${offsets[win.start] ?? 0}px`;
        after.style.height = `${(offsets[rows.length] ?? 0) - (offsets[win.end] ?? 0)}px`;
      }
      applyAnchor(anchor);
      if (!changed) break;
    }
    updateAtBottom();
    maybeLoadOlder();
  };

  const maybeLoadOlder = (): void => {
    if (!hasOlder || olderRequested || !conversation || rows.length === 0) return;
    if (scroller.scrollTop > LOAD_OLDER_PX) return;
    if (scroller.clientHeight === 0) return; // hidden: nothing is on screen to fill
    if (!events.loadOlder()) return;
    olderRequested = true;
    older.textContent = 'Loading older messages…';
    // If no page comes back (a lost reply), scrolling to the top may ask again later.
    window.clearTimeout(olderTimer);
    olderTimer = window.setTimeout(() => {
      olderRequested = false;
      older.textContent = '';
    }, OLDER_TIMEOUT_MS);
  };

  // Rows drawn because the user scrolled are not news: the live region is muted while they are
  // inserted, so screen readers announce new messages only (set back once the burst is over).
  let unmute: number | undefined;
  const muteLiveRegion = (): void => {
    scroller.setAttribute('aria-live', 'off');
    window.clearTimeout(unmute);
    unmute = window.setTimeout(() => scroller.setAttribute('aria-live', 'polite'), 300);
  };

  // Keyboard: Enter on the list selects the last message in view; Up/Down move between messages
  // (Tab then reaches the focused one's actions); Escape goes back to the list.
  const messageRows = (): HTMLElement[] => Array.from(list.querySelectorAll<HTMLElement>('li.line.message[tabindex]'));
  const focusLine = (el: HTMLElement | undefined): void => {
    if (!el) return;
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: 'nearest' });
  };
  scroller.addEventListener('keydown', (event: KeyboardEvent) => {
    const target = event.target as HTMLElement | null;
    if (target === scroller) {
      if (event.key !== 'Enter') return;
      const view = scroller.getBoundingClientRect();
      const inView = messageRows().filter((r) => {
        const b = r.getBoundingClientRect();
        return b.bottom > view.top && b.top < view.bottom;
      });
      event.preventDefault();
      focusLine(inView.at(-1));
      return;
    }
    const line = target?.closest<HTMLElement>('li.line.message');
    if (!line) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      scroller.focus();
      return;
    }
    if (target !== line || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    const all = messageRows();
    const at = all.indexOf(line);
    focusLine(all[event.key === 'ArrowUp' ? Math.max(0, at - 1) : Math.min(all.length - 1, at + 1)]);
  });
  // The focused message's actions (and reactions, reply quote) join the Tab order; others stay out.
  const setTabbable = (line: Element | null, on: boolean): void => {
    if (!line) return;
    for (const b of line.querySelectorAll<HTMLElement>('.line-action, .reaction, .reply-quote')) b.tabIndex = on ? 0 : -1;
  };
  list.addEventListener('focusin', (event) => setTabbable((event.target as HTMLElement).closest('li.line.message'), true));
  list.addEventListener('focusout', (event) => {
    const from = (event.target as HTMLElement).closest('li.line.message');
    const to = (event.relatedTarget as HTMLElement | null)?.closest('li.line.message');
    if (from && from !== to) setTabbable(from, false);
  });

  scroller.addEventListener('scroll', () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      updateAtBottom();
      if (Math.abs(scroller.scrollTop - ownScrollTop) > 1) muteLiveRegion();
      draw(atBottom ? undefined : captureAnchor());
    });
  });

  new ResizeObserver(() => {
    const w = scroller.clientWidth;
    const anchor = atBottom ? undefined : captureAnchor();
    if (w !== width) {
      // Wrapping changes with the width: forget heights; drawn rows are measured again at once.
      width = w;
      measured.clear();
      estimated.clear();
      recomputeOffsets();
    }
    draw(anchor);
  }).observe(scroller);

  const api: MessageList = {
    element: wrap,
    setContext(id, label, nick) {
      scroller.setAttribute('aria-label', label ? `Messages in ${label}` : 'Messages');
      const nickChanged = nick !== myNick;
      if (id !== conversation) olderRequested = false;
      conversation = id;
      myNick = nick;
      if (nickChanged && drawn.size > 0) {
        // Mention highlighting depends on the nick: draw the visible rows again.
        const anchor = atBottom ? undefined : captureAnchor();
        for (const d of drawn.values()) d.el.remove();
        drawn.clear();
        draw(anchor);
      }
    },
    setLines(lines, older_, change) {
      const anchor = change === 'replace' ? undefined : atBottom ? undefined : captureAnchor();
      const appended = change === 'append' && lines.length > 0 && !atBottom;
      hasOlder = older_;
      if (change === 'prepend' || change === 'replace') {
        olderRequested = false;
        window.clearTimeout(olderTimer);
      }
      older.textContent = hasOlder ? (olderRequested ? 'Loading older messages…' : '') : lines.length > 0 ? 'This is the beginning of the conversation.' : '';
      rows = buildRows(lines);
      index = new Map(rows.map((r, i) => [r.key, i]));
      for (const key of measured.keys()) if (!index.has(key)) measured.delete(key);
      for (const key of estimated.keys()) if (!index.has(key)) estimated.delete(key);
      // Day labels ("Today") and grouping depend on neighbours: rows whose shape changed are redrawn by draw().
      if (change === 'replace') {
        atBottom = true;
        jump.hidden = true;
      }
      empty.hidden = lines.length > 0;
      empty.textContent = conversation ? 'No messages yet. Say hello!' : '';
      recomputeOffsets();
      draw(anchor);
      if (appended && !atBottom) jump.hidden = false;
    },
    scrollState() {
      if (atBottom) return { atBottom: true };
      const a = captureAnchor();
      const row = a ? rows[index.get(a.key) ?? -1] : undefined;
      return row && row.kind === 'line' ? { atBottom: false, anchor: { id: row.line.id, offset: a?.offset ?? 0 } } : { atBottom: false };
    },
    restoreScroll(state) {
      if (state.atBottom || !state.anchor) {
        api.scrollToBottom();
        return;
      }
      const key = `line:${state.anchor.id}`;
      if (!index.has(key)) {
        api.scrollToBottom();
        return;
      }
      atBottom = false;
      draw({ key, offset: state.anchor.offset });
    },
    isAtBottom: () => atBottom,
    reveal(id) {
      const key = `line:${id}`;
      const i = index.get(key);
      if (i === undefined) return false;
      atBottom = false;
      // A third down the view, so the lines before it (its context) show too.
      const third = Math.floor((scroller.clientHeight || 600) / 3);
      scroller.scrollTop = Math.max(0, (offsets[i] ?? 0) + olderHeight() - third);
      ownScrollTop = scroller.scrollTop;
      draw({ key, offset: -third });
      draw({ key, offset: -third });
      updateAtBottom();
      const d = drawn.get(key);
      if (d) {
        d.el.classList.add('highlight');
        window.setTimeout(() => d.el.classList.remove('highlight'), 2000);
        d.el.focus({ preventScroll: true });
      }
      return true;
    },
    redraw() {
      const anchor = atBottom ? undefined : captureAnchor();
      for (const d of drawn.values()) d.el.remove();
      drawn.clear();
      draw(anchor);
    },
    scrollToBottom() {
      atBottom = true;
      jump.hidden = true;
      draw(undefined);
      events.scrolled(true);
    },
  };
  return api;
}

/** Same content and same grouping: the drawn element can stay. */
function sameRow(a: Row, b: Row): boolean {
  if (a.kind === 'day' || b.kind === 'day') return a.kind === b.kind && a.kind === 'day' && b.kind === 'day' && a.label === b.label;
  return a.line === b.line && a.grouped === b.grouped;
}
