// bigroom: --bigroom-clients (10,000) members in one room; a few of them take turns sending one
// message per second for --bigroom-seconds (30 s: 30 messages, 300,000 deliveries). Each delivery
// gives one send → delivery latency; what a large team room costs the server per delivery, and
// whether anything is lost.

import { Histogram } from '../lib/histogram.ts';
import { benchText, nowUs, waitFor, type ConnEvents, type IrcConn } from '../lib/irc-conn.ts';
import { connectMany, destroyAll } from '../lib/pool.ts';
import { cpuSplitMs, resetPeakRss, statusKiB } from '../lib/proc.ts';
import type { Job, PhaseResult, ScenarioResult } from '../lib/types.ts';
import { loopDelayMonitor, round1, round2, until } from '../lib/util.ts';

const ROOM = '#big';
/** Members that take turns sending. */
const SENDERS = 4;
const RATE_PER_SEC = 1;
/** Unmeasured messages first (a JIT compiles the relay path on its first messages). */
const WARMUP_MESSAGES = 2;
/** Members joining at once: every JOIN goes to every member already in (n²/2 lines in all), in waves. */
const JOIN_WAVE = 1000;
/** Registrations in flight: InspIRCd completes them on a once-a-second tick. */
const REGISTER_IN_FLIGHT = 500;

export async function runBigroom(job: Job): Promise<ScenarioResult> {
  const { opts } = job;
  const C = opts.bigroomClients;
  if (C < SENDERS + 1) throw new Error(`bigroom needs more than ${SENDERS} clients`);
  const receivers = C - 1;
  const notes: string[] = [];
  const pad = opts.size > 24 ? 'x'.repeat(opts.size - 24) + ' ' : '';
  const seqs = new Int32Array(SENDERS);
  let hist = new Histogram();
  let delivered = 0;
  let measuring = false;

  const events: ConnEvents = {
    onBench(_conn, t, s, _q, now) {
      if (!measuring || s >= SENDERS) return;
      delivered++;
      hist.record(now - t);
    },
  };

  const pool = await connectMany(C, REGISTER_IN_FLIGHT, job.host, job.port, 'g', events, opts.timeoutMs, { keepGoing: true });
  const conns: IrcConn[] = pool.conns;
  try {
    if (pool.failures.length > 0) throw new Error(`${pool.failures.length} of ${C} registrations failed, first: ${pool.failures[0]}`);
    if (pool.retries > 0) notes.push(`${pool.retries} registrations needed a retry (connection reset or timed out)`);
    const t0 = performance.now();
    for (let i = 0; i < C; i += JOIN_WAVE) {
      await Promise.all(
        conns.slice(i, i + JOIN_WAVE).map((c) => {
          const joined = waitFor(c, (command) => command === '366', opts.timeoutMs * 5, `JOIN ${ROOM}`);
          c.send(`JOIN ${ROOM}\r\n`);
          return joined;
        }),
      );
    }
    // Every member sees its own JOIN and each later one: let the storm land before measuring.
    const joinsExpected = (C * (C + 1)) / 2;
    if (!(await until(() => conns.reduce((n, c) => n + c.joinsSeen, 0) >= joinsExpected, opts.timeoutMs * 10))) {
      notes.push('join broadcasts had not all arrived before sending started');
    }
    const joinMs = performance.now() - t0;
    const joinPeakRss = statusKiB(job.serverPid, 'VmHWM');

    const send = (k: number): void => {
      const s = k % SENDERS;
      conns[s]!.send(`PRIVMSG ${ROOM} :${benchText(nowUs(), s, seqs[s]!++, pad)}\r\n`);
    };
    /** Sends `n` messages at RATE_PER_SEC, then waits for every delivery (or a stall). */
    const run = async (n: number): Promise<number> => {
      for (let k = 0; k < n; k++) {
        send(k);
        await new Promise((r) => setTimeout(r, 1000 / RATE_PER_SEC));
      }
      let seen = -1;
      let stalledSince = performance.now();
      await until(() => {
        if (delivered >= n * receivers) return true;
        if (delivered !== seen) {
          seen = delivered;
          stalledSince = performance.now();
        }
        return performance.now() - stalledSince > Math.min(opts.timeoutMs, 10_000);
      }, opts.timeoutMs * 5);
      return n;
    };

    measuring = true;
    await run(WARMUP_MESSAGES);
    hist = new Histogram();
    delivered = 0;

    const n = Math.max(1, Math.round(opts.bigroomSeconds * RATE_PER_SEC));
    const ownPeak = resetPeakRss(job.serverPid);
    const srv0 = cpuSplitMs(job.serverPid);
    const cpu0 = process.cpuUsage();
    const loop = loopDelayMonitor();
    const w0 = performance.now();
    await run(n);
    const wallMs = performance.now() - w0;
    const srv1 = cpuSplitMs(job.serverPid);
    const cpu = process.cpuUsage(cpu0);
    const loopP99 = loop.stopP99Ms();
    measuring = false;
    const srvSysMs = srv1.system - srv0.system;
    const srvMs = srv1.user - srv0.user + srvSysMs;
    const dropped = conns.filter((c) => c.closed).length;
    if (dropped > 0) notes.push(`${dropped} of ${C} connections were closed by the server during the run`);
    const phase: PhaseResult = {
      phase: 'one message/s',
      figures: {
        clients: C,
        senders: SENDERS,
        messages: n,
        deliveries: delivered,
        lost: Math.max(0, n * receivers - delivered),
        serverCpuPct: round1((srvMs / wallMs) * 100),
        serverCpuUsPerDelivery: delivered ? round2((srvMs * 1000) / delivered) : 0,
        serverSysUsPerDelivery: delivered ? round2((srvSysMs * 1000) / delivered) : 0,
        genCpuPct: round1(((cpu.user + cpu.system) / 1000 / wallMs) * 100),
        genLoopDelayP99Ms: loopP99,
        joinSeconds: round1(joinMs / 1000),
        joinPeakRssKiB: joinPeakRss,
        ...(ownPeak ? { peakRssKiB: statusKiB(job.serverPid, 'VmHWM') } : {}),
      },
      latency: hist.summaryMs(),
      latencyOf: `send → delivery to each of ${receivers} members`,
    };
    return { status: 'ok', phases: [phase], notes };
  } finally {
    destroyAll(conns);
  }
}
