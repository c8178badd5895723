// fanout: C clients join one room; S of them send, first at a fixed total rate, then as fast as
// the server allows (a bounded number of messages in flight, refilled as deliveries arrive), then
// flat out (as fast as the server reads them, however far behind the readers are).
// Each message carries its send time, so every delivery gives one end-to-end latency sample.

import { Histogram } from '../lib/histogram.ts';
import { benchText, nowUs, waitFor, type ConnEvents, type IrcConn } from '../lib/irc-conn.ts';
import { connectMany, destroyAll } from '../lib/pool.ts';
import { cpuSplitMs, resetPeakRss, statusKiB } from '../lib/proc.ts';
import type { Job, PhaseResult, ScenarioResult } from '../lib/types.ts';
import { loopDelayMonitor, round1, round2, until } from '../lib/util.ts';

const ROOM = '#bench';
/** Unmeasured fixed-rate seconds before the measured phases (see the warm-up below). */
const WARMUP_S = 1;
/** Messages per write in the flat-out phase. */
const FLAT_OUT_BATCH = 10;
/** Messages in all in the flat-out phase (a few seconds of the fastest server's fan-out). */
const FLAT_OUT_MESSAGES = 20_000;

type Phase = {
  sent: number;
  delivered: number;
  reordered: number;
  hist: Histogram;
  firstSendUs: number;
  lastDeliveryUs: number;
};

export async function runFanout(job: Job): Promise<ScenarioResult> {
  const { opts } = job;
  const C = opts.clients;
  const S = Math.max(1, Math.min(opts.senders, C - 1));
  if (C < 2) throw new Error('fanout needs at least 2 clients');
  const receiversPerMessage = C - 1;
  const notes: string[] = [];
  const pad = opts.size > 24 ? 'x'.repeat(opts.size - 24) + ' ' : '';

  // Last sequence number seen per (receiver, sender): detects reordering or duplicates.
  const lastSeq = new Int32Array(C * S).fill(-1);
  const seqs = new Int32Array(S);
  let phase: Phase | null = null;
  // True while the current phase is still sending; `windowed` marks the closed-loop phase,
  // where each arriving chunk may refill the window.
  let pumping = false;
  let windowed = false;
  let pumpCap = 0;
  let pumpDeadline = 0;
  let rr = 0;
  let conns: IrcConn[] = [];
  const out: string[] = new Array<string>(S).fill('');

  const sendBatch = (ph: Phase, n: number): void => {
    const t = nowUs();
    if (ph.firstSendUs === 0) ph.firstSendUs = t;
    for (let j = 0; j < n; j++) {
      const s = rr;
      rr = rr + 1 === S ? 0 : rr + 1;
      out[s] += `PRIVMSG ${ROOM} :${benchText(t, s, seqs[s]!++, pad)}\r\n`;
    }
    for (let s = 0; s < S; s++) {
      if (out[s] !== '') {
        conns[s]!.send(out[s]!);
        out[s] = '';
      }
    }
    ph.sent += n;
  };

  const pump = (): void => {
    const ph = phase;
    if (ph === null || !pumping) return;
    if (ph.sent >= pumpCap || nowUs() >= pumpDeadline) {
      pumping = false;
      return;
    }
    const inFlight = ph.sent - Math.floor(ph.delivered / receiversPerMessage);
    const n = Math.min(opts.window - inFlight, pumpCap - ph.sent);
    if (n > 0) sendBatch(ph, n);
  };

  const events: ConnEvents = {
    onBench(conn, t, s, q, now) {
      const ph = phase;
      if (ph === null || s >= S) return;
      ph.delivered++;
      ph.hist.record(now - t);
      const k = conn.id * S + s;
      if (q !== lastSeq[k]! + 1) ph.reordered++;
      lastSeq[k] = q;
      ph.lastDeliveryUs = now;
    },
    onChunkEnd() {
      if (windowed && pumping) pump();
    },
  };

  const pool = await connectMany(C, opts.concurrency, job.host, job.port, 'f', events, opts.timeoutMs, {
    // Retry connections a short listen backlog reset or dropped (ngIRCd); all must register.
    keepGoing: true,
  });
  conns = pool.conns;
  try {
    if (pool.failures.length > 0) throw new Error(`registration failed: ${pool.failures[0]}`);
    if (pool.retries > 0) notes.push(`${pool.retries} registrations needed a retry (connection reset or timed out)`);
    await Promise.all(
      conns.map((c) => {
        const joined = waitFor(c, (command) => command === '366', opts.timeoutMs, `JOIN ${ROOM}`);
        c.send(`JOIN ${ROOM}\r\n`);
        return joined;
      }),
    );
    // Every member sees its own JOIN and each later one: wait for the whole join storm to land
    // so it does not queue in front of the first measured messages.
    const joinsExpected = (C * (C + 1)) / 2;
    const settled = await until(() => conns.reduce((n, c) => n + c.joinsSeen, 0) >= joinsExpected, opts.timeoutMs);
    if (!settled) notes.push('join broadcasts had not all arrived before sending started');

    const phases: PhaseResult[] = [];
    const measure = async (name: string, start: (ph: Phase) => void, extra: Record<string, number>, record = true): Promise<void> => {
      const ph: Phase = { sent: 0, delivered: 0, reordered: 0, hist: new Histogram(), firstSendUs: 0, lastDeliveryUs: 0 };
      const cpu0 = process.cpuUsage();
      const loop = loopDelayMonitor();
      const srv0 = cpuSplitMs(job.serverPid);
      // This phase's own peak memory (else VmHWM is the peak since the server started).
      const ownPeak = resetPeakRss(job.serverPid);
      const t0 = performance.now();
      phase = ph;
      start(ph);
      await until(() => !pumping, Math.max(opts.duration, opts.rateSeconds) * 1000 + opts.timeoutMs);
      pumping = false;
      windowed = false;
      // Drain: wait for every expected delivery, giving up after a stall with no progress.
      let seen = -1;
      let stalledSince = performance.now();
      await until(() => {
        if (ph.delivered >= ph.sent * receiversPerMessage) return true;
        if (ph.delivered !== seen) {
          seen = ph.delivered;
          stalledSince = performance.now();
        }
        return performance.now() - stalledSince > Math.min(opts.timeoutMs, 10_000);
      }, Math.max(opts.duration, opts.rateSeconds) * 1000 + 10 * opts.timeoutMs);
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const loopP99 = loop.stopP99Ms();
      const srv1 = cpuSplitMs(job.serverPid);
      const srvSysMs = srv1.system - srv0.system;
      const srvMs = srv1.user - srv0.user + srvSysMs;
      const peakRss = statusKiB(job.serverPid, 'VmHWM');
      phase = null;
      if (!record) return;
      const expected = ph.sent * receiversPerMessage;
      const activeSec = Math.max(1e-6, (ph.lastDeliveryUs - ph.firstSendUs) / 1e6);
      phases.push({
        phase: name,
        figures: {
          ...extra,
          clients: C,
          senders: S,
          messages: ph.sent,
          deliveries: ph.delivered,
          deliveriesPerSec: Math.round(ph.delivered / activeSec),
          messagesPerSec: Math.round(ph.sent / activeSec),
          lost: Math.max(0, expected - ph.delivered),
          reordered: ph.reordered,
          serverCpuPct: round1((srvMs / wallMs) * 100),
          serverCpuUsPerDelivery: ph.delivered ? round2((srvMs * 1000) / ph.delivered) : 0,
          // The kernel's share: write syscalls and loopback delivery to the receiver (alike for every
          // server), plus, for ours, the disk writes and fsyncs of the commits.
          serverSysUsPerDelivery: ph.delivered ? round2((srvSysMs * 1000) / ph.delivered) : 0,
          genCpuPct: round1(((cpu.user + cpu.system) / 1000 / wallMs) * 100),
          genLoopDelayP99Ms: loopP99,
          ...(ownPeak ? { peakRssKiB: peakRss } : {}),
        },
        latency: ph.hist.summaryMs(),
        latencyOf: 'send → delivery',
      });
    };

    // Phase 1: a fixed total rate, paced by a timer.
    const fixedRate = (total: number) => (ph: Phase) => {
      pumping = true;
      const t0 = performance.now();
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * opts.rate)) - ph.sent;
        if (due > 0) sendBatch(ph, due);
        if (ph.sent >= total) {
          clearInterval(timer);
          pumping = false;
        }
      }, 2);
    };
    // Every server first relays WARMUP_S of it unmeasured: a JIT (ours) compiles the relay path in
    // its first second, a start-up cost that a server up for a while has paid.
    await measure('warm-up', fixedRate(Math.max(1, Math.round(opts.rate * Math.min(WARMUP_S, opts.duration)))), {}, false);
    const fixedTotal = Math.min(Math.round(opts.rate * opts.rateSeconds), opts.messages);
    await measure('fixed-rate', fixedRate(fixedTotal), { targetRate: opts.rate });

    // Phase 2: as fast as the server allows, `window` messages in flight.
    await measure(
      'max-rate',
      () => {
        pumping = true;
        windowed = true;
        pumpCap = opts.messages;
        pumpDeadline = nowUs() + opts.duration * 1e6;
        pump();
        // Ends the phase at the deadline even if deliveries stopped arriving.
        const stop = setTimeout(() => (pumping = false), opts.duration * 1000 + 50);
        stop.unref();
      },
      { window: opts.window },
    );
    // Phase 3: flat out. Every sender writes while its socket takes the bytes (TCP from the server
    // is the only brake), so the readers fall behind: what the server holds meanwhile (peak RSS),
    // and whether it pushes back on the senders or queues up to each member's sendq.
    await measure('flat-out', (ph) => {
      pumping = true;
      const deadline = performance.now() + opts.duration * 1000;
      const push = (s: number): void => {
        if (!pumping) return;
        if (ph.sent >= Math.min(FLAT_OUT_MESSAGES, opts.messages) || performance.now() >= deadline) {
          pumping = false;
          return;
        }
        const t = nowUs();
        if (ph.firstSendUs === 0) ph.firstSendUs = t;
        let text = '';
        for (let j = 0; j < FLAT_OUT_BATCH; j++) text += `PRIVMSG ${ROOM} :${benchText(t, s, seqs[s]!++, pad)}\r\n`;
        ph.sent += FLAT_OUT_BATCH;
        const socket = conns[s]!.socket;
        if (socket.write(text)) setImmediate(push, s);
        else socket.once('drain', () => push(s));
      };
      for (let s = 0; s < S; s++) push(s);
      // Ends the phase at the deadline even while senders wait for 'drain'.
      setTimeout(() => (pumping = false), opts.duration * 1000 + 50).unref();
    }, {});
    const dropped = conns.filter((c) => c.closed).length;
    if (dropped > 0) notes.push(`${dropped} of ${C} connections were closed by the server during the run`);
    return { status: 'ok', phases, notes };
  } finally {
    destroyAll(conns);
  }
}
