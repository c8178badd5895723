// CHATHISTORY queries (IRCv3 draft/chathistory). Every page is one range scan of history_index
// (target, time, id), walked forwards or backwards, so a page costs the same whatever the size of
// the table, merged with the few newest messages not indexed yet (historyIndex.ts: a rowid range
// of at most ~INDEX_EVERY rows). Messages are ordered by (time, id): id breaks ties between
// messages stored in the same millisecond. Reference points are exclusive, as the spec says.
// https://ircv3.net/specs/extensions/chathistory
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { casefold } from '../../protocol/casemap.ts';
import { GRANULARITY_MS } from './conversations.ts';
import { HISTORY_INDEX_SQL } from './historyIndex.ts';
import { channelKey } from './keys.ts';
import { MESSAGE_COLUMNS, toStoredMessage, type MessageRow } from './rows.ts';
import type { ChannelSpan, HistoryPoint, HistoryRequest, HistoryResult, HistoryStore, HistoryTarget, StoredMessage } from './types.ts';

/** Hard cap per query whatever the engine asks; its ISUPPORT CHATHISTORY limit should be lower. */
export const MAX_QUERY_LIMIT = 1000;
const ID_MAX = Number.MAX_SAFE_INTEGER;

/** A position in a target's timeline: (time, id). */
type Key = readonly [number, number];

const M_COLUMNS = MESSAGE_COLUMNS.split(', ').map((c) => `m.${c}`).join(', ');
/** history_index drives (CROSS JOIN keeps it the outer loop), each hit fetches its row by id. */
const INDEXED = `SELECT ${M_COLUMNS} FROM history_index h CROSS JOIN messages m ON m.id = h.id`;

/** Keys as two JSON arrays in one row: far cheaper than one result row per key. */
interface KeyColumns {
  times: string | null;
  ids: string | null;
}

/**
 * The `limit` first (time, id) keys of both parts in `dir` order (1: ascending, -1: descending);
 * a key in both parts counts once. Returns their ids.
 */
function firstKeys(parts: KeyColumns[], dir: 1 | -1, limit: number): number[] {
  const keys: [number, number][] = [];
  for (const p of parts) {
    const times = JSON.parse(p.times ?? '[]') as number[];
    const ids = JSON.parse(p.ids ?? '[]') as number[];
    times.forEach((t, i) => keys.push([t, ids[i] as number]));
  }
  keys.sort((x, y) => dir * (x[0] - y[0] || x[1] - y[1]));
  const out: number[] = [];
  for (const [, id] of keys) {
    if (out.length === limit) break;
    if (out[out.length - 1] !== id) out.push(id);
  }
  return out;
}

function clampLimit(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.min(MAX_QUERY_LIMIT, Math.floor(n))) : 0;
}

/**
 * Parses a CHATHISTORY reference parameter: `*` -> null, `msgid=ID`, `timestamp=ISO-8601`
 * (e.g. 2019-01-04T14:33:26.123Z). Returns 'invalid' for anything else.
 */
export function parseHistoryPoint(param: string): HistoryPoint | null | 'invalid' {
  if (param === '*') return null;
  if (param.startsWith('msgid=') && param.length > 6) return { msgid: param.slice(6) };
  if (param.startsWith('timestamp=')) {
    const iso = param.slice(10);
    // Require the spec's shape (YYYY-MM-DDThh:mm:ss[.sss]Z) rather than anything Date.parse accepts.
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/.test(iso)) return 'invalid';
    const t = Date.parse(iso);
    return Number.isFinite(t) ? { time: t } : 'invalid';
  }
  return 'invalid';
}

/** Formats ms since epoch as the server-time / timestamp= format: 2019-01-04T14:33:26.123Z. */
export function formatServerTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** The statements, exported so a test can EXPLAIN QUERY PLAN exactly what runs. */
export const HISTORY_SQL = {
  pointOf: 'SELECT time, id FROM messages WHERE msgid = ? AND target = ?',
  upTo: HISTORY_INDEX_SQL.upTo,
  // (time, id) row values compare lexicographically and SQLite turns them into a range on the index.
  // Parameters of all four: target, lo time, lo id, hi time, hi id, limit.
  before: `${INDEXED} WHERE h.target = ? AND (h.time, h.id) > (?, ?) AND (h.time, h.id) < (?, ?) ORDER BY h.time DESC, h.id DESC LIMIT ?`,
  after: `${INDEXED} WHERE h.target = ? AND (h.time, h.id) > (?, ?) AND (h.time, h.id) < (?, ?) ORDER BY h.time ASC, h.id ASC LIMIT ?`,
  beforeKeys: `SELECT json_group_array(time) AS times, json_group_array(id) AS ids FROM
    (SELECT time, id FROM history_index WHERE target = ? AND (time, id) > (?, ?) AND (time, id) < (?, ?) ORDER BY time DESC, id DESC LIMIT ?)`,
  afterKeys: `SELECT json_group_array(time) AS times, json_group_array(id) AS ids FROM
    (SELECT time, id FROM history_index WHERE target = ? AND (time, id) > (?, ?) AND (time, id) < (?, ?) ORDER BY time ASC, id ASC LIMIT ?)`,
  // The messages after up_to in the range, unsorted (sorted in JS): a rowid range.
  tailKeys: `SELECT count(*) AS n, json_group_array(time) AS times, json_group_array(id) AS ids FROM messages
    WHERE id > ? AND target = ? AND (time, id) > (?, ?) AND (time, id) < (?, ?)`,
  byIds: `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id IN (SELECT value FROM json_each(?))`,
  // last_time may lag its newest message by up to GRANULARITY_MS (conversations.ts): callers widen by that.
  conversations: 'SELECT peer_display, target FROM dm_conversations WHERE party = ? AND last_time > ?',
  // A party's rows (its primary key's prefix); NOCASE: the name as TARGETS showed it, in any ASCII case.
  peerNamed: 'SELECT peer FROM dm_conversations WHERE party = ? AND peer_display = ? COLLATE NOCASE ORDER BY last_time DESC LIMIT 1',
  // ORDER BY ... LIMIT 1 walks the index backwards from `hi`: O(log n), unlike max() over a range.
  lastIn: 'SELECT time AS t FROM history_index WHERE target = ? AND time > ? AND time < ? ORDER BY time DESC LIMIT 1',
  tailLastIn: 'SELECT max(time) AS t FROM messages WHERE id > ? AND target = ? AND time > ? AND time < ?',
} as const;

type Statements = { -readonly [K in keyof typeof HISTORY_SQL]: StatementSync };

export class SqliteHistoryStore implements HistoryStore {
  private readonly sql: Statements;
  keepSince: (() => number) | null = null;

  constructor(db: DatabaseSync) {
    const entries = Object.entries(HISTORY_SQL).map(([k, q]) => [k, db.prepare(q)]);
    this.sql = Object.fromEntries(entries) as Statements;
  }

  /**
   * Where the index ends, read BEFORE the index queries: rows up to it are in the index from then
   * on, rows after it are in the tail query; one indexed meanwhile shows in both (merge() drops
   * the copy), none can be missed.
   */
  private upTo(): number {
    // No row (a damaged file): everything counts as not indexed; slow, but nothing is missed.
    return Number((this.sql.upTo.get() as { up_to: number } | undefined)?.up_to ?? 0);
  }

  /** A point as an exclusive bound: for a time, 'lower' = just after it, 'upper' = just before it. undefined: unknown msgid. */
  private resolve(target: string, p: HistoryPoint, side: 'lower' | 'upper'): Key | undefined {
    if ('time' in p) return side === 'lower' ? [p.time, ID_MAX] : [p.time, 0];
    const r = this.sql.pointOf.get(p.msgid, target) as { time: number; id: number } | undefined;
    return r ? [Number(r.time), Number(r.id)] : undefined;
  }

  /**
   * Messages strictly between lo and hi, `limit` of them counted from lo upwards (dir 1) or from hi
   * downwards (-1), in that order. With no unindexed message in the range (the usual case) one
   * indexed range scan; else the keys of both parts are merged and only the winners' rows read.
   */
  private page(target: string, lo: Key, hi: Key, limit: number, dir: 1 | -1): MessageRow[] {
    const keep = this.keepSince?.();
    if (keep !== undefined && lo[0] < keep) lo = [keep, -1]; // retention: from `keep` on, inclusive
    const upTo = this.upTo();
    const tail = this.sql.tailKeys.get(upTo, target, lo[0], lo[1], hi[0], hi[1]) as unknown as KeyColumns & { n: number };
    const range = [target, lo[0], lo[1], hi[0], hi[1], limit] as const;
    if (Number(tail.n) === 0) return (dir === 1 ? this.sql.after : this.sql.before).all(...range) as unknown as MessageRow[];
    const indexed = (dir === 1 ? this.sql.afterKeys : this.sql.beforeKeys).get(...range) as unknown as KeyColumns;
    const ids = firstKeys([indexed, tail], dir, limit);
    const rows = new Map<number, MessageRow>();
    for (const r of this.sql.byIds.all(JSON.stringify(ids)) as unknown as MessageRow[]) rows.set(Number(r.id), r);
    return ids.flatMap((id) => rows.get(id) ?? []);
  }

  /** Messages strictly between lo and hi, `limit` of them counted from hi downwards; returned oldest first. */
  private pageBackward(target: string, hi: Key, lo: Key, limit: number): StoredMessage[] {
    return this.page(target, lo, hi, limit, -1).map(toStoredMessage).reverse();
  }

  /** Messages strictly between lo and hi, `limit` of them counted from lo upwards; oldest first. */
  private pageForward(target: string, lo: Key, hi: Key, limit: number): StoredMessage[] {
    return this.page(target, lo, hi, limit, 1).map(toStoredMessage);
  }

  query(targetName: string, req: HistoryRequest, from?: number): HistoryResult {
    // Keys are already folded; folding again is harmless and forgives a '#Room' from the caller.
    const target = casefold(targetName);
    // `from` (a room's current life) is a bound of every range, not a filter of the pages: a page
    // is still `limit` long. (from, 0) as an exclusive lower bound is every message at `from` or later.
    const MIN: Key = from === undefined ? [Number.MIN_SAFE_INTEGER, 0] : [from, 0];
    const atLeast = (k: Key): Key => (k[0] > MIN[0] || (k[0] === MIN[0] && k[1] >= MIN[1]) ? k : MIN);
    // A msgid from before the current life is as unknown as one from another target.
    const resolve = (p: HistoryPoint, side: 'lower' | 'upper'): Key | undefined => {
      const k = this.resolve(target, p, side);
      return k !== undefined && 'msgid' in p && atLeast(k) !== k ? undefined : k;
    };
    return this.queryIn(target, req, MIN, atLeast, resolve);
  }

  peerNamed(party: string, name: string): string | null {
    const r = this.sql.peerNamed.get(casefold(party), name) as { peer: string } | undefined;
    return r?.peer ?? null;
  }

  newestTime(targetName: string): number | null {
    const t = this.lastIn(casefold(targetName), Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, this.upTo());
    return t ?? null;
  }

  /** The time of the newest message of `target` strictly between lo and hi. */
  private lastIn(target: string, lo: number, hi: number, upTo: number): number | undefined {
    const r = this.sql.lastIn.get(target, lo, hi) as { t: number } | undefined;
    const tail = (this.sql.tailLastIn.get(upTo, target, lo, hi) as { t: number | null }).t;
    // Times follow ids only roughly (a clock stepped back): take the later of both.
    if (tail === null) return r === undefined ? undefined : Number(r.t);
    return r === undefined ? Number(tail) : Math.max(Number(r.t), Number(tail));
  }

  private queryIn(
    target: string,
    req: HistoryRequest,
    MIN: Key,
    atLeast: (k: Key) => Key,
    resolve: (p: HistoryPoint, side: 'lower' | 'upper') => Key | undefined,
  ): HistoryResult {
    const limit = clampLimit(req.limit);
    const MAX: Key = [Number.MAX_SAFE_INTEGER, ID_MAX];
    const unknown: HistoryResult = { ok: false, error: 'unknown-msgid' };
    switch (req.kind) {
      case 'LATEST': {
        const lo = req.after ? resolve(req.after, 'lower') : MIN;
        return lo ? { ok: true, messages: this.pageBackward(target, MAX, atLeast(lo), limit) } : unknown;
      }
      case 'BEFORE': {
        const hi = resolve(req.point, 'upper');
        return hi ? { ok: true, messages: this.pageBackward(target, hi, MIN, limit) } : unknown;
      }
      case 'AFTER': {
        const lo = resolve(req.point, 'lower');
        return lo ? { ok: true, messages: this.pageForward(target, atLeast(lo), MAX, limit) } : unknown;
      }
      case 'AROUND': {
        const p = resolve(req.point, 'upper');
        if (!p) return unknown;
        // Half before the point; the rest from the point on (a msgid point includes its message).
        const older = this.pageBackward(target, p, MIN, Math.floor(limit / 2));
        const fromPoint: Key = [p[0], p[1] - 1]; // exclusive bound just below p
        const newer = this.pageForward(target, atLeast(fromPoint), MAX, limit - older.length);
        return { ok: true, messages: [...older, ...newer] };
      }
      case 'BETWEEN': {
        // Bounds are exclusive. Resolve both as "lower" and "upper" depending on direction.
        const startIsTime = 'time' in req.start;
        const endIsTime = 'time' in req.end;
        const s = resolve(req.start, 'lower');
        const e = resolve(req.end, 'upper');
        if (!s || !e) return unknown;
        const forward = s[0] < e[0] || (s[0] === e[0] && s[1] <= e[1]) || (startIsTime && endIsTime && s[0] <= e[0]);
        if (forward) return { ok: true, messages: this.pageForward(target, atLeast(s), e, limit) };
        // start is after end: walk backwards from start, so `limit` counts from start.
        const hi = 'time' in req.start ? ([req.start.time, 0] as Key) : s;
        const lo = 'time' in req.end ? ([req.end.time, ID_MAX] as Key) : e;
        return { ok: true, messages: this.pageBackward(target, hi, atLeast(lo), limit) };
      }
    }
  }

  targets(q: { party: string; channels: readonly ChannelSpan[]; from: number; to: number; limit: number }): HistoryTarget[] {
    const keep = this.keepSince?.();
    const lo = Math.max(Math.min(q.from, q.to), keep === undefined ? -Infinity : keep - 1); // retention: exclusive bound
    const hi = Math.max(q.from, q.to);
    const limit = clampLimit(q.limit);
    const found: HistoryTarget[] = [];
    const upTo = this.upTo();
    const lastIn = (target: string, since = Number.MIN_SAFE_INTEGER): number | undefined => this.lastIn(target, Math.max(lo, since - 1), hi, upTo);
    // Conversations whose latest message is not after `lo` cannot have any in the window; their
    // last_time may lag by up to GRANULARITY_MS, and lastIn() checks the messages exactly.
    for (const c of this.sql.conversations.all(casefold(q.party), lo - GRANULARITY_MS) as { peer_display: string; target: string }[]) {
      const t = lastIn(c.target);
      if (t !== undefined) found.push({ name: c.peer_display, target: c.target, type: 'dm', lastTime: t });
    }
    const seen = new Set<string>();
    for (const span of q.channels) {
      const ch = typeof span === 'string' ? { name: span, from: undefined } : span;
      const target = channelKey(ch.name);
      if (seen.has(target)) continue;
      seen.add(target);
      const t = lastIn(target, ch.from);
      if (t !== undefined) found.push({ name: ch.name, target, type: 'channel', lastTime: t });
    }
    found.sort((a, b) => a.lastTime - b.lastTime || (a.name < b.name ? -1 : 1));
    // `limit` counts from `from`'s side: the oldest if from < to, the newest otherwise.
    return q.from <= q.to ? found.slice(0, limit) : found.slice(Math.max(0, found.length - limit));
  }
}
