// The memory scenario (issue 15): idle registered connections at several sizes (`--memory-sizes`,
// 10k/50k/100k), each server's RSS per connection once they have been idle `--memory-settle`
// seconds (and as the last one registers) and PING round trips meanwhile; our server once
// per way it is started (`--ours-launches`). Sizes past what one process may open here (the hard
// open-file limit, raised only with CAP_SYS_RESOURCE) are reported as not reachable, and the most
// this machine allows is measured in their place. The connections come from as many generator
// processes as the open-file limit needs (scenarios/hold.ts), from fresh loopback source addresses,
// a few thousand connections each (one address has ~28 k ephemeral ports, and fills slowly).

import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Measurement } from './lib/report.ts';
import type { CliOptions } from './lib/options.ts';
import { hasCommand, LAUNCH_LABELS, startServer, type OursLaunch, type RunningServer } from './lib/servers.ts';
import { ephemeralPorts, reachableNofile, statusKiB } from './lib/proc.ts';
import type { HoldProgress, Job, ScenarioResult, ServerName } from './lib/types.ts';
import { round2 } from './lib/util.ts';

const GENERATOR = resolve('bench/generator.ts');
/** Descriptors a process needs besides its connections (stdio, epoll, database files, listener, IPC). */
const FD_RESERVE = 200;
/**
 * How long a fresh server idles before its RSS is first read: ours prints its `listening` line
 * while its storage thread is still starting (≈ 5 MB more within the next few hundred ms), which
 * is no cost of a connection. The same wait for every server.
 */
const STARTUP_SETTLE_MS = 2000;
/** The largest size measured when the wanted ones do not fit is rounded down to this. */
const SIZE_STEP = 1000;
/**
 * Connections per source address. Binding to port 0 searches the address's ephemeral ports
 * (net.ipv4.ip_local_port_range, ~28 k) for a free one, and the search slows as they fill: 19,000
 * connections from one address took 38 s of generator CPU, 10,000 took 5 s.
 */
const PER_ADDRESS = 5000;

/**
 * Loopback source addresses handed out so far. Each run takes fresh ones: the connections a run
 * closes hold their ports in TIME_WAIT for a minute, and binding the same address again cannot reuse
 * them (10,000 connections took 41 s instead of 5). 127.0.1.0 – 127.0.255.255: 65,000 addresses.
 */
let addressesUsed = 0;

function freshSourceAddress(): string {
  const n = addressesUsed++;
  return `127.0.${1 + Math.floor(n / 256)}.${n % 256}`;
}

export type MemoryContext = {
  opts: CliOptions;
  round: number;
  tmpRoot: string;
  serverCpu: string | null;
  genCpu: string | null;
  /** Why a server cannot run (null: it can). */
  available: Map<ServerName, string | null>;
  oursNodeArgs: string[];
  live: Set<{ kill(): Promise<void> | void }>;
  record(scenario: string, label: string, version: string, r: ScenarioResult): Measurement[];
};

/** The sizes to measure with a per-process open-file ceiling, and the ones that cannot be reached. */
export function plannedSizes(wanted: readonly number[], ceiling: number): { run: number[]; unreachable: number[]; most: number } {
  const most = Math.floor((ceiling - FD_RESERVE) / SIZE_STEP) * SIZE_STEP;
  const run = wanted.filter((n) => n <= ceiling - FD_RESERVE);
  const unreachable = wanted.filter((n) => n > ceiling - FD_RESERVE);
  if (unreachable.length > 0 && most > 0 && !run.includes(most)) run.push(most);
  return { run, unreachable, most };
}

/** The phase name of a size (a table per size, servers across). */
export function sizePhase(n: number): string {
  return `${n.toLocaleString('en-US')} connections`;
}

export async function runMemory(ctx: MemoryContext): Promise<Measurement[]> {
  const { opts } = ctx;
  const ceiling = reachableNofile(Math.max(...opts.memorySizes) + FD_RESERVE);
  const plan = plannedSizes(opts.memorySizes, ceiling);
  const out: Measurement[] = [];
  const variants: Array<{ name: ServerName; label: string; launch?: OursLaunch }> = [];
  for (const name of opts.servers) {
    if (name !== 'ours') variants.push({ name, label: name });
    else for (const launch of opts.oursLaunches) variants.push({ name, label: launch === 'node' ? 'ours' : `ours (${LAUNCH_LABELS[launch]})`, launch });
  }
  if (ctx.round === 0) {
    for (const n of plan.unreachable) {
      const why = `not reachable here: ${n.toLocaleString('en-US')} connections need ${(n + FD_RESERVE).toLocaleString('en-US')} open files in the server, and a process may have at most ${ceiling.toLocaleString('en-US')} (hard limit; raising it needs CAP_SYS_RESOURCE); measured at ${plan.most.toLocaleString('en-US')} instead`;
      for (const v of variants) out.push(...ctx.record('memory', v.label, '', { status: 'skipped', phases: [{ phase: sizePhase(n), figures: {} }], notes: [why] }));
    }
  }
  for (const size of plan.run) {
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(i + ctx.round) % variants.length]!;
      const why = ctx.available.get(v.name);
      if (why !== null && why !== undefined) {
        if (ctx.round === 0) out.push(...ctx.record('memory', v.label, '', { status: 'skipped', phases: [{ phase: sizePhase(size), figures: {} }], notes: [why] }));
        continue;
      }
      out.push(...(await measure(ctx, v, size, ceiling)));
    }
  }
  return out;
}

async function measure(ctx: MemoryContext, v: { name: ServerName; label: string; launch?: OursLaunch }, size: number, nofile: number): Promise<Measurement[]> {
  const { opts } = ctx;
  const workDir = join(ctx.tmpRoot, `memory-${size}-${v.label.replace(/\W+/g, '_')}-r${ctx.round}`);
  mkdirSync(workDir, { recursive: true });
  let server: RunningServer;
  try {
    server = await startServer(v.name, {
      workDir, cpu: ctx.serverCpu, nofile, extraArgs: [], nodeArgs: v.launch === 'node' ? ctx.oursNodeArgs : [], launch: v.launch,
    });
  } catch (err) {
    return ctx.record('memory', v.label, '', { status: 'failed', phases: [{ phase: sizePhase(size), figures: {} }], notes: [(err as Error).message] });
  }
  const handle = { kill: () => server.stop() };
  ctx.live.add(handle);
  console.log(`   ${v.label}: ${server.version} on ${server.host}:${server.port} (pid ${server.pid}) — holding ${size.toLocaleString('en-US')} idle connections…`);
  // A generator process holds what its open-file limit allows.
  await new Promise((r) => setTimeout(r, opts.memorySettle > 0 ? STARTUP_SETTLE_MS : 0));
  const rss0 = statusKiB(server.pid, 'VmRSS');
  const anon0 = statusKiB(server.pid, 'RssAnon');
  const perProcess = opts.memoryPerGenerator || nofile - FD_RESERVE;
  const perAddress = Math.min(PER_ADDRESS, ephemeralPorts() >> 1);
  const processes = Math.ceil(size / perProcess);
  const holds = Array.from({ length: processes }, (_, k) => {
    const count = Math.floor(size / processes) + (k < size % processes ? 1 : 0);
    const job: Job = {
      scenario: 'hold', server: v.label, host: server.host, port: server.port, serverPid: server.pid, opts, seeded: 0,
      hold: { count, localAddresses: Array.from({ length: Math.ceil(count / perAddress) }, freshSourceAddress), nickPrefix: `h${k}`, pings: k === 0 ? opts.pings : 0 },
    };
    return startHold(ctx, job, nofile);
  });
  const notes: string[] = [];
  let result: ScenarioResult;
  try {
    const t0 = performance.now();
    const halves = await Promise.all(holds.map((h) => h.next()));
    const rssHalf = statusKiB(server.pid, 'VmRSS');
    const halfRegistered = sum(halves.map((p) => p.registered));
    for (const h of holds) h.go();
    const helds = await Promise.all(holds.map((h) => h.next()));
    const wallMs = performance.now() - t0;
    const rssAtOnce = statusKiB(server.pid, 'VmRSS');
    // Idle connections are the point: a collector's heap still holds the registrations' garbage
    // right after them, and gives it back once idle (V8's memory reducer); C servers free at once.
    await new Promise((r) => setTimeout(r, opts.memorySettle * 1000));
    const rssN = statusKiB(server.pid, 'VmRSS');
    const anonN = statusKiB(server.pid, 'RssAnon');
    for (const h of holds) h.go();
    await Promise.all(holds.map((h) => h.next()));
    const rssEnd = Math.max(rssN, statusKiB(server.pid, 'VmRSS'));
    for (const h of holds) h.go();
    const results = await Promise.all(holds.map((h) => h.result));
    const registered = sum(helds.map((p) => p.registered));
    const failures = sum(helds.map((p) => p.failures));
    const retries = sum(helds.map((p) => p.retries));
    if (retries) notes.push(`${retries} registrations needed a retry (connection reset or timed out)`);
    if (failures) notes.push(`${failures} registrations failed, first: ${helds.find((p) => p.firstFailure)?.firstFailure}`);
    for (const r of results) if (r.status !== 'ok') notes.push(...r.notes);
    const held = sum(results.map((r) => r.phases[0]?.figures.held ?? 0));
    const ping = results[0]?.phases[0]?.latency;
    result = {
      status: results.every((r) => r.status === 'ok') ? 'ok' : 'failed',
      notes,
      genCpuMs: sum(results.map((r) => r.genCpuMs ?? 0)),
      wallMs: Math.round(wallMs),
      phases: [
        {
          phase: sizePhase(size),
          figures: {
            connections: size,
            held,
            generators: processes,
            rssBeforeKiB: rss0,
            rssAfterKiB: rssEnd,
            rssPerConnKiB: registered ? round2((rssEnd - rss0) / registered) : 0,
            // Both halves read as their last registration completes, so warm-up costs cancel out.
            rssMarginalKiB: registered > halfRegistered ? round2((rssAtOnce - rssHalf) / (registered - halfRegistered)) : 0,
            rssAtOncePerConnKiB: registered ? round2((rssAtOnce - rss0) / registered) : 0,
            // Private memory only: without the program's own code pages, which the kernel maps in
            // from the binary as they are first run (shared, and dropped under memory pressure).
            anonPerConnKiB: registered ? round2((anonN - anon0) / registered) : 0,
            registrationsPerSec: Math.round(registered / (wallMs / 1000)),
          },
          ...(ping ? { latency: ping, latencyOf: `PING → PONG with ${held.toLocaleString('en-US')} idle connections` } : {}),
        },
      ],
    };
  } catch (err) {
    result = { status: 'failed', phases: [{ phase: sizePhase(size), figures: {} }], notes: [...notes, (err as Error).message] };
  } finally {
    await Promise.all(holds.map((h) => h.kill()));
  }
  await server.stop();
  ctx.live.delete(handle);
  rmSync(workDir, { recursive: true, force: true });
  return ctx.record('memory', v.label, server.version, result);
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** A hold generator process: its steps (next), the go-ahead (go), its final result. */
function startHold(ctx: MemoryContext, job: Job, nofile: number) {
  let argv = [process.execPath, GENERATOR];
  if (ctx.genCpu !== null) argv = ['taskset', '-c', ctx.genCpu, ...argv];
  if (hasCommand('prlimit')) argv = ['prlimit', `--nofile=${nofile}:${nofile}`, ...argv];
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  const handle = { kill: (): Promise<void> => (child.kill('SIGKILL'), gone) };
  ctx.live.add(handle);
  const steps: HoldProgress[] = [];
  let waiting: ((p: HoldProgress) => void) | null = null;
  let failed: ((e: Error) => void) | null = null;
  let final: ScenarioResult | null = null;
  // Bounded like every scenario: registrations at ≥ 100/s, plus the timeouts.
  const timer = setTimeout(() => child.kill('SIGKILL'), (job.hold!.count / 100 + 120) * 1000 + 20 * job.opts.timeoutMs);
  child.on('message', (m: HoldProgress | ScenarioResult) => {
    if ('stage' in m) {
      if (waiting) waiting(m);
      else steps.push(m);
      waiting = null;
    } else final = m;
  });
  const result = new Promise<ScenarioResult>((res) => {
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      ctx.live.delete(handle);
      failed?.(new Error(`load generator exited (${signal ?? code}) before it held its connections`));
      res(final ?? { status: 'failed', phases: [], notes: [`load generator exited (${signal ?? code}) without a result`] });
    });
  });
  child.send(job);
  return {
    next: (): Promise<HoldProgress> =>
      steps.length > 0
        ? Promise.resolve(steps.shift()!)
        : new Promise<HoldProgress>((res, rej) => {
            waiting = res;
            failed = rej;
          }),
    go: (): void => void child.send('go'),
    result,
    kill: handle.kill,
  };
}
