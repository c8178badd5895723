// msgid values (IRCv3 message-ids: "an opaque string... unique"): 22 characters from base64url's
// alphabet (URL- and tag-safe, no escaping), made so that byte order (how SQLite compares TEXT)
// follows creation order:
//
//   7 chars  ms since 2020-01-01 (42 bits: until 2159)
//   3 chars  a counter within that ms (18 bits)
//   12 chars random (72 bits)
//
// Why ordered: messages.msgid is UNIQUE, so every stored message adds an entry to that index. A
// random id lands on a random leaf page (one more 4 KiB WAL frame per message in a batch); an
// increasing one lands on the last leaf, shared by the whole batch (bench/storage-cost.ts).
// Unique: in a process (time, counter) never repeats (the time never goes back, even if the clock
// does, and a full counter moves on to the next ms); across restarts and processes the 72 random
// bits keep a collision as unlikely as with fully random ids. Ids stored before this scheme keep
// their value; nothing parses an id, they are only compared for equality.
import { randomFillSync } from 'node:crypto';

/** base64url's 64 characters in ASCII order, so that digit order is byte order. */
const DIGITS = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
/** Two digits per 12-bit value: half the concatenations. */
const PAIRS: string[] = Array.from({ length: 4096 }, (_, v) => (DIGITS[v >> 6] as string) + (DIGITS[v & 63] as string));
const EPOCH = Date.UTC(2020, 0, 1);
const COUNTER_LIMIT = 1 << 18;

const RANDOM_BYTES = 9;
const pool = Buffer.allocUnsafe(RANDOM_BYTES * 512);
let offset = pool.length;

let lastMs = -1;
let counter = 0;
let timePart = '';

function encodeTime(ms: number): string {
  // 42 bits: 6 bits, then three 12-bit pairs.
  const hi = Math.floor(ms / 2 ** 36);
  const lo = ms - hi * 2 ** 36;
  const a = Math.floor(lo / 2 ** 24);
  const b = Math.floor(lo / 2 ** 12) & 4095;
  const c = lo & 4095;
  return (DIGITS[hi & 63] as string) + (PAIRS[a] as string) + (PAIRS[b] as string) + (PAIRS[c] as string);
}

export function newMsgid(): string {
  const now = Math.max(0, Date.now() - EPOCH);
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
    timePart = encodeTime(now);
  } else if (++counter === COUNTER_LIMIT) {
    lastMs++;
    counter = 0;
    timePart = encodeTime(lastMs);
  }
  if (offset + RANDOM_BYTES > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const p = pool;
  const o = offset;
  offset += RANDOM_BYTES;
  return (
    timePart +
    (DIGITS[counter >> 12] as string) +
    (PAIRS[counter & 4095] as string) +
    (PAIRS[((p[o] as number) << 4) | ((p[o + 1] as number) >> 4)] as string) +
    (PAIRS[(((p[o + 1] as number) & 15) << 8) | (p[o + 2] as number)] as string) +
    (PAIRS[((p[o + 3] as number) << 4) | ((p[o + 4] as number) >> 4)] as string) +
    (PAIRS[(((p[o + 4] as number) & 15) << 8) | (p[o + 5] as number)] as string) +
    (PAIRS[((p[o + 6] as number) << 4) | ((p[o + 7] as number) >> 4)] as string) +
    (PAIRS[(((p[o + 7] as number) & 15) << 8) | (p[o + 8] as number)] as string)
  );
}
