// search (our server only): `--history-size` messages stored before the server starts, spread
// over 10 rooms; the asker is in one of them (#history, a tenth of the messages). One-word
// `SEARCH text=<word>;limit=50`, timed request → end of the soju.im/search batch, three kinds:
//  - common word: in 1 message of 16 everywhere (the 50 newest of the asker's are found at once);
//  - rare word: `t<k>`, in ~1 message of 10,007 (about 10 in the asker's room on 1 M);
//  - word of other rooms: in 9 of 10 messages of the other rooms and 1 of 1,000 of the asker's:
//    the index must not fetch every message that has the word to find the asker's.
// Reports "pending" when the server does not offer soju.im/search.

import type { SeedShape } from '../lib/seed-history.ts';
import { Histogram } from '../lib/histogram.ts';
import { IrcConn, nowUs, waitFor, type ConnEvents } from '../lib/irc-conn.ts';
import type { Job, PhaseResult, ScenarioResult } from '../lib/types.ts';
import { until } from '../lib/util.ts';

const ROOM = '#history';
const ROOMS = [ROOM, ...Array.from({ length: 9 }, (_, i) => `#other${i}`)];
const COMMON = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliett', 'kilo', 'lima', 'mike', 'november', 'oscar', 'papa'];
const RARE_EVERY = 10_007;
const WARMUP_MS = 2000;
const WANT_CAPS = ['soju.im/search', 'batch', 'server-time', 'message-tags'];

/** Message j: room j % 10; words as described above. */
export const SEARCH_SEED: SeedShape = {
  rooms: ROOMS,
  text: (j) => {
    const mine = j % ROOMS.length === 0;
    const elsewhere = mine ? j % 1000 === 0 : j % 10 !== 1;
    return `h${j} ${COMMON[Math.floor(j / ROOMS.length) % COMMON.length]} seeded line t${j % RARE_EVERY}${elsewhere ? ' elsewhere' : ''}`;
  },
};

type Pending = { count: number; resolve: (() => void) | null; fail: string | null };

export async function runSearch(job: Job): Promise<ScenarioResult> {
  const { opts } = job;
  let pending: Pending | null = null;
  const events: ConnEvents = {
    onBench() {},
    onLine(_conn, command, line) {
      const p = pending;
      if (p === null) return;
      if (command === 'PRIVMSG') p.count++;
      else if (command === 'FAIL') {
        p.fail = line;
        p.resolve?.();
      } else if (command === 'BATCH' && / BATCH -/.test(line)) p.resolve?.();
    },
  };
  const reader = new IrcConn(0, 'sreader', job.host, job.port, events);
  try {
    let ls = '';
    const lsDone = waitFor(
      reader,
      (command, line) => {
        if (command !== 'CAP' || !/ LS /.test(line)) return false;
        ls += ` ${line}`; // multi-line LS: every line counts, the last has no '*'
        return !/ LS \* /.test(line);
      },
      opts.timeoutMs,
      'CAP LS',
    );
    reader.send('CAP LS 302\r\n');
    await lsDone;
    if (!/[ :]soju\.im\/search(?:[ =]|$)/.test(ls)) {
      return { status: 'pending', phases: [], notes: ['pending: needs soju.im/search (not in CAP LS)'] };
    }
    const ack = waitFor(reader, (command, line) => command === 'CAP' && / (ACK|NAK) /.test(line), opts.timeoutMs, 'CAP ACK');
    reader.send(`CAP REQ :${WANT_CAPS.join(' ')}\r\n`);
    if (/ NAK /.test(await ack)) throw new Error('server refused the caps');
    reader.send('CAP END\r\n');
    reader.register();
    await waitFor(reader, (command) => command === '001', opts.timeoutMs, 'registration (001)');
    const joined = waitFor(reader, (command) => command === '366', opts.timeoutMs, `JOIN ${ROOM}`);
    reader.send(`JOIN ${ROOM}\r\n`);
    await joined;
    if (job.seeded === 0) return { status: 'failed', phases: [], notes: ['search needs messages seeded through the storage module'] };

    const request = async (word: string): Promise<Pending> => {
      const p: Pending = { count: 0, resolve: null, fail: null };
      const done = new Promise<void>((r) => (p.resolve = r));
      pending = p;
      reader.send(`SEARCH text=${word};limit=50\r\n`);
      const ok = await Promise.race([done.then(() => true), until(() => false, opts.timeoutMs)]);
      pending = null;
      if (!ok) throw new Error(`no reply to SEARCH text=${word}`);
      if (p.fail !== null) throw new Error(`SEARCH text=${word}: ${p.fail}`);
      return p;
    };
    let k = 0;
    const kinds: [string, () => string][] = [
      ['common word', () => COMMON[k++ % COMMON.length]!],
      ['rare word', () => `t${(k++ * 7919) % RARE_EVERY}`],
      ['word of other rooms', () => 'elsewhere'],
    ];
    const t0 = nowUs();
    await request('alpha');
    const coldMs = (nowUs() - t0) / 1000;
    let warmups = 0;
    for (const warmUntil = Date.now() + WARMUP_MS; Date.now() < warmUntil || warmups < 20; warmups++) await request(kinds[warmups % 3]![1]());
    const phases: PhaseResult[] = [];
    for (const [name, next] of kinds) {
      const hist = new Histogram();
      let found = 0;
      for (let i = 0; i < opts.pages; i++) {
        const word = next();
        const t = nowUs();
        found += (await request(word)).count;
        hist.record(nowUs() - t);
      }
      phases.push({
        phase: name,
        figures: { stored: job.seeded, requests: hist.count, meanFound: Math.round((found / Math.max(1, hist.count)) * 10) / 10 },
        latency: hist.summaryMs(),
        latencyOf: 'SEARCH text=<one word>;limit=50 → end of batch',
      });
    }
    phases[0]!.figures.firstRequestMs = Math.round(coldMs * 1000) / 1000;
    phases[0]!.figures.warmupRequests = warmups;
    return { status: 'ok', phases, notes: [] };
  } finally {
    reader.destroy();
  }
}
