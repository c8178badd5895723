// history (our server only): a room holding `historySize` messages; CHATHISTORY LATEST 100 and
// BEFORE paging backwards from the newest message, timed request → end of the reply batch.
// Stock peers have no history; when the server does not offer draft/chathistory the scenario
// reports "pending" instead of failing.

import { Histogram } from '../lib/histogram.ts';
import { IrcConn, nowUs, waitFor, type ConnEvents } from '../lib/irc-conn.ts';
import type { Job, PhaseResult, ScenarioResult } from '../lib/types.ts';
import { round1, until } from '../lib/util.ts';
import { cpuMs } from '../lib/proc.ts';

const ROOM = '#history';
/** Requests before the measured ones (see runHistory). */
const WARMUP_MS = 2000;
const WANT_CAPS = ['draft/chathistory', 'batch', 'server-time', 'message-tags'];

type Page = { count: number; oldest: string | null; resolve: (() => void) | null; fail: string | null };

export async function runHistory(job: Job): Promise<ScenarioResult> {
  const { opts } = job;
  let seen = 0;
  let page: Page | null = null;
  const events: ConnEvents = {
    onBench() {},
    onLine(_conn, command, line) {
      if (page !== null) {
        onPageLine(page, command, line);
        return;
      }
      if (command === 'PRIVMSG') seen++;
    },
  };
  const reader = new IrcConn(0, 'hreader', job.host, job.port, events);
  const conns: IrcConn[] = [reader];
  try {
    const caps = await capLs(reader, opts.timeoutMs);
    if (caps === null || !caps.has('draft/chathistory')) {
      return { status: 'pending', phases: [], notes: ['pending: needs chathistory (server does not offer draft/chathistory in CAP LS)'] };
    }
    const want = WANT_CAPS.filter((c) => caps.has(c));
    const ack = waitFor(reader, (command, line) => command === 'CAP' && / (ACK|NAK) /.test(line), opts.timeoutMs, 'CAP ACK');
    reader.send(`CAP REQ :${want.join(' ')}\r\n`);
    const ackLine = await ack;
    if (/ NAK /.test(ackLine)) throw new Error(`server refused caps: ${ackLine}`);
    reader.send('CAP END\r\n');
    reader.register();
    await waitFor(reader, (command) => command === '001', opts.timeoutMs, 'registration (001)');
    const joined = waitFor(reader, (command) => command === '366', opts.timeoutMs, `JOIN ${ROOM}`);
    reader.send(`JOIN ${ROOM}\r\n`);
    await joined;

    const notes: string[] = [];
    let sent = job.seeded;
    let seedFigures: Record<string, number> | null = null;
    if (job.seeded === 0) {
      const seeded = await seedOverIrc(job, conns, () => seen);
      sent = seeded.sent;
      seedFigures = seeded.figures;
      if (sent < opts.historySize) notes.push(`seeded ${sent} of ${opts.historySize} messages within ${opts.seedSeconds}s`);
    }

    const phases: PhaseResult[] = [];
    const request = async (line: string): Promise<Page> => {
      const p: Page = { count: 0, oldest: null, resolve: null, fail: null };
      const done = new Promise<void>((resolve) => (p.resolve = resolve));
      page = p;
      reader.send(line);
      const ok = await Promise.race([done.then(() => true), until(() => false, opts.timeoutMs)]);
      page = null;
      if (!ok) throw new Error(`no reply to ${line.trim()}`);
      if (p.fail !== null) throw new Error(`${line.trim()}: ${p.fail}`);
      return p;
    };
    const timed = async (name: string, next: (prev: Page | null) => string | null): Promise<void> => {
      const hist = new Histogram();
      let prev: Page | null = null;
      let messages = 0;
      let short = 0;
      for (let i = 0; i < opts.pages; i++) {
        const line = next(prev);
        if (line === null) break;
        const t = nowUs();
        prev = await request(line);
        hist.record(nowUs() - t);
        messages += prev.count;
        if (prev.count < 100) short++;
      }
      phases.push({
        phase: name,
        figures: { stored: sent, requests: hist.count, messagesReturned: messages, shortPages: short },
        latency: hist.summaryMs(),
        latencyOf: `CHATHISTORY ${name} 100 → end of batch`,
      });
    };
    // The very first query reads cold pages from disk and runs unoptimised code: report it on its
    // own. Then warm up, both kinds of request for WARMUP_MS, so that the percentiles describe a
    // server that has been serving for a while: in the first second V8 compiles the hot path on
    // the main thread, which stalls a request now and then for 3-10 ms (seen with --no-opt
    // --no-maglev gone), a start-up cost and not what a page costs.
    const coldT = nowUs();
    await request(`CHATHISTORY LATEST ${ROOM} * 100\r\n`);
    const coldMs = (nowUs() - coldT) / 1000;
    let warmups = 0;
    let back: string | null = null;
    for (const warmUntil = Date.now() + WARMUP_MS; Date.now() < warmUntil || warmups < 20; warmups++) {
      if (warmups % 2 === 0) back = (await request(`CHATHISTORY LATEST ${ROOM} * 100\r\n`)).oldest;
      else if (back !== null) back = (await request(`CHATHISTORY BEFORE ${ROOM} ${back} 100\r\n`)).oldest;
    }
    await timed('LATEST', () => `CHATHISTORY LATEST ${ROOM} * 100\r\n`);
    phases[0]!.figures.firstRequestMs = Math.round(coldMs * 1000) / 1000;
    phases[0]!.figures.warmupRequests = warmups;
    // Anchor BEFORE paging at the newest message, then walk backwards a page at a time.
    let anchor: string | null = (await request(`CHATHISTORY LATEST ${ROOM} * 1\r\n`)).oldest;
    await timed('BEFORE', (prev) => {
      if (prev !== null) anchor = prev.oldest;
      return anchor === null ? null : `CHATHISTORY BEFORE ${ROOM} ${anchor} 100\r\n`;
    });
    if (seedFigures !== null) phases.unshift({ phase: 'seed over IRC', figures: seedFigures });
    return { status: 'ok', phases, notes };
  } finally {
    for (const c of conns) c.destroy();
  }
}

/** Seeds the room over IRC with a few writers and a bounded number of messages in flight. */
async function seedOverIrc(job: Job, conns: IrcConn[], seen: () => number): Promise<{ sent: number; figures: Record<string, number> }> {
  const { opts } = job;
  const writers: IrcConn[] = [];
  for (let i = 0; i < Math.max(1, Math.min(opts.senders, 8)); i++) {
    const w = new IrcConn(i + 1, `hwriter${i}`, job.host, job.port, { onBench() {} });
    conns.push(w);
    writers.push(w);
    w.register();
    await waitFor(w, (command) => command === '001', opts.timeoutMs, 'registration (001)');
    const j = waitFor(w, (command) => command === '366', opts.timeoutMs, `JOIN ${ROOM}`);
    w.send(`JOIN ${ROOM}\r\n`);
    await j;
  }
  const seedT0 = performance.now();
  const srv0 = cpuMs(job.serverPid);
  let sent = 0;
  const seedDeadline = seedT0 + opts.seedSeconds * 1000;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      while (sent < opts.historySize && sent - seen() < opts.window * 4 && performance.now() < seedDeadline) {
        writers[sent % writers.length]!.send(`PRIVMSG ${ROOM} :h${sent}\r\n`);
        sent++;
      }
      const stalled = performance.now() >= seedDeadline + opts.timeoutMs;
      if (((sent >= opts.historySize || performance.now() >= seedDeadline) && seen() >= sent) || stalled) resolve();
      else setImmediate(tick);
    };
    tick();
  });
  const seedMs = performance.now() - seedT0;
  const seedSrvMs = cpuMs(job.serverPid) - srv0;
  return {
    sent,
    figures: {
      stored: sent,
      messagesPerSec: Math.round(sent / (seedMs / 1000)),
      serverCpuUsPerMessage: sent ? round1((seedSrvMs * 1000) / sent) : 0,
    },
  };
}

function onPageLine(p: Page, command: string, line: string): void {
  if (command === 'FAIL' || command === '421' || command === 'ERROR') {
    p.fail = line;
    p.resolve?.();
    return;
  }
  if (command === 'BATCH') {
    if (/ BATCH -/.test(line)) p.resolve?.();
    return;
  }
  if (command !== 'PRIVMSG' && command !== 'NOTICE') return;
  p.count++;
  if (p.oldest === null) {
    // Replies run oldest first: the first message anchors the next BEFORE page.
    const msgid = /(?:^@|;)msgid=([^; ]+)/.exec(line);
    const time = /(?:^@|;)time=([^; ]+)/.exec(line);
    p.oldest = msgid ? `msgid=${msgid[1]}` : time ? `timestamp=${time[1]}` : null;
  }
}

/** Sends CAP LS 302 and collects the offered capability names; null when CAP is unknown. */
async function capLs(conn: IrcConn, timeoutMs: number): Promise<Set<string> | null> {
  const caps = new Set<string>();
  conn.send('CAP LS 302\r\n');
  try {
    await waitFor(
      conn,
      (command, line) => {
        if (command !== 'CAP') return false;
        const m = / LS (\* )?:?(.*)$/.exec(line);
        if (!m) return false;
        for (const c of (m[2] ?? '').split(' ')) if (c) caps.add(c.split('=')[0]!);
        return m[1] === undefined;
      },
      timeoutMs,
      'CAP LS',
    );
  } catch {
    return null;
  }
  return caps;
}
