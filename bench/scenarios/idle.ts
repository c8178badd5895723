// idle: N registered connections sit idle; the server's resident memory per connection
// (VmRSS before/after from /proc/PID/status: the growth over all N, and over the second half
// alone, the marginal cost), and PING round trips on one of them meanwhile.

import { Histogram } from '../lib/histogram.ts';
import { nowUs, waitFor } from '../lib/irc-conn.ts';
import { connectMany, destroyAll } from '../lib/pool.ts';
import { statusKiB } from '../lib/proc.ts';
import type { Job, ScenarioResult } from '../lib/types.ts';
import { round2 } from '../lib/util.ts';

export async function runIdle(job: Job): Promise<ScenarioResult> {
  const { opts } = job;
  const notes: string[] = [];
  const rssBefore = statusKiB(job.serverPid, 'VmRSS');
  // Registration speed is not the point here: more in flight (InspIRCd completes registrations on
  // a once-a-second tick), and retries for resets when a short listen backlog overflows (ngIRCd).
  // In two halves: the growth over the second half is what one more connection costs, without
  // what a server spends once as it warms up (code compiled, allocator arenas, heap headroom).
  const connect = (n: number, prefix: string) =>
    connectMany(n, opts.concurrency * 2, job.host, job.port, prefix, { onBench() {} }, opts.timeoutMs, { keepGoing: true });
  const firstHalf = await connect(Math.floor(opts.idle / 2), 'i');
  const rssHalf = statusKiB(job.serverPid, 'VmRSS');
  const secondHalf = await connect(opts.idle - firstHalf.conns.length, 'k');
  const pool = {
    conns: [...firstHalf.conns, ...secondHalf.conns],
    retries: firstHalf.retries + secondHalf.retries,
    failures: [...firstHalf.failures, ...secondHalf.failures],
    wallMs: firstHalf.wallMs + secondHalf.wallMs,
  };
  try {
    if (pool.retries) notes.push(`${pool.retries} registrations needed a retry (connection reset or timed out)`);
    if (pool.failures.length) notes.push(`${pool.failures.length} registrations failed, first: ${pool.failures[0]}`);
    const registered = firstHalf.registration.count + secondHalf.registration.count;
    const rssAfter = statusKiB(job.serverPid, 'VmRSS');
    const probe = pool.conns.find((c) => c.registered && !c.closed);
    const ping = new Histogram();
    if (probe !== undefined) {
      for (let i = 0; i < opts.pings; i++) {
        const t = nowUs();
        const pong = waitFor(probe, (command, line) => command === 'PONG' && line.endsWith(`bench${i}`), opts.timeoutMs, 'PONG');
        probe.send(`PING :bench${i}\r\n`);
        await pong;
        ping.record(nowUs() - t);
      }
    } else {
      notes.push('no registered connection left to PING');
    }
    const held = pool.conns.filter((c) => c.registered && !c.closed).length;
    const rssEnd = statusKiB(job.serverPid, 'VmRSS');
    const grown = Math.max(rssAfter, rssEnd) - rssBefore;
    return {
      status: 'ok',
      notes,
      phases: [
        {
          phase: 'idle',
          figures: {
            connections: opts.idle,
            registered,
            held,
            rssBeforeKiB: rssBefore,
            rssAfterKiB: Math.max(rssAfter, rssEnd),
            rssPerConnKiB: registered ? round2(grown / registered) : 0,
            rssMarginalKiB: secondHalf.registration.count ? round2((Math.max(rssAfter, rssEnd) - rssHalf) / secondHalf.registration.count) : 0,
            registrationsPerSec: Math.round(registered / (pool.wallMs / 1000)),
          },
          latency: ping.summaryMs(),
          latencyOf: `PING → PONG with ${held} idle connections`,
        },
      ],
    };
  } finally {
    destroyAll(pool.conns);
  }
}
