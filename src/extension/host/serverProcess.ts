// Runs the bundled chat server (dist/server.mjs) as a child of the extension host, with VS Code's
// own runtime: process.execPath + ELECTRON_RUN_AS_NODE=1, so users need no Node installed.
// The server's contract: it prints `listening on HOST:PORT` on stdout once it accepts connections.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { RUNTIME_FLAGS } from '../../server/runtime.ts';

export type ServerStartErrorKind = 'port-in-use' | 'tls-port-in-use' | 'exited' | 'timeout' | 'spawn';

export class ServerStartError extends Error {
  readonly kind: ServerStartErrorKind;
  constructor(kind: ServerStartErrorKind, message: string) {
    super(message);
    this.name = 'ServerStartError';
    this.kind = kind;
  }
}

export interface ServerOptions {
  /** The extension's own folder (holds dist/server.mjs). */
  readonly extensionPath: string;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** Also listen with TLS on this port (0 = any free one), with this certificate and key (PEM files). */
  readonly tls?: { readonly port: number; readonly certFile: string; readonly keyFile: string };
  /** Receives the server's stdout/stderr, line by line. */
  readonly log: (line: string) => void;
  readonly startTimeoutMs?: number;
  /** Runtime flags before the script; SERVER_NODE_FLAGS unless a test says otherwise. */
  readonly nodeFlags?: readonly string[];
}

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  /** The TLS port, when started with `tls`. */
  readonly tlsPort?: number;
  readonly pid: number | undefined;
  /** Resolves when the process has exited (for any reason), with its exit code or signal. */
  readonly exited: Promise<string>;
  /** Stops the server: SIGTERM, then SIGKILL if it is still there after a grace period. */
  dispose(): void;
}

/**
 * Runtime flags the server runs with, before the script (Electron run as Node takes them like Node
 * does): the server's own RUNTIME_FLAGS (src/server/runtime.ts). The server would re-execute itself
 * to add them; passing them saves that second start, and works where the runtime has no execve.
 */
export const SERVER_NODE_FLAGS: readonly string[] = RUNTIME_FLAGS;

const LISTENING = /listening on (\S+):(\d+)/;
const LISTENING_TLS = /listening \(tls\) on (\S+):(\d+)/;
// How Node and V8 refuse a command-line flag they do not know (`node: bad option: --x`, V8's
// `Error: unrecognized flag --x`). Whether every Electron build takes SERVER_NODE_FLAGS is not
// verified here (code-server runs extensions on plain Node), hence the retry without them.
const REFUSED_FLAG = /bad option|unrecognized flag|is not allowed in NODE_OPTIONS/i;
const PORT_IN_USE = /EADDRINUSE|address already in use/i;
// The server stores everything with node:sqlite (unflagged since Node 22.13, i.e. VS Code 1.101+). Some
// runtimes lack it: older Node, and Electron 37.2.0 (electron/electron#47671).
const NO_SQLITE = /No such built-in module: node:sqlite|No such binding: sqlite|ERR_UNKNOWN_BUILTIN_MODULE.*sqlite/i;
const KILL_GRACE_MS = 3000;

/** True when nothing can listen on host:port right now (another program holds it). */
export function isPortInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'EADDRINUSE' || e.code === 'EACCES'));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(false)));
  });
}

/** A port that is free now on host (the OS picks it), to offer when the configured one is taken. */
export function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host, port: 0 }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function lines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, nl).replace(/\r$/, ''));
      buffered = buffered.slice(nl + 1);
    }
  });
  stream.on('end', () => {
    if (buffered) onLine(buffered);
    buffered = '';
  });
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { host, port, log } = options;
  if (await isPortInUse(host, port)) {
    throw new ServerStartError('port-in-use', `Port ${port} on ${host} is already in use.`);
  }
  if (options.tls && options.tls.port !== 0 && (await isPortInUse(host, options.tls.port))) {
    throw new ServerStartError('tls-port-in-use', `The TLS port ${options.tls.port} on ${host} (chatroom.server.tlsPort) is already in use.`);
  }
  const flags = options.nodeFlags ?? SERVER_NODE_FLAGS;
  const first = await launch(options, flags);
  if (!(first instanceof LaunchError)) return first;
  // The flags only make an idle server smaller: a runtime that refuses one still runs it without.
  if (flags.length === 0 || !first.refusedFlag) throw first;
  log(`the runtime refused ${flags.join(' ')}; starting the server without them`);
  const second = await launch(options, []);
  if (second instanceof LaunchError) throw second;
  return second;
}

/** A failed start; `refusedFlag` when the runtime rejected a command-line flag. */
class LaunchError extends ServerStartError {
  readonly refusedFlag: boolean;
  constructor(kind: ServerStartErrorKind, message: string, refusedFlag = false) {
    super(kind, message);
    this.refusedFlag = refusedFlag;
  }
}

async function launch(options: ServerOptions, flags: readonly string[]): Promise<RunningServer | LaunchError> {
  const { host, port, log } = options;
  const script = join(options.extensionPath, 'dist', 'server.mjs');
  // --exit-with-parent: the server exits when its stdin closes, so a killed extension host (no
  // deactivate, no SIGTERM from us) leaves no orphan holding the port and the database.
  const tls = options.tls;
  const args = [
    ...flags, script, '--host', host, '--port', String(port), '--data-dir', options.dataDir, '--exit-with-parent',
    ...(tls ? ['--tls-port', String(tls.port), '--tls-cert', tls.certFile, '--tls-key', tls.keyFile] : []),
  ];
  log(`starting: ${args.join(' ')}`);
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, args, {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      // stdin is a pipe we never write to: it closes when this process dies.
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
  } catch (e) {
    return new LaunchError('spawn', `Could not start the chat server: ${(e as Error).message}`);
  }

  const exited = new Promise<string>((resolve) => {
    child.once('close', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`));
    child.once('error', (e) => resolve(`error: ${e.message}`));
  });

  let sawPortInUse = false;
  let sawNoSqlite = false;
  let sawRefusedFlag = false;
  const recent: string[] = [];
  const onOutput = (line: string): void => {
    log(line);
    if (PORT_IN_USE.test(line)) sawPortInUse = true;
    if (NO_SQLITE.test(line)) sawNoSqlite = true;
    if (REFUSED_FLAG.test(line)) sawRefusedFlag = true;
    recent.push(line);
    if (recent.length > 5) recent.shift();
  };

  // Ready once the plain port and, when asked for, the TLS port are listening (two lines).
  const listening = new Promise<{ host: string; port: number; tlsPort?: number }>((resolve) => {
    let plain: { host: string; port: number } | undefined;
    let tlsPort: number | undefined;
    lines(child.stdout, (line) => {
      onOutput(line);
      const m = LISTENING.exec(line);
      if (m?.[1] && m[2]) plain = { host: m[1], port: Number(m[2]) };
      const t = LISTENING_TLS.exec(line);
      if (t?.[2]) tlsPort = Number(t[2]);
      if (plain && (!tls || tlsPort !== undefined)) resolve({ ...plain, ...(tlsPort !== undefined ? { tlsPort } : {}) });
    });
    lines(child.stderr, onOutput);
  });

  const stop = (): void => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    timer.unref();
    void exited.then(() => clearTimeout(timer));
  };

  let timer: NodeJS.Timeout | undefined;
  const timeoutMs = options.startTimeoutMs ?? 20_000;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([listening, exited, timedOut]);
  clearTimeout(timer);

  if (outcome === 'timeout') {
    stop();
    return new LaunchError('timeout', `The chat server did not start within ${timeoutMs / 1000} s.`);
  }
  if (typeof outcome === 'string') {
    if (sawPortInUse) return new LaunchError('port-in-use', `Port ${port} on ${host} is already in use.`);
    if (sawNoSqlite) {
      return new LaunchError(
        'exited',
        `This VS Code's built-in Node.js (${process.version}) has no SQLite module (node:sqlite), which the chat server needs. ` +
          'Update VS Code, or run the server with Node.js 22.13 or later and use Chat: Connect.',
      );
    }
    const detail = recent.at(-1);
    return new LaunchError('exited', `The chat server stopped (${outcome})${detail ? `: ${detail}` : ''}.`, sawRefusedFlag);
  }
  log(`chat server running (pid ${child.pid}) on ${outcome.host}:${outcome.port}${outcome.tlsPort !== undefined ? ` and ${outcome.tlsPort} (TLS)` : ''}`);
  void exited.then((how) => log(`chat server stopped (${how})`));
  return { ...outcome, pid: child.pid, exited, dispose: stop };
}
