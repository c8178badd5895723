// Seeds our server's history before it starts, through the server's own storage module (never
// by writing SQL here), so a million stored messages take seconds instead of a long IRC run.

import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

type StorageModule = typeof import('../../src/server/storage/index.ts');

/** The account that registered the seeded rooms. */
const SEED_FOUNDER = 'hseed';

export type SeedResult = { seeded: number; ms: number; rowsPerSec: number };

export type SeedShape = {
  /** Message j goes to rooms[j % rooms.length] (default: [room]). */
  rooms?: readonly string[];
  /** Message j's text (default: `h<j> seeded history line for the bench`). */
  text?: (j: number) => string;
};

/** Writes `count` channel messages to `room`, 1 ms apart and ending now. Returns an error text on failure. */
export async function seedHistory(dataDir: string, room: string, count: number, shape: SeedShape = {}): Promise<SeedResult | string> {
  const rooms = shape.rooms ?? [room];
  const text = shape.text ?? ((j: number) => `h${j} seeded history line for the bench`);
  let mod: StorageModule;
  try {
    mod = (await import(pathToFileURL(resolve('src/server/storage/index.ts')).href)) as StorageModule;
  } catch (err) {
    return `cannot load src/server/storage: ${(err as Error).message}`;
  }
  if (typeof mod.openStore !== 'function') return 'src/server/storage does not export openStore';
  const t0 = performance.now();
  const store = mod.openStore(dataDir);
  try {
    const start = Date.now() - count;
    // The server serves an unregistered room's history from its creation on (rooms.ts: a new life
    // starts after the newest stored message), so the seeded rooms are registered, living since
    // before their first message, as a team's rooms are; else a joiner would find none of it.
    await store.accounts.createAccount(SEED_FOUNDER, randomBytes(16).toString('hex'));
    for (const name of rooms) {
      store.channels.saveChannel({ name, founder: SEED_FOUNDER, topic: null, topicSetBy: null, topicTime: null, modes: 'nt', key: null, limit: null, createdAt: start - 1 });
    }
    // Group commit writes everything queued in one event-loop turn as one transaction. The last
    // LIVE_TAIL messages go in small batches, as live traffic does: the CHATHISTORY index is filled
    // every 512 messages (src/server/storage/historyIndex.ts), so a real room's newest messages
    // are not in it yet and LATEST pages read both parts.
    const CHUNK = 20_000;
    const LIVE_TAIL = Math.min(300, count);
    const bulk = count - LIVE_TAIL;
    const write = async (from: number, to: number): Promise<void> => {
      const batch: Promise<unknown>[] = [];
      for (let j = from; j < to; j++) {
        batch.push(
          store.messages.enqueue({
            target: { type: 'channel', name: rooms[j % rooms.length]! },
            kind: 'PRIVMSG',
            source: 'hseed!hseed@127.0.0.1',
            senderNick: 'hseed',
            senderAccount: null,
            text: text(j),
            time: start + j,
          }),
        );
      }
      await Promise.all(batch);
    };
    for (let i = 0; i < bulk; i += CHUNK) await write(i, Math.min(bulk, i + CHUNK));
    for (let i = bulk; i < count; i += 10) await write(i, Math.min(count, i + 10));
  } catch (err) {
    return `seeding failed: ${(err as Error).message}`;
  } finally {
    store.close();
  }
  const ms = performance.now() - t0;
  return { seeded: count, ms: Math.round(ms), rowsPerSec: Math.round(count / (ms / 1000)) };
}
