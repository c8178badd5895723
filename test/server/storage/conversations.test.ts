// dm_conversations upserts skipped by the conversation memory (src/server/storage/conversations.ts):
// CHATHISTORY TARGETS must give exactly what it gave when every DM wrote both rows. Checked against
// a model computed from the messages sent, over many windows, with clock steps below and above the
// granularity, times going back, display names changing case, batches of several messages, a
// failed message in a batch, and a restart (empty memory, rows that lag their newest message).
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { casefold } from '../../../src/protocol/casemap.ts';
import { GRANULARITY_MS } from '../../../src/server/storage/conversations.ts';
import { dmKey, openStore } from '../../../src/server/storage/index.ts';
import type { HistoryTarget, NewMessage, Store } from '../../../src/server/storage/index.ts';
import { tempDir } from '../../helpers/tmp.ts';

const FAST = { scrypt: { N: 1024, r: 8, p: 1 } };
const G = GRANULARITY_MS;
const T0 = Date.UTC(2026, 0, 1);
const USERS = ['alice', 'Bob', 'carol', 'dave'];
const VARIANTS: Record<string, string[]> = { alice: ['alice', 'Alice'], Bob: ['Bob', 'bob', 'BOB'], carol: ['carol'], dave: ['dave', 'Dave'] };
const STEPS = [0, 1, 7, 1000, G / 2, G - 1, G, G + 1, 3 * G, -5000, -G - 1];

/** What TARGETS must answer: every DM stored so far, each (party, peer) shown with its newest display. */
class Model {
  readonly sent: { key: string; time: number }[] = [];
  readonly display = new Map<string, Map<string, string>>(); // party -> peer -> display

  stored(from: string, to: string, time: number): void {
    this.sent.push({ key: dmKey(from, to), time });
    this.#set(casefold(from), casefold(to), to);
    if (casefold(to) !== casefold(from)) this.#set(casefold(to), casefold(from), from); // a DM to oneself: one row
  }

  #set(party: string, peer: string, display: string): void {
    const peers = this.display.get(party) ?? new Map<string, string>();
    peers.set(peer, display);
    this.display.set(party, peers);
  }

  targets(party: string, from: number, to: number, limit: number): HistoryTarget[] {
    const lo = Math.min(from, to);
    const hi = Math.max(from, to);
    const found: HistoryTarget[] = [];
    for (const [peer, name] of this.display.get(casefold(party)) ?? []) {
      const target = dmKey(party, peer);
      const times = this.sent.filter((m) => m.key === target && m.time > lo && m.time < hi).map((m) => m.time);
      if (times.length > 0) found.push({ name, target, type: 'dm', lastTime: Math.max(...times) });
    }
    found.sort((a, b) => a.lastTime - b.lastTime || (a.name < b.name ? -1 : 1));
    return from <= to ? found.slice(0, limit) : found.slice(Math.max(0, found.length - limit));
  }
}

/** A small deterministic generator (the sequence must be the same on every run). */
function prng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

function dm(from: string, to: string, time: number, msgid?: string): NewMessage {
  const m: NewMessage = { target: { type: 'dm', from, to }, kind: 'PRIVMSG', source: `${from}!u@h`, senderNick: from, senderAccount: null, text: `${from}->${to} @${time}`, time };
  if (msgid !== undefined) m.msgid = msgid;
  return m;
}

/** Sends `count` DMs, 1 to 5 per event-loop turn (one commit each), and records the stored ones in the model. */
async function send(store: Store, model: Model, r: () => number, count: number, clock: { t: number }): Promise<void> {
  for (let sent = 0; sent < count; ) {
    const batch: { from: string; to: string; time: number; p: Promise<unknown> }[] = [];
    for (let k = 1 + Math.floor(r() * 5); k > 0 && sent < count; k--, sent++) {
      clock.t += pick(r, STEPS);
      const [a, b] = [pick(r, USERS), pick(r, USERS)];
      const from = pick(r, VARIANTS[a]!);
      const to = pick(r, VARIANTS[b]!);
      batch.push({ from, to, time: clock.t, p: store.messages.enqueue(dm(from, to, clock.t)) });
    }
    for (const m of batch) {
      await m.p;
      model.stored(m.from, m.to, m.time);
    }
  }
}

/** TARGETS for every party over windows around every stored time (and the whole range), both directions. */
function assertSameTargets(store: Store, model: Model, what: string): void {
  const times = [...new Set(model.sent.map((m) => m.time))];
  const windows: [number, number][] = [[0, T0 * 2]];
  for (const t of times) windows.push([t - 1, t + 1], [t, t + G], [t - G, t], [t + 2 * G, t - 1], [t - 1, t + G / 2]);
  for (const party of [...USERS.map((u) => u.toLowerCase()), 'BOB', 'nobody']) {
    for (const [from, to] of windows) {
      for (const limit of [1, 100]) {
        const got = store.history.targets({ party, channels: [], from, to, limit });
        assert.deepEqual(got, model.targets(party, from, to, limit), `${what}: TARGETS ${party} ${from - T0} ${to - T0} ${limit}`);
      }
    }
  }
}

for (const writerThread of [true, false]) {
  describe(`storage: DM conversation rows written sparingly, TARGETS unchanged (${writerThread ? 'writer thread' : 'calling thread'})`, () => {
    it('gives the same TARGETS as writing every row, across clock steps, case changes and batches', async () => {
      const t = tempDir();
      const store = openStore(t.path, { ...FAST, writerThread });
      try {
        const model = new Model();
        await send(store, model, prng(1), 300, { t: T0 });
        assertSameTargets(store, model, 'after 300 DMs');
      } finally {
        store.close();
        t.remove();
      }
    });

    it('still does after a message of a batch fails (duplicate msgid) and after a restart', async () => {
      const t = tempDir();
      let store = openStore(t.path, { ...FAST, writerThread });
      try {
        const model = new Model();
        const clock = { t: T0 };
        const r = prng(2);
        await send(store, model, r, 60, clock);
        // A batch in which the first message fails: a peer display change rides on it, and the
        // next message of the same conversation (same display) was planned as "no write needed".
        const taken = (await store.messages.enqueue(dm('carol', 'dave', (clock.t += 1)))).msgid;
        model.stored('carol', 'dave', clock.t);
        const failing = store.messages.enqueue(dm('alice', 'BOB', (clock.t += G + 1), taken));
        const next = store.messages.enqueue(dm('alice', 'BOB', (clock.t += 1)));
        await assert.rejects(failing, /UNIQUE/);
        await next;
        model.stored('alice', 'BOB', clock.t);
        assertSameTargets(store, model, 'after the failed message');
        await send(store, model, r, 40, clock);
        assertSameTargets(store, model, 'after more DMs');

        store.close();
        store = openStore(t.path, { ...FAST, writerThread }); // an empty memory; rows may lag by up to G
        assertSameTargets(store, model, 'after the restart');
        await send(store, model, r, 60, clock);
        assertSameTargets(store, model, 'after DMs since the restart');
      } finally {
        store.close();
        t.remove();
      }
    });

    it('still does when flush() and appendSync() write on the calling thread while a batch is in flight', async () => {
      const t = tempDir();
      const store = openStore(t.path, { ...FAST, writerThread });
      try {
        const model = new Model();
        const clock = { t: T0 };
        const r = prng(3);
        await send(store, model, r, 40, clock);
        for (let round = 0; round < 30; round++) {
          // A display change in the batch in flight, then the same conversation written here.
          const sent: [string, string, number, Promise<unknown>][] = [];
          const dmNow = (from: string, to: string) => {
            clock.t += pick(r, STEPS);
            sent.push([from, to, clock.t, store.messages.enqueue(dm(from, to, clock.t))]);
          };
          dmNow('alice', pick(r, VARIANTS['Bob']!));
          await new Promise((res) => setImmediate(res)); // dispatched to the writer (when there is one)
          dmNow('alice', pick(r, VARIANTS['Bob']!));
          store.messages.flush();
          for (const [from, to2, time, p] of sent) {
            await p;
            model.stored(from, to2, time);
          }
          const whole = { party: 'alice', channels: [], from: 0, to: T0 * 2, limit: 100 };
          assert.deepEqual(store.history.targets(whole), model.targets('alice', 0, T0 * 2, 100), `after flush() in round ${round}`);
          clock.t += pick(r, STEPS);
          const to = pick(r, VARIANTS['Bob']!);
          store.messages.appendSync(dm('alice', to, clock.t));
          model.stored('alice', to, clock.t);
          assert.deepEqual(store.history.targets(whole), model.targets('alice', 0, T0 * 2, 100), `after appendSync() in round ${round}`);
          await send(store, model, r, 5, clock);
        }
        assertSameTargets(store, model, 'after writes on both threads');
      } finally {
        store.close();
        t.remove();
      }
    });

    it('writes a conversation row again only when its time moves on by more than the granularity or its display changes', async () => {
      const t = tempDir();
      const store = openStore(t.path, { ...FAST, writerThread });
      const row = (party: string, peer: string) => {
        const db = new DatabaseSync(store.path, { readOnly: true });
        try {
          return { ...(db.prepare('SELECT peer_display, last_time FROM dm_conversations WHERE party = ? AND peer = ?').get(party, peer) as object) };
        } finally {
          db.close();
        }
      };
      try {
        await store.messages.enqueue(dm('alice', 'Bob', T0));
        await Promise.all([store.messages.enqueue(dm('alice', 'Bob', T0 + 10)), store.messages.enqueue(dm('Bob', 'alice', T0 + G))]);
        assert.deepEqual(row('alice', 'bob'), { peer_display: 'Bob', last_time: T0 }, 'within G of the row: not written');
        await store.messages.enqueue(dm('alice', 'BOB', T0 + G + 1));
        assert.deepEqual(row('alice', 'bob'), { peer_display: 'BOB', last_time: T0 + G + 1 }, 'a new display is written at once');
        await store.messages.enqueue(dm('alice', 'BOB', T0 + 2 * G + 2));
        assert.deepEqual(row('alice', 'bob'), { peer_display: 'BOB', last_time: T0 + 2 * G + 2 }, 'more than G later: written');
        assert.deepEqual(row('bob', 'alice'), { peer_display: 'alice', last_time: T0 + 2 * G + 2 });
      } finally {
        store.close();
        t.remove();
      }
    });
  });
}
