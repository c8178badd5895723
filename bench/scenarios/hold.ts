// hold: one generator process's share of the memory scenario (bench/memory.ts runs several, since one
// process holds at most its open-file limit, each connecting from loopback source addresses of its own). It registers half its share, reports and waits; the
// other half, reports and waits; times PING round trips (if asked) with every share held, reports
// and waits; then closes everything (the server's RSS is read before that, not during the teardown).

import { Histogram } from '../lib/histogram.ts';
import { nowUs, waitFor, type IrcConn } from '../lib/irc-conn.ts';
import { connectMany, destroyAll, type PoolResult } from '../lib/pool.ts';
import type { HoldProgress, Job, ScenarioResult } from '../lib/types.ts';

/** Reports a step to the orchestrator and waits for its go-ahead. */
function step(progress: HoldProgress): Promise<void> {
  return new Promise((resolve) => {
    process.once('message', () => resolve());
    process.send!(progress);
  });
}

export async function runHold(job: Job): Promise<ScenarioResult> {
  const { opts } = job;
  const share = job.hold!;
  const conns: IrcConn[] = [];
  const notes: string[] = [];
  let registered = 0;
  let failures = 0;
  let retries = 0;
  let firstFailure: string | undefined;
  // Registrations in flight as in `idle` (InspIRCd completes them on a once-a-second tick), with
  // retries for resets when a short listen backlog overflows (ngIRCd).
  const connect = async (n: number, prefix: string): Promise<void> => {
    const r: PoolResult = await connectMany(n, opts.concurrency * 2, job.host, job.port, prefix, { onBench() {} }, opts.timeoutMs, {
      keepGoing: true,
      localAddresses: share.localAddresses,
    });
    conns.push(...r.conns);
    registered += r.registration.count;
    failures += r.failures.length;
    retries += r.retries;
    firstFailure ??= r.failures[0];
  };
  try {
    const half = Math.floor(share.count / 2);
    await connect(half, `${share.nickPrefix}a`);
    await step({ stage: 'half', registered, failures, retries, ...(firstFailure ? { firstFailure } : {}) });
    await connect(share.count - half, `${share.nickPrefix}b`);
    await step({ stage: 'held', registered, failures, retries, ...(firstFailure ? { firstFailure } : {}) });
    const ping = new Histogram();
    const probe = conns.find((c) => c.registered && !c.closed);
    for (let i = 0; probe !== undefined && i < share.pings; i++) {
      const t = nowUs();
      const pong = waitFor(probe, (command, line) => command === 'PONG' && line.endsWith(`hold${i}`), opts.timeoutMs, 'PONG');
      probe.send(`PING :hold${i}\r\n`);
      await pong;
      ping.record(nowUs() - t);
    }
    const held = conns.filter((c) => c.registered && !c.closed).length;
    await step({ stage: 'pinged', registered, failures, retries });
    return {
      status: 'ok',
      notes,
      phases: [{ phase: 'hold', figures: { registered, held, failures, retries }, ...(share.pings > 0 ? { latency: ping.summaryMs() } : {}) }],
    };
  } finally {
    destroyAll(conns);
  }
}
