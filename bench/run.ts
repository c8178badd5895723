// `npm run bench`: runs each scenario against our server and, in the same run on the same
// machine, the stock ngircd and InspIRCd, then prints a table per scenario with ratios to ours,
// appends one JSON line per measurement to bench/results/<run>.jsonl and draws the latency
// percentiles into bench/results/<run>-latency.svg. Everything is loopback-only, bounded in
// count and time, and torn down at the end. See bench/README.md.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { HelpRequested, parseArgs, USAGE, type CliOptions } from './lib/options.ts';
import { topSelfTime } from './lib/cpuprofile.ts';
import { fdLimits, machineLoad } from './lib/proc.ts';
import { appendJsonl, formatSummary, formatTable, latencySvg, measurementsOf, medianOfRounds, writeSvg, type Measurement } from './lib/report.ts';
import { ensurePeer, hasCommand, OURS_ENTRY, oursNodeFlags, startServer, type RunningServer } from './lib/servers.ts';
import { seedHistory } from './lib/seed-history.ts';
import { runMemory } from './memory.ts';
import { SEARCH_SEED } from './scenarios/search.ts';
import type { Job, PhaseResult, ScenarioName, ScenarioResult, ServerName } from './lib/types.ts';

const GENERATOR = resolve('bench/generator.ts');
const LABEL_TMPFS = 'ours (data on tmpfs)';
const LABEL_BYPASS = 'ours (commit bypassed)';
const LABEL_BASELINE = 'ours (baseline)';
/** Scratch folder on tmpfs for the durability run (created on first use). */
let shm: string | null | undefined;

let opts: CliOptions;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (err) {
  if (err instanceof HelpRequested) {
    console.log(USAGE);
    process.exit(0);
  }
  console.error(`bench: ${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}

// Everything started here that must not outlive the run: servers and generator processes.
const live = new Set<{ kill(): Promise<void> | void }>();
const runId = new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
const outDir = resolve(opts.outDir);
const keepDir = join(outDir, `${runId}-configs`);
const jsonlFile = join(outDir, `${runId}.jsonl`);
const svgFile = join(outDir, `${runId}-latency.svg`);
const tmpRoot = mkdtempSync(join(os.tmpdir(), 'chatroom-bench-'));
mkdirSync(keepDir, { recursive: true });

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    // Stop servers and generators (and reap them) before leaving; give up after 6 s.
    const stops = Promise.all([...live].map((p) => p.kill()));
    void Promise.race([stops, new Promise((r) => setTimeout(r, 6000))]).then(() => {
      removeScratch();
      process.exit(130);
    });
  });
}

// Pinning: the server on CPU 0, the load generator (and this orchestrator) on CPU 1.
const nproc = os.availableParallelism();
const canPin = opts.pin && nproc >= 2 && hasCommand('taskset');
const serverCpu = canPin ? '0' : null;
const genCpu = canPin ? (nproc >= 4 ? `1-${nproc - 1}` : '1') : null;
if (canPin) spawnSync('taskset', ['-a', '-pc', genCpu!, String(process.pid)], { stdio: 'ignore' });
const pinned = canPin
  ? `server pinned to CPU ${serverCpu}, load generator to CPU ${genCpu} (taskset; ${nproc} CPUs)`
  : `not pinned (${!opts.pin ? '--no-pin' : nproc < 2 ? `${nproc} CPU` : 'taskset missing'}): server and generator share CPUs`;

// Open files: each process needs one per connection plus slack; raise the limit for the children.
const needFds = Math.max(opts.idle, opts.connects, opts.clients, 2 * opts.pairs, opts.only.includes('bigroom') ? opts.bigroomClients : 0) + 1024;
const limits = fdLimits();
const isRoot = process.getuid?.() === 0;
const nofile = isRoot ? Math.max(needFds, limits.soft) : Math.min(Math.max(needFds, limits.soft), limits.hard);
const fdNote = nofile < needFds ? `open-file limit ${nofile} < ${needFds} needed: idle/connect sizes may fail (raise ulimit -Hn)` : null;

const cpuModel = /model name\s*:\s*(.*)/.exec(safeRead('/proc/cpuinfo'))?.[1] ?? os.arch();
console.log(`Chat Room bench · run ${runId}`);
console.log(`machine: ${nproc} × ${cpuModel}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
console.log(`pinning: ${pinned}`);
const load0 = machineLoad();
console.log(
  `machine load: ${load0.loadavg1} (1 min), CPU pressure ${load0.cpuPressurePct}%` +
    (load0.loadavg1 > nproc / 2 ? ' — other processes are running: absolute figures will be noisy, compare ratios and re-run on a quiet machine' : ''),
);
console.log(`open files per process: ${nofile}${fdNote ? ` — ${fdNote}` : ''}`);
console.log(`sizes: ${JSON.stringify(sizes())}${opts.quick ? ' (--quick)' : ''}`);

// Which servers can run.
const available = new Map<ServerName, string | null>();
for (const name of opts.servers) available.set(name, name === 'ours' ? prepareOurs() : ensurePeer(name, opts.install));
for (const [name, why] of available) console.log(`server ${name}: ${why === null ? 'ready' : `SKIPPED — ${why}`}`);
// Our server runs as `node dist/server.mjs` (it adds its runtime flags itself), or with --ours-node-args.
const oursNodeArgs = available.get('ours') === null ? (opts.oursNodeArgs ?? oursNodeFlags()) : [];
if (available.get('ours') === null) {
  console.log(`server ours: node ${[...oursNodeArgs, 'dist/server.mjs'].join(' ')}${opts.oursNodeArgs ? ' (--ours-node-args)' : ''}`);
}

// --ours-baseline: another build of our server, run beside it with the same flags and limits.
const baselineEntry = opts.oursBaseline !== null && available.get('ours') === null ? resolve(opts.oursBaseline) : null;
if (baselineEntry !== null) {
  if (!existsSync(baselineEntry)) {
    console.error(`bench: --ours-baseline ${baselineEntry} does not exist`);
    process.exit(2);
  }
  console.log(`server ${LABEL_BASELINE}: node ${[...oursNodeFlags(baselineEntry), baselineEntry].join(' ')}`);
}

const all: Measurement[] = [];
const printedConfigs = new Set<string>();

let round = 0;
/** Every round's measurements (with --repeat), for the summary's per-round ratios. */
const allRounds: Measurement[] = [];
for (const scenario of opts.only) {
  const rounds: Measurement[] = [];
  const title = scenarioTitle(scenario) + (opts.repeat > 1 ? ` — median of ${opts.repeat} rounds` : '');
  console.log(`\n>> ${title}`);
  for (round = 0; round < opts.repeat; round++) {
    if (scenario === 'durability') {
      rounds.push(...(await durability(round)));
      continue;
    }
    if (scenario === 'memory') {
      rounds.push(...(await runMemory({ opts, round, tmpRoot, serverCpu, genCpu, available, oursNodeArgs, live, record })));
      continue;
    }
    // Servers take turns going first, so a busy moment on a shared machine does not always hit the same one.
    const runs: Array<{ name: ServerName; label: string }> = opts.servers.map((name) => ({ name, label: name }));
    if (baselineEntry !== null) runs.splice(1, 0, { name: 'ours', label: LABEL_BASELINE });
    const order = runs.map((_, i) => runs[(i + round) % runs.length]!);
    for (const { name, label } of order) {
      if ((scenario === 'history' || scenario === 'search') && name !== 'ours') continue;
      const why = available.get(name);
      if (why !== null && why !== undefined) {
        if (round === 0) rounds.push(...record(scenario, name, '', { status: 'skipped', phases: [], notes: [why] }));
        continue;
      }
      rounds.push(...(await runOn(scenario, name, label, [])));
    }
  }
  if ((scenario === 'history' || scenario === 'search') && !opts.servers.includes('ours')) console.log(`   ${scenario} runs on our server only (stock peers keep no history)`);
  const ms = opts.repeat > 1 ? medianOfRounds(rounds) : rounds;
  console.log(formatTable(title, ms));
  all.push(...ms);
  if (opts.repeat > 1) allRounds.push(...rounds);
}

const summary = formatSummary(all, allRounds);
if (summary !== '') console.log(summary);
writeSvg(svgFile, latencySvg(all, `run ${runId} · ${pinned}`));
removeScratch();
console.log(`\nresults: ${jsonlFile}`);
console.log(`chart:   ${svgFile}`);
console.log(`configs: ${keepDir}`);
const lostBy = (pred: (m: Measurement) => boolean): number => all.filter(pred).reduce((n, m) => n + (m.lost ?? 0), 0);
const lost = lostBy(() => true);
if (lost > 0) console.log(`WARNING: ${lost} messages lost in total (see the tables)`);
// Our server losing a message is a failure of the run, whatever the speed.
process.exit(lostBy((m) => m.server.startsWith('ours')) > 0 ? 1 : 0);

// ---------------------------------------------------------------------------------------------

async function runOn(
  scenario: Exclude<ScenarioName, 'durability' | 'memory'>,
  name: ServerName,
  label: string,
  extraArgs: string[],
  recordAs: ScenarioName = scenario,
  onTmpfs = false,
): Promise<Measurement[]> {
  // A fresh folder (and data folder) per run: rounds and scenarios never share a database.
  const workDir = join(onTmpfs ? shmRoot()! : tmpRoot, `${recordAs}-${label.replace(/\W+/g, '_')}-r${round}`);
  const profDir = opts.profile && name === 'ours' ? join(keepDir, `profile-${recordAs}-${label.replace(/\W+/g, '_')}-r${round}`) : null;
  // history: store the messages through our storage module before the server opens the file.
  let seeded = 0;
  let seedPhase: PhaseResult | null = null;
  const seedNotes: string[] = [];
  if ((scenario === 'history' || scenario === 'search') && name === 'ours' && opts.historySize > 0) {
    console.log(`   ${label}: seeding ${opts.historySize} messages through src/server/storage…`);
    const r = await seedHistory(join(workDir, 'data'), '#history', opts.historySize, scenario === 'search' ? SEARCH_SEED : {});
    if (typeof r === 'string') seedNotes.push(scenario === 'search' ? r : `${r}; seeding over IRC instead`);
    else {
      seeded = r.seeded;
      seedPhase = { phase: 'seed via storage module', figures: { stored: r.seeded, rowsPerSec: r.rowsPerSec, seedMs: r.ms } };
    }
  }
  let server: RunningServer;
  try {
    const oursEntry = label === LABEL_BASELINE ? baselineEntry! : undefined;
    server = await startServer(name, { workDir, cpu: serverCpu, nofile, extraArgs, nodeArgs: oursNodeArgs, cpuProfDir: profDir, oursEntry });
  } catch (err) {
    return record(recordAs, label, '', { status: 'failed', phases: [], notes: [(err as Error).message] });
  }
  const handle = { kill: () => server.stop() };
  live.add(handle);
  if (server.config !== null && !printedConfigs.has(name)) {
    printedConfigs.add(name);
    console.log(`--- generated ${name} config (${join(keepDir, `${name}.conf`)}) ---\n${server.config.text.trimEnd()}\n---`);
    copyFileSync(server.config.file, join(keepDir, `${name}.conf`));
  }
  console.log(`   ${label}: ${server.version} on ${server.host}:${server.port} (pid ${server.pid}) — running ${scenario}…`);
  const job: Job = { scenario, server: label, host: server.host, port: server.port, serverPid: server.pid, opts, seeded };
  const result = await runGenerator(job);
  if (seedPhase !== null && result.status === 'ok') result.phases.unshift(seedPhase);
  result.notes.unshift(...seedNotes);
  await server.stop();
  live.delete(handle);
  if (profDir !== null) printProfile(profDir);
  // Keep the server's log when something needs explaining (failures, refused connections).
  if (result.status !== 'ok' || result.notes.length > 0) {
    const kept = copyLog(server, `${recordAs}-${label.replace(/\W+/g, '_')}-r${round}`);
    if (kept) result.notes.push(`server log: ${kept}`);
  }
  rmSync(workDir, { recursive: true, force: true });
  return record(recordAs, label, server.version, result);
}

/**
 * Fanout on our server three ways: storage as shipped (data folder on disk), the data folder on
 * tmpfs (same code, but fsync costs nothing: what the disk flush costs), and with the SQLite commit
 * path bypassed by a server flag (pending until the server has one). Variants take turns going first.
 */
async function durability(roundNo: number): Promise<Measurement[]> {
  const why = available.get('ours');
  if (!opts.servers.includes('ours') || why !== null) {
    return record('durability', 'ours', '', { status: 'skipped', phases: [], notes: [why ?? 'ours not in --servers'] });
  }
  const bypass = opts.oursNoDurableArgs.length > 0 ? opts.oursNoDurableArgs : detectNoDurableFlag();
  type Variant = { label: string; args: string[] | null; onTmpfs: boolean };
  const variants: Variant[] = [
    { label: 'ours', args: [], onTmpfs: false },
    { label: LABEL_TMPFS, args: [], onTmpfs: true },
    { label: LABEL_BYPASS, args: bypass, onTmpfs: false },
  ];
  const out: Measurement[] = [];
  for (let i = 0; i < variants.length; i++) {
    const v = variants[(i + roundNo) % variants.length]!;
    if (v.args === null) {
      if (roundNo === 0) {
        out.push(
          ...record('durability', v.label, '', {
            status: 'pending',
            phases: [],
            notes: ['pending: our server has no flag to bypass the SQLite commit path (wanted: --durability off; or pass --ours-nodurable-args)'],
          }),
        );
      }
      continue;
    }
    if (v.onTmpfs && shmRoot() === null) {
      if (roundNo === 0) out.push(...record('durability', v.label, '', { status: 'skipped', phases: [], notes: ['no tmpfs at /dev/shm'] }));
      continue;
    }
    out.push(...(await runOn('fanout', 'ours', v.label, v.args, 'durability', v.onTmpfs)));
  }
  return out;
}

/** A scratch folder on tmpfs (/dev/shm), where fsync is free; null when there is none. */
function shmRoot(): string | null {
  if (shm !== undefined) return shm;
  try {
    shm = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/chatroom-bench-') : null;
  } catch {
    shm = null;
  }
  return shm;
}

/** Looks for a storage-bypass flag in our server's --help. */
function detectNoDurableFlag(): string[] | null {
  const r = spawnSync(process.execPath, [OURS_ENTRY, '--help'], { encoding: 'utf8', timeout: 5000 });
  const help = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const candidates: Array<[RegExp, string[]]> = [
    [/--durability\b/, ['--durability', 'off']],
    [/--storage\b[^\n]*\bmemory\b/, ['--storage', 'memory']],
    [/--sync\b/, ['--sync', 'off']],
  ];
  for (const [re, args] of candidates) if (re.test(help)) return args;
  return null;
}

function runGenerator(job: Job): Promise<ScenarioResult> {
  let argv = [process.execPath, GENERATOR];
  if (genCpu !== null) argv = ['taskset', '-c', genCpu, ...argv];
  if (hasCommand('prlimit')) argv = ['prlimit', `--nofile=${nofile}:${nofile}`, ...argv];
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  const handle = {
    kill: (): Promise<void> => {
      child.kill('SIGKILL');
      return gone;
    },
  };
  live.add(handle);
  // A scenario is bounded by its own timeouts; this is the backstop.
  const budgetMs =
    job.scenario === 'history' || job.scenario === 'search'
      ? (opts.seedSeconds + 600) * 1000
      : (opts.duration * 4 + 120) * 1000 + 20 * opts.timeoutMs + (job.scenario === 'bigroom' ? (opts.bigroomSeconds + 600) * 1000 : 0);
  return new Promise((res) => {
    let result: ScenarioResult | null = null;
    const timer = setTimeout(() => child.kill('SIGKILL'), budgetMs);
    child.on('message', (m) => (result = m as ScenarioResult));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      live.delete(handle);
      res(result ?? { status: 'failed', phases: [], notes: [`load generator exited (${signal ?? code}) without a result`] });
    });
    child.send(job);
  });
}

function record(scenario: string, label: string, version: string, r: ScenarioResult): Measurement[] {
  const ms = measurementsOf(
    {
      run: runId,
      round,
      time: new Date().toISOString(),
      scenario,
      server: label,
      version,
      status: r.status,
      notes: r.notes,
      genCpuMs: r.genCpuMs ?? null,
      wallMs: r.wallMs ?? null,
      pinned,
      load: machineLoad(),
      params: sizes(),
    },
    r.phases,
  );
  appendJsonl(jsonlFile, ms);
  const load = ms[0]!.load!;
  const busy = load.loadavg1 > nproc || load.cpuPressurePct > 20 ? ' — machine busy, figures skewed' : '';
  const loadText = `load ${load.loadavg1}, CPU pressure ${load.cpuPressurePct}%${busy}`;
  if (r.status !== 'ok') console.log(`   ${label}: ${r.status}${r.notes.length ? ` — ${r.notes.join('; ')}` : ''}`);
  else if (r.genCpuMs !== undefined && r.wallMs) {
    console.log(`   ${label}: done in ${(r.wallMs / 1000).toFixed(1)} s; load generator CPU ${(r.genCpuMs / 1000).toFixed(1)} s; ${loadText}`);
  }
  return ms;
}

function printProfile(dir: string): void {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
  if (files.length === 0) {
    console.log(`   (no CPU profile written to ${dir}: the server must exit normally on SIGTERM)`);
    return;
  }
  // One profile per thread: the main thread's, and the SQLite writer thread's (workers inherit --cpu-prof).
  for (const name of files) {
    const file = join(dir, name);
    console.log(`   hottest functions of our server (self time), profile ${file} (open in Chrome DevTools):`);
    for (const h of topSelfTime(file, 12)) console.log(`     ${String(h.selfPct).padStart(5)}%  ${h.name}  ${h.where}`);
  }
}

function prepareOurs(): string | null {
  if (opts.build) {
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
    if (r.status !== 0) {
      const msg = `${r.stderr ?? ''}`.trim().split('\n').slice(0, 3).join(' ');
      if (!existsSync(OURS_ENTRY)) return `build failed and no dist/server.mjs: ${msg}`;
      console.log(`note: npm run build failed (${msg}); using the existing dist/server.mjs`);
    }
  }
  return existsSync(OURS_ENTRY) ? null : 'dist/server.mjs is missing (npm run build)';
}

function copyLog(server: RunningServer, name: string): string | null {
  const sources = [server.logFile, join(server.logFile, '..', 'inspircd.log')];
  let kept: string | null = null;
  for (const [i, src] of sources.entries()) {
    if (!existsSync(src)) continue;
    const dest = join(keepDir, `${name}${i === 0 ? '' : '-ircd'}.log`);
    copyFileSync(src, dest);
    kept ??= dest;
  }
  return kept;
}

function sizes(): Record<string, number> {
  const { clients, senders, rate, duration, messages, window, size, connects, concurrency, idle, pings, pairs, historySize, pages, bigroomClients, bigroomSeconds } = opts;
  return { clients, senders, rate, duration, messages, window, size, connects, concurrency, idle, pings, pairs, historySize, pages, bigroomClients, bigroomSeconds };
}

function scenarioTitle(s: ScenarioName): string {
  switch (s) {
    case 'fanout':
      return `fanout: ${opts.clients} clients in one room, ${Math.min(opts.senders, opts.clients - 1)} senders, fixed ${opts.rate} msg/s for ${opts.rateSeconds} s, then max (${opts.window} in flight) for ${opts.duration} s`;
    case 'bigroom':
      return `bigroom: ${opts.bigroomClients} members in one room, one message per second for ${opts.bigroomSeconds} s (4 senders taking turns)`;
    case 'connect':
      return `connect: ${opts.connects} registrations, ${opts.concurrency} in flight`;
    case 'idle':
      return `idle: ${opts.idle} registered idle connections, ${opts.pings} PINGs`;
    case 'dm':
      return `dm: ${opts.pairs} pairs, one round trip in flight per pair, ${opts.duration}s`;
    case 'history':
      return `history: CHATHISTORY LATEST/BEFORE 100 over ${opts.historySize} stored messages (ours only)`;
    case 'search':
      return `search: SEARCH one word, limit 50, over ${opts.historySize} stored messages in 10 rooms, the asker in one (ours only)`;
    case 'memory':
      return `memory: ${opts.memorySizes.map((n) => n.toLocaleString('en-US')).join(' / ')} idle connections, RSS per connection, ${opts.pings} PINGs; ours started ${opts.oursLaunches.length} ways`;
    case 'durability':
      return 'durability cost: fanout on ours — data on disk vs on tmpfs (fsync free) vs the SQLite commit path bypassed';
  }
}

function removeScratch(): void {
  rmSync(tmpRoot, { recursive: true, force: true });
  if (shm) rmSync(shm, { recursive: true, force: true });
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
