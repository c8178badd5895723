// Starts the real built server (dist/server.mjs, run `npm run build` first) as a child process on
// an ephemeral port, with its own temp data folder, and waits for its "listening on HOST:PORT" line.
//
//   const srv = await startServer({ args: ['--oper', 'admin:secret'] });
//   const c = await IrcTestClient.connect(srv.port);
//   ...
//   await srv.stop();            // SIGTERM, waits for exit, removes the temp data folder
//
// Expected ready output: `listening on 127.0.0.1:PORT` and, with TLS flags, the TLS port on its own
// line `listening (tls) on 127.0.0.1:PORT` (or on the same line: `... (tls 127.0.0.1:PORT)`).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lineListener } from './lines.ts';
import { tempDir } from './tmp.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVER_JS = join(ROOT, 'dist/server.mjs');

export interface StartServerOptions {
  /** Extra flags. `--port 0` and `--data-dir` are added unless given here. */
  args?: string[];
  /** Data folder to use (kept at stop: for restart tests). Default: a fresh temp folder, removed at stop. */
  dataDir?: string;
  /** How long to wait for the listening line (a safety net, not a timing). Default 20 s. */
  timeoutMs?: number;
  env?: Record<string, string>;
  /** Give the server a stdin pipe (proc.stdin) instead of /dev/null: for --exit-with-parent. */
  pipeStdin?: boolean;
}

export interface RunningServer {
  host: string;
  port: number;
  tlsPort?: number;
  dataDir: string;
  proc: ChildProcess;
  /** SIGTERM, wait for exit; resolves to the exit code (or 128+signal number if killed by a signal). Removes a temp data folder. */
  stop(): Promise<number>;
  /** SIGKILL (kill -9), wait for exit. Does NOT remove the data folder (restart from it, then stop()). */
  kill9(): Promise<void>;
  /** Everything the server printed so far (stdout and stderr interleaved). */
  output(): string;
  /** Resolves with the output once it matches `re` (rejects after `timeoutMs`, with the output). */
  waitForOutput(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the process has exited (with the code as in stop()). */
  exited: Promise<number>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15, SIGABRT: 6, SIGSEGV: 11 };

/** HOST:PORT pairs on a line, in order ("[::1]:6667" and "::1:6667" both give host ::1). */
function addresses(line: string): { host: string; port: number }[] {
  const out: { host: string; port: number }[] = [];
  for (const m of line.matchAll(/\(?(\S+):(\d+)\)?/g)) out.push({ host: (m[1] as string).replace(/^\(?\[|\]$/g, ''), port: Number(m[2]) });
  return out;
}

/**
 * Reads a ready line: "listening on H:P", "listening on H:P (tls H:Q)", or a TLS-only line such as
 * "listening (tls) on H:Q" (what main.ts prints) or "listening on H:Q (tls)".
 */
function readyLine(line: string): { plain?: { host: string; port: number }; tlsPort?: number } {
  const at = line.search(/\blistening\b/i);
  if (at < 0) return {};
  const addrs = addresses(line.slice(at));
  const tls = /\btls\b/i.test(line);
  if (addrs.length >= 2) return { plain: addrs[0], tlsPort: tls ? addrs[1]!.port : undefined };
  if (addrs.length === 1) return tls ? { tlsPort: addrs[0]!.port } : { plain: addrs[0] };
  return {};
}

export async function startServer(opts: StartServerOptions = {}): Promise<RunningServer> {
  if (!existsSync(SERVER_JS)) throw new Error(`${SERVER_JS} is missing: run \`npm run build\` first`);
  const args = [...(opts.args ?? [])];
  const has = (flag: string) => args.some((a) => a === flag || a.startsWith(`${flag}=`));
  let tmp: ReturnType<typeof tempDir> | undefined;
  let dataDir = opts.dataDir;
  if (!has('--data-dir')) {
    if (!dataDir) {
      tmp = tempDir('chatroom-data-');
      dataDir = tmp.path;
    }
    args.push('--data-dir', dataDir);
  } else {
    const i = args.findIndex((a) => a === '--data-dir' || a.startsWith('--data-dir='));
    const a = args[i] as string;
    dataDir = a.includes('=') ? a.slice(a.indexOf('=') + 1) : (args[i + 1] as string);
  }
  if (!has('--port')) args.push('--port', '0');
  const wantTls = has('--tls-port');

  const proc = spawn(process.execPath, [SERVER_JS, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: [opts.pipeStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  live.add(proc);
  let out = '';
  const exited = new Promise<number>((res) => {
    proc.once('exit', (code, signal) => {
      live.delete(proc);
      res(code ?? 128 + (signal ? (SIGNAL_NUMBERS[signal] ?? 0) : 0));
    });
  });

  const ready = new Promise<{ host: string; port: number; tlsPort?: number }>((res, rej) => {
    let found: { host: string; port: number } | undefined;
    let tlsPort: number | undefined;
    const onLine = lineListener((line) => {
      const r = readyLine(line);
      if (r.tlsPort !== undefined) tlsPort = r.tlsPort;
      if (r.plain && !found) found = r.plain;
      if (found && (!wantTls || tlsPort !== undefined)) res(tlsPort === undefined ? found : { ...found, tlsPort });
    });
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      onLine(c);
    });
    proc.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
    proc.once('exit', (code, signal) => rej(new Error(`server exited (${code ?? signal}) before it was listening; output:\n${out}`)));
    proc.once('error', (e) => rej(e));
  });

  const limit = opts.timeoutMs ?? 20_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, rej) => {
    timer = setTimeout(() => rej(new Error(`server did not print "listening on HOST:PORT" within ${limit} ms; output:\n${out}`)), limit);
  });
  let addr: { host: string; port: number; tlsPort?: number };
  try {
    addr = await Promise.race([ready, timeout]);
  } catch (e) {
    proc.kill('SIGKILL');
    await exited;
    tmp?.remove();
    throw e;
  } finally {
    clearTimeout(timer);
  }

  let stopped = false;
  return {
    ...addr,
    dataDir: dataDir as string,
    proc,
    exited,
    output: () => out,
    waitForOutput(re: RegExp, timeoutMs = 10_000) {
      return new Promise<string>((res, rej) => {
        const check = () => {
          if (!re.test(out)) return;
          done();
          res(out);
        };
        const done = () => {
          clearTimeout(t);
          proc.stdout!.off('data', check);
          proc.stderr!.off('data', check);
        };
        const t = setTimeout(() => {
          done();
          rej(new Error(`the server never printed ${re} within ${timeoutMs} ms; output:\n${out}`));
        }, timeoutMs);
        // After the listeners above have appended the chunk to `out`.
        proc.stdout!.on('data', check);
        proc.stderr!.on('data', check);
        check();
      });
    },
    async stop() {
      if (!stopped && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      stopped = true;
      // Safety net: a server that ignores SIGTERM is killed after 10 s (the test then sees 137).
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(t);
      tmp?.remove();
      return code;
    },
    async kill9() {
      stopped = true;
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}
