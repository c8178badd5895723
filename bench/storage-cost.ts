// What storing one relayed message costs SQLite: WAL frames (4 KiB pages) written per message and
// which b-trees they belong to (deterministic: the same on every run and machine), and CPU µs per
// message (they move with the machine's load far less than latencies do): of the whole process
// (process.cpuUsage, so the writer thread too; `sys` is mostly the fsyncs) and of the main thread
// alone (the event loop that also relays, process.threadCpuUsage).
//
//   ./node_modules/.bin/node bench/storage-cost.ts [--messages 2000] [--pairs 50] [--seed 20000] [--batches 1,10,50]
//
// For each kind (DMs between `pairs` pairs, each answering the other; channel messages to one room)
// and each batch size B: a fresh data folder, `seed` messages of that kind stored first (so the
// indexes are not tiny), then `messages` more through store.messages.enqueue(), B per event-loop
// turn, awaiting each batch like the server's group commit (one transaction per batch, in the
// writer thread, synchronous=FULL). Two passes per case:
//  - pages: a second connection holds a read transaction open, so no checkpoint can reset the WAL;
//    the frames appended are then parsed from the WAL file and attributed to b-trees with dbstat.
//  - CPU: the same run without that reader, process.cpuUsage() around the measured messages.
// ms/commit is wall-clock (mostly the fsync): informative only, it moves with the machine's load.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { openStore } from '../src/server/storage/index.ts';
import type { NewMessage } from '../src/server/storage/types.ts';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '2000' },
    pairs: { type: 'string', default: '50' },
    seed: { type: 'string', default: '20000' },
    batches: { type: 'string', default: '1,10,50' },
  },
});
const N = Number(args.messages);
const PAIRS = Number(args.pairs);
const SEED = Number(args.seed);
const BATCHES = args.batches.split(',').map(Number);

type Kind = 'dm' | 'channel';

function message(kind: Kind, i: number): NewMessage {
  const p = i % PAIRS;
  const [from, to] = Math.floor(i / PAIRS) % 2 === 0 ? [`alice${p}`, `bob${p}`] : [`bob${p}`, `alice${p}`];
  return {
    target: kind === 'dm' ? { type: 'dm', from, to } : { type: 'channel', name: '#bench' },
    kind: 'PRIVMSG',
    source: `${from}!${from}@127.0.0.1`,
    senderNick: from,
    senderAccount: null,
    text: `rt ${i} ${Date.now()} lorem ipsum dolor sit amet`,
    tags: {},
  };
}

type Store = ReturnType<typeof openStore>;

async function store(s: Store, kind: Kind, from: number, count: number, batch: number): Promise<void> {
  for (let i = from; i < from + count; i += batch) {
    const all: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(from + count, i + batch); j++) all.push(s.messages.enqueue(message(kind, j)));
    await Promise.all(all);
  }
}

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

/** Page numbers of the valid frames in a WAL file (salts match the header). */
function walPages(path: string): number[] {
  const wal = readFileSync(path);
  if (wal.length < WAL_HEADER) return [];
  const pageSize = wal.readUInt32BE(8);
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  const pages: number[] = [];
  for (let off = WAL_HEADER; off + FRAME_HEADER + pageSize <= wal.length; off += FRAME_HEADER + pageSize) {
    if (wal.readUInt32BE(off + 8) !== salt1 || wal.readUInt32BE(off + 12) !== salt2) break;
    pages.push(wal.readUInt32BE(off));
  }
  return pages;
}

interface Result {
  frames: number;
  byTree: Map<string, number>;
  cpuUs: number;
  sysUs: number;
  mainUs: number;
  wallMsPerCommit: number;
}

async function run(kind: Kind, batch: number, countPages: boolean): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'chatroom-storage-cost-'));
  const s = openStore(dir);
  const scratch = new DatabaseSync(s.path);
  try {
    await store(s, kind, 0, SEED, 500);
    scratch.exec('PRAGMA wal_checkpoint(TRUNCATE)'); // an empty WAL: what follows is the measured run
    if (countPages) {
      scratch.exec('BEGIN');
      scratch.prepare('SELECT count(*) FROM messages').get(); // holds a read lock: the WAL only grows
    }
    const cpu0 = process.cpuUsage();
    const main0 = process.threadCpuUsage();
    const wall0 = performance.now();
    await store(s, kind, SEED, N, batch);
    const wallMsPerCommit = (performance.now() - wall0) / Math.ceil(N / batch);
    const cpu = process.cpuUsage(cpu0);
    const main = process.threadCpuUsage(main0);
    const byTree = new Map<string, number>();
    let frames = 0;
    if (countPages) {
      const pages = walPages(`${s.path}-wal`);
      scratch.exec('COMMIT');
      frames = pages.length;
      const owner = new Map<number, string>();
      for (const r of scratch.prepare('SELECT name, pageno FROM dbstat').all() as { name: string; pageno: number }[]) owner.set(Number(r.pageno), r.name);
      for (const p of pages) {
        const name = p === 1 ? 'header (page 1)' : (owner.get(p) ?? 'free/other');
        byTree.set(name, (byTree.get(name) ?? 0) + 1);
      }
    }
    return { frames, byTree, cpuUs: cpu.user + cpu.system, sysUs: cpu.system, mainUs: main.user + main.system, wallMsPerCommit };
  } finally {
    if (scratch.isOpen) scratch.close();
    s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`${N} messages per case after ${SEED} seeded; DMs between ${PAIRS} pairs; writer thread, WAL, synchronous=FULL`);
console.log('kind     batch  pages/msg  CPU µs/msg (sys) main  ms/commit  pages by b-tree (per message)');
for (const kind of ['dm', 'channel'] as const) {
  for (const batch of BATCHES) {
    const pages = await run(kind, batch, true);
    const cpu = await run(kind, batch, false);
    const trees = [...pages.byTree].sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ${(n / N).toFixed(2)}`);
    console.log(`${kind.padEnd(8)} ${String(batch).padStart(5)}  ${(pages.frames / N).toFixed(2).padStart(9)}  ${(cpu.cpuUs / N).toFixed(0).padStart(10)} ${`(${(cpu.sysUs / N).toFixed(0)})`.padStart(5)} ${(cpu.mainUs / N).toFixed(0).padStart(4)}  ${cpu.wallMsPerCommit.toFixed(2).padStart(9)}  ${trees.join(', ')}`);
  }
}
