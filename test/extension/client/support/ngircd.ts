// Runs Debian's ngircd (a stock RFC 2812 server with almost no IRCv3) in the foreground on a free
// loopback port, from a config generated in a temp folder, and waits for its "Now listening" line.
//
//   const irc = await startNgircd();
//   ... new IrcClient({ host: '127.0.0.1', port: irc.port, nick: 'alice' }) ...
//   await irc.restart();   // stop, then start again on the same port (reconnect tests)
//   await irc.stop();      // SIGTERM, wait for exit, remove the temp folder
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineListener } from '../../../helpers/lines.ts';
import { freePort } from '../../../helpers/ports.ts';

const CANDIDATES = ['/usr/sbin/ngircd', '/usr/bin/ngircd', '/usr/local/sbin/ngircd'];

/** Path of the ngircd binary, or undefined when it is not installed. */
export function ngircdPath(): string | undefined {
  const found = CANDIDATES.find((p) => existsSync(p));
  if (found) return found;
  const r = spawnSync('sh', ['-c', 'command -v ngircd'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : undefined;
}

export interface Ngircd {
  port: number;
  /** What ngircd printed so far. */
  output(): string;
  stop(): Promise<void>;
  /** Stops the server; resolves once the port is closed. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after kill()). */
  start(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

/** Also where the suites starting InspIRCd or ngIRCd have always taken it from. */
export { freePort };

export async function startNgircd(options: { password?: string } = {}): Promise<Ngircd> {
  const bin = ngircdPath();
  if (!bin) throw new Error('ngircd is not installed (apt-get install -y ngircd; listed in test/setup/apt-packages.txt)');
  const dir = mkdtempSync(join(tmpdir(), 'chatroom-ngircd-'));
  // ngircd drops root privileges to "nobody": its pid folder and config must stay reachable.
  chmodSync(dir, 0o755);
  const piddir = join(dir, 'pid');
  mkdirSync(piddir);
  chmodSync(piddir, 0o777);
  const port = await freePort();
  const conf = join(dir, 'ngircd.conf');
  writeFileSync(
    conf,
    [
      '[Global]',
      'Name = irc.test.local',
      'Info = Chat Room interop test server',
      'AdminInfo1 = Chat Room tests',
      'AdminInfo2 = loopback only',
      'AdminEMail = tests@localhost',
      'Listen = 127.0.0.1',
      `Ports = ${port}`,
      `PidFile = ${join(piddir, 'ngircd.pid')}`,
      'MotdPhrase = "Chat Room interop test"',
      ...(options.password ? [`Password = ${options.password}`] : []),
      '[Limits]',
      'PingTimeout = 120',
      'PongTimeout = 20',
      'MaxNickLength = 30',
      'MaxConnectionsIP = 0',
      '[Options]',
      'PAM = no',
      'Ident = no',
      'DNS = no',
      '',
    ].join('\n'),
  );
  chmodSync(conf, 0o644);

  let proc: ChildProcess | undefined;
  let out = '';

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const p = spawn(bin, ['-n', '-f', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
      proc = p;
      live.add(p);
      const timer = setTimeout(() => reject(new Error(`ngircd did not start listening; output:\n${out}`)), 20_000);
      const listening = (line: string) => {
        if (!line.includes(`Now listening on [127.0.0.1]:${port}`)) return;
        clearTimeout(timer);
        resolve();
      };
      // One line reader per stream: a line must not be joined with half of the other stream's.
      for (const stream of [p.stdout!, p.stderr!]) {
        const onLine = lineListener(listening);
        stream.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          onLine(chunk);
        });
      }
      p.once('exit', (code, signal) => {
        live.delete(p);
        clearTimeout(timer);
        reject(new Error(`ngircd exited (${code ?? signal}); output:\n${out}`));
      });
    });

  const kill = () =>
    new Promise<void>((resolve) => {
      const p = proc;
      if (!p || p.exitCode !== null || p.signalCode !== null) return resolve();
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });

  await start();
  return {
    port,
    output: () => out,
    kill,
    start,
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
