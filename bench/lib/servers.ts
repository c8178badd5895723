// Starts and stops the servers under test on loopback: ours (dist/server.mjs) and the stock
// peers ngircd and InspIRCd, each from a config generated here (never the packaged one), in the
// foreground, with the same generous limits for all: no flood control / fake lag, no per-IP
// connection caps, big send and receive queues, no DNS or ident lookups, pings far apart.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { SERVER_NODE_FLAGS } from '../../src/extension/host/serverProcess.ts';
import type { ServerName } from './types.ts';

export const HOST = '127.0.0.1';

export type StartContext = {
  /** Scratch directory for this server instance (data, logs, pid files). */
  workDir: string;
  /** CPU list for taskset, or null for no pinning. */
  cpu: string | null;
  /** Open-file limit to run the server with. */
  nofile: number;
  /** Extra flags for our server (durability run). */
  extraArgs: string[];
  /** Node/V8 flags for our server, before the script (oursNodeFlags() unless --ours-node-args). */
  nodeArgs: string[];
  /** Write a V8 CPU profile of our server into this folder (node --cpu-prof), or null. */
  cpuProfDir?: string | null;
  /** Another build of our server to run instead of dist/server.mjs (--ours-baseline), with its own first line's flags. */
  oursEntry?: string;
  /** How our server is started (default `node`); see OURS_LAUNCHES. */
  launch?: OursLaunch;
};

/**
 * The ways our server is started (issue 15: its memory must not depend on it): `node
 * dist/server.mjs` (also what a systemd unit's ExecStart runs); `./dist/server.mjs` (its first line,
 * the node on the PATH); `npm start` / `npm run server` (scripts/server.mjs, the server its child);
 * Chat: Host (the extension's way: process.execPath with ELECTRON_RUN_AS_NODE=1 and the flags given).
 */
export const OURS_LAUNCHES = ['node', 'file', 'npm', 'host'] as const;
export type OursLaunch = (typeof OURS_LAUNCHES)[number];
export const LAUNCH_LABELS: Record<OursLaunch, string> = {
  node: 'node dist/server.mjs',
  file: './dist/server.mjs',
  npm: 'npm run server',
  host: 'Chat: Host',
};

export type RunningServer = {
  name: ServerName;
  pid: number;
  host: string;
  port: number;
  version: string;
  /** The generated config file (peers), for printing and keeping with the results. */
  config: { file: string; text: string } | null;
  logFile: string;
  stop(): Promise<void>;
};

export const OURS_ENTRY = resolve('dist/server.mjs');

/**
 * The Node flags on a bundle's first line: builds from before the server added its runtime flags
 * itself carried them there (`#!/usr/bin/env -S node --flag …`); none for `#!/usr/bin/env node`.
 * For --ours-baseline, so an older build runs as its launchers ran it.
 */
export function bundleNodeFlags(entry: string): string[] {
  const first = readFileSync(entry, 'utf8').split('\n', 1)[0] ?? '';
  const m = /^#!\S*env -S node (.*)$/.exec(first);
  return m ? m[1]!.split(' ').filter(Boolean) : [];
}

/**
 * Node/V8 flags the bench gives our server: none, as `node dist/server.mjs` (the server adds the
 * runtime flags it needs itself, src/server/runtime.ts); --ours-node-args gives others.
 */
export function oursNodeFlags(entry = OURS_ENTRY): string[] {
  return entry === OURS_ENTRY ? [] : bundleNodeFlags(entry);
}

export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const isRoot = (): boolean => process.getuid?.() === 0;

/**
 * Makes sure a peer's binary is present, installing the Debian package when missing and we
 * may (root, --install). Returns null when usable, else why it is skipped.
 */
export function ensurePeer(name: 'ngircd' | 'inspircd', install: boolean): string | null {
  const bin = name === 'ngircd' ? 'ngircd' : 'inspircd';
  if (hasCommand(bin) || existsSync(`/usr/sbin/${bin}`)) return null;
  if (!install) return `${name} is not installed (and --no-install was given)`;
  if (!isRoot() || !hasCommand('apt-get')) return `${name} is not installed and cannot be installed here (needs root and apt-get: apt-get install -y ${name})`;
  console.log(`installing ${name}: apt-get install -y ${name}`);
  const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', name], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    encoding: 'utf8',
  });
  if (r.status !== 0) return `apt-get install ${name} failed: ${(r.stderr ?? '').trim().split('\n').pop()}`;
  return hasCommand(bin) || existsSync(`/usr/sbin/${bin}`) ? null : `${name} still missing after apt-get install`;
}

export function peerVersion(name: 'ngircd' | 'inspircd'): string {
  const r = spawnSync(name, ['--version'], { encoding: 'utf8' });
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n')[0] ?? '';
  return text.trim();
}

/** A free loopback TCP port (bound and released; the server binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = net.createServer();
    srv.once('error', rej);
    srv.listen(0, HOST, () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => res(port));
    });
  });
}

/** Wraps a command with the open-file limit and CPU pinning. */
function wrap(ctx: StartContext, cmd: string, args: string[]): [string, string[]] {
  let argv = [cmd, ...args];
  if (ctx.cpu !== null) argv = ['taskset', '-c', ctx.cpu, ...argv];
  if (hasCommand('prlimit')) argv = ['prlimit', `--nofile=${ctx.nofile}:${ctx.nofile}`, ...argv];
  return [argv[0]!, argv.slice(1)];
}

export function ngircdConfig(port: number, workDir: string): string {
  const includeDir = join(workDir, 'conf.d');
  mkdirSync(includeDir, { recursive: true });
  return `# Generated by bench/lib/servers.ts for npm run bench: loopback only, limits opened up.
[Global]
	Name = bench.ngircd
	Info = Chat Room bench peer
	AdminInfo1 = bench
	AdminInfo2 = loopback
	AdminEMail = bench@localhost
	Listen = ${HOST}
	Ports = ${port}
	MotdPhrase = bench
[Limits]
	# No connection caps (0 = unlimited); per-IP cap off: every bench client is 127.0.0.1.
	MaxConnections = 0
	MaxConnectionsIP = 0
	MaxJoins = 0
	MaxNickLength = 30
	MaxListSize = 100
	# 0 disables penalty (flood) delays: the closest ngIRCd has to "flood control off".
	# (It still handles at most 3 commands per client per event-loop pass, compiled in.)
	MaxPenaltyTime = 0
	PingTimeout = 600
	PongTimeout = 600
[Options]
	DNS = no
	Ident = no
	PAM = no
	IncludeDir = ${includeDir}
`;
}

export function inspircdConfig(port: number, workDir: string): string {
  return `# Generated by bench/lib/servers.ts for npm run bench: loopback only, limits opened up.
<server name="bench.inspircd" description="Chat Room bench peer" network="bench">
<admin name="bench" nick="bench" email="bench@localhost">
<bind address="${HOST}" port="${port}" type="clients">
# Flood control off: fakelag off, command rate and penalty threshold out of reach;
# per-IP caps out of reach; 1 MiB send/receive queues; no DNS/ident; pings far apart.
<connect name="bench" allow="*" timeout="60" pingfreq="600" maxchans="100"
         hardsendq="1M" softsendq="1M" recvq="1M"
         threshold="100000000" commandrate="100000000" fakelag="off"
         localmax="1000000" globalmax="1000000" limit="1000000" maxconnwarn="no"
         resolvehostnames="no" useident="no">
<performance netbuffersize="10240" somaxconn="4096" softlimit="1000000" clonesonconnect="no" quietbursts="yes">
<channels users="100" opers="100">
<pid file="${join(workDir, 'inspircd.pid')}">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="${join(workDir, 'inspircd.log')}">
<options prefixquit="Quit: ">
`;
}

export async function startServer(name: ServerName, ctx: StartContext): Promise<RunningServer> {
  mkdirSync(ctx.workDir, { recursive: true });
  const port = await freePort();
  const logFile = join(ctx.workDir, `${name}.out`);
  let cmd: string;
  let args: string[];
  let config: RunningServer['config'] = null;
  let version: string;
  const launch = ctx.launch ?? 'node';
  // `./dist/server.mjs` finds `node` on the PATH: this one.
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };
  if (name === 'ours') {
    const entry = ctx.oursEntry ?? OURS_ENTRY;
    if (!existsSync(entry)) throw new Error(`${entry} is missing (npm run build)`);
    const dataDir = join(ctx.workDir, 'data');
    mkdirSync(dataDir, { recursive: true });
    cmd = process.execPath;
    const prof = ctx.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', ctx.cpuProfDir] : [];
    const serverArgs = ['--host', HOST, '--port', String(port), '--data-dir', dataDir, '--flood-control', 'off', '--server-name', 'bench.ours',
      // The same opened-up limits the peers get: no per-IP cap, 1 MiB sendq, pings far apart.
      '--max-clients-per-ip', '1000000', '--max-clients', '1000000', '--sendq', String(1024 * 1024), '--ping-interval', '600', '--ping-timeout', '600', ...ctx.extraArgs];
    args = [...(ctx.oursEntry ? bundleNodeFlags(entry) : ctx.nodeArgs), ...prof, entry, ...serverArgs];
    if (launch === 'file') [cmd, args] = [entry, serverArgs];
    else if (launch === 'npm') args = [resolve('scripts/server.mjs'), ...serverArgs];
    else if (launch === 'host') {
      args = [...SERVER_NODE_FLAGS, entry, ...serverArgs, '--exit-with-parent'];
      env.ELECTRON_RUN_AS_NODE = '1';
    }
    version = ctx.oursEntry
      ? `chatroom at ${entry} (node ${process.version})`
      : `chatroom ${packageVersion()} (node ${process.version}${launch === 'node' ? '' : `, ${LAUNCH_LABELS[launch]}`})`;
  } else if (name === 'ngircd') {
    const file = join(ctx.workDir, 'ngircd.conf');
    const text = ngircdConfig(port, ctx.workDir);
    writeFileSync(file, text);
    config = { file, text };
    cmd = 'ngircd';
    args = ['--nodaemon', '--config', file];
    version = peerVersion('ngircd');
  } else {
    const file = join(ctx.workDir, 'inspircd.conf');
    const text = inspircdConfig(port, ctx.workDir);
    writeFileSync(file, text);
    config = { file, text };
    cmd = 'inspircd';
    args = ['--nofork', '--nopid', `--config=${file}`, ...(isRoot() ? ['--runasroot'] : [])];
    version = peerVersion('inspircd');
  }
  const [wcmd, wargs] = wrap(ctx, cmd, args);
  // Chat: Host gives the server a stdin pipe it never writes to (--exit-with-parent).
  const stdin = name === 'ours' && launch === 'host' ? 'pipe' : 'ignore';
  const child = spawn(wcmd, wargs, { stdio: [stdin, 'pipe', 'pipe'], cwd: ctx.workDir, detached: false, env });
  const log = createWriteStream(logFile);
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  try {
    if (name === 'ours') await waitForListeningLine(child, 20_000);
    else await waitForPort(child, port, 20_000);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    await new Promise<void>((r) => log.end(() => r()));
    // The work folder is removed after the run: quote the end of the server's output here.
    const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' | ');
    throw new Error(`${name} did not start: ${(err as Error).message}${tail ? ` — its output: ${tail}` : ''}`);
  }
  // npm run server: the server is the child of scripts/server.mjs.
  const pid = name === 'ours' && launch === 'npm' ? (childPids(child.pid!)[0] ?? child.pid!) : child.pid!;
  return {
    name,
    pid,
    host: HOST,
    port,
    version,
    config,
    logFile,
    async stop(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The children of a process (Linux /proc), oldest first. */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync('package.json', 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    return '?';
  }
}

/** Our server's readiness signal: one line "listening on HOST:PORT" on stdout. */
function waitForListeningLine(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((res, rej) => {
    let buf = '';
    const timer = setTimeout(() => done(new Error(`no "listening on" line within ${timeoutMs} ms`)), timeoutMs);
    const onData = (d: Buffer): void => {
      buf += d.toString('utf8');
      if (/listening on \S+:\d+/.test(buf)) done(null);
    };
    const onExit = (code: number | null): void => done(new Error(`exited with ${code} before listening`));
    const done = (err: Error | null): void => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      if (err) rej(err);
      else res();
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Peers print nothing reliable when ready: poll until the port accepts a connection. */
async function waitForPort(child: ChildProcess, port: number, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((res) => {
      const s = net.connect({ host: HOST, port });
      s.once('connect', () => {
        s.destroy();
        res(true);
      });
      s.once('error', () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} not accepting within ${timeoutMs} ms`);
}
