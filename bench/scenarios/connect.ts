// connect: N clients connect and register (NICK/USER); registrations per second and the time
// from TCP connect() to RPL_WELCOME (001). Two phases: "steady" with a few registrations in
// flight (ngIRCd's listen backlog is 10, compiled in), then a "burst" with --concurrency in flight
// (everyone reconnecting after a restart), where a short backlog shows up as SYN retries.
// Each phase stops starting registrations after 2 × --duration seconds.

import { connectMany, destroyAll } from '../lib/pool.ts';
import { cpuMs } from '../lib/proc.ts';
import type { Job, PhaseResult, ScenarioResult } from '../lib/types.ts';
import { round1, round2 } from '../lib/util.ts';

const STEADY_IN_FLIGHT = 8;

export async function runConnect(job: Job): Promise<ScenarioResult> {
  const { opts } = job;
  const notes: string[] = [];
  const phases: PhaseResult[] = [];
  const plan: Array<[string, number]> = [['steady', Math.min(STEADY_IN_FLIGHT, opts.concurrency)]];
  if (opts.concurrency > STEADY_IN_FLIGHT) plan.push(['burst', opts.concurrency]);
  for (const [phase, concurrency] of plan) {
    const srv0 = cpuMs(job.serverPid);
    const cpu0 = process.cpuUsage();
    const pool = await connectMany(opts.connects, concurrency, job.host, job.port, phase[0]!, { onBench() {} }, opts.timeoutMs, {
      keepGoing: true,
      attempts: 1,
      deadlineMs: opts.duration * 2000,
    });
    const srvMs = cpuMs(job.serverPid) - srv0;
    const cpu = process.cpuUsage(cpu0);
    destroyAll(pool.conns);
    const ok = pool.registration.count;
    if (pool.failures.length) notes.push(`${phase}: ${pool.failures.length} registrations failed, first: ${pool.failures[0]}`);
    phases.push({
      phase,
      figures: {
        concurrency,
        registered: ok,
        failed: pool.failures.length,
        registrationsPerSec: Math.round(ok / (pool.wallMs / 1000)),
        serverCpuPct: round1((srvMs / pool.wallMs) * 100),
        serverCpuUsPerRegistration: ok ? round2((srvMs * 1000) / ok) : 0,
        genCpuPct: round1(((cpu.user + cpu.system) / 1000 / pool.wallMs) * 100),
      },
      latency: pool.registration.summaryMs(),
      latencyOf: 'TCP connect → 001',
    });
    // Let the server finish the disconnects before the next phase.
    await new Promise((r) => setTimeout(r, 500));
  }
  return { status: 'ok', notes, phases };
}
