// dm: P pairs of clients; A sends B a direct message, B replies to A with the same payload, and
// A times the round trip, then sends the next one. P round trips are in flight at any time.

import { Histogram } from '../lib/histogram.ts';
import { benchText, nowUs, type ConnEvents, type IrcConn } from '../lib/irc-conn.ts';
import { connectMany, destroyAll } from '../lib/pool.ts';
import { cpuSplitMs, mainThreadCpuMs, statusKiB } from '../lib/proc.ts';
import type { Job, ScenarioResult } from '../lib/types.ts';
import { loopDelayMonitor, round1, round2, until } from '../lib/util.ts';

/** Unmeasured seconds of round trips first: a JIT (ours) compiles the DM path in its first second. */
const WARMUP_S = 1;

export async function runDm(job: Job): Promise<ScenarioResult> {
  const { opts } = job;
  const P = Math.max(1, opts.pairs);
  let rtt = new Histogram();
  const pad = opts.size > 24 ? 'x'.repeat(opts.size - 24) + ' ' : '';
  let conns: IrcConn[] = [];
  let running = false;
  let deadline = 0;
  let sent = 0;
  let completed = 0;
  let reordered = 0;
  const nextSeq = new Int32Array(P);

  const sendNext = (pair: number): void => {
    if (!running || sent >= opts.messages || nowUs() >= deadline) {
      running = false;
      return;
    }
    sent++;
    const q = nextSeq[pair]!++;
    conns[2 * pair]!.send(`PRIVMSG ${conns[2 * pair + 1]!.nick} :${benchText(nowUs(), pair, q, pad)}\r\n`);
  };

  const events: ConnEvents = {
    onBench(conn, t, pair, q, now) {
      if (pair >= P) return;
      if (conn.id % 2 === 1) {
        // B: echo straight back to A.
        conn.send(`PRIVMSG ${conns[conn.id - 1]!.nick} :${benchText(t, pair, q, pad)}\r\n`);
        return;
      }
      completed++;
      if (q !== nextSeq[pair]! - 1) reordered++;
      rtt.record(now - t);
      sendNext(pair);
    },
  };

  const pool = await connectMany(2 * P, opts.concurrency, job.host, job.port, 'd', events, opts.timeoutMs, {
    // Retry connections a short listen backlog reset or dropped (ngIRCd); all must register.
    keepGoing: true,
  });
  conns = pool.conns;
  try {
    if (pool.failures.length) throw new Error(`registration failed: ${pool.failures[0]}`);
    const run = async (seconds: number): Promise<void> => {
      running = true;
      deadline = nowUs() + seconds * 1e6;
      for (let p = 0; p < P; p++) sendNext(p);
      await until(() => !running && completed >= sent, seconds * 1000 + opts.timeoutMs);
      running = false;
    };
    await run(Math.min(WARMUP_S, opts.duration));
    rtt = new Histogram();
    sent = completed = reordered = 0;
    const cpu0 = process.cpuUsage();
    const loop = loopDelayMonitor();
    const srv0 = cpuSplitMs(job.serverPid);
    const main0 = mainThreadCpuMs(job.serverPid);
    const t0 = performance.now();
    await run(opts.duration);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const loopP99 = loop.stopP99Ms();
    const srv1 = cpuSplitMs(job.serverPid);
    const srvSysMs = srv1.system - srv0.system;
    const srvMs = srv1.user - srv0.user + srvSysMs;
    const mainMs = mainThreadCpuMs(job.serverPid) - main0;
    // A fresh server per scenario: its high-water mark is this scenario's peak.
    const peakRssKiB = statusKiB(job.serverPid, 'VmHWM');
    // Each round trip is two DMs, each received, stored (ours) and relayed once.
    const perDm = (ms: number): number => (completed ? round2((ms * 1000) / (2 * completed)) : 0);
    return {
      status: 'ok',
      notes: [],
      phases: [
        {
          phase: 'round-trip',
          figures: {
            pairs: P,
            roundTrips: completed,
            roundTripsPerSec: Math.round(completed / (wallMs / 1000)),
            lost: sent - completed,
            reordered,
            serverCpuPct: round1((srvMs / wallMs) * 100),
            // All of the server's threads (ours: the event loop and the SQLite writer thread).
            serverCpuUsPerMessage: perDm(srvMs),
            // The kernel's share: socket reads and writes (alike for every server), plus, for
            // ours, the WAL writes and fsyncs of the commits.
            serverSysUsPerMessage: perDm(srvSysMs),
            // The first thread's share (ours: the event loop; the rest is the writer thread).
            serverMainThreadUsPerMessage: perDm(mainMs),
            peakRssKiB,
            genCpuPct: round1(((cpu.user + cpu.system) / 1000 / wallMs) * 100),
            genLoopDelayP99Ms: loopP99,
          },
          latency: rtt.summaryMs(),
          latencyOf: 'A → B → A round trip',
        },
      ],
    };
  } finally {
    destroyAll(conns);
  }
}
