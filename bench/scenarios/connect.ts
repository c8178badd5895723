// connect: N clients connect and register (NICK/USER) with a bounded number in flight;
// registrations per second and the time from TCP connect() to RPL_WELCOME (001).

import { connectMany, destroyAll } from '../lib/pool.ts';
import { cpuMs } from '../lib/proc.ts';
import type { Job, ScenarioResult } from '../lib/types.ts';
import { round1, round2 } from '../lib/util.ts';

export async function runConnect(job: Job): Promise<ScenarioResult> {
  const { opts } = job;
  const srv0 = cpuMs(job.serverPid);
  const cpu0 = process.cpuUsage();
  const pool = await connectMany(opts.connects, opts.concurrency, job.host, job.port, 'c', { onBench() {} }, opts.timeoutMs);
  const srvMs = cpuMs(job.serverPid) - srv0;
  const cpu = process.cpuUsage(cpu0);
  destroyAll(pool.conns);
  const ok = pool.registration.count;
  return {
    status: 'ok',
    notes: pool.failures.length ? [`${pool.failures.length} registrations failed, first: ${pool.failures[0]}`] : [],
    phases: [
      {
        phase: 'register',
        figures: {
          connections: opts.connects,
          concurrency: opts.concurrency,
          registered: ok,
          failed: opts.connects - ok,
          registrationsPerSec: Math.round(ok / (pool.wallMs / 1000)),
          serverCpuPct: round1((srvMs / pool.wallMs) * 100),
          serverCpuUsPerRegistration: ok ? round2((srvMs * 1000) / ok) : 0,
          genCpuPct: round1(((cpu.user + cpu.system) / 1000 / pool.wallMs) * 100),
        },
        latency: pool.registration.summaryMs(),
        latencyOf: 'TCP connect → 001',
      },
    ],
  };
}
