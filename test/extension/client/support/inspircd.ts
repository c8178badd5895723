// Runs Debian's InspIRCd 3 (a stock server with a good part of IRCv3: echo-message,
// labeled-response, away-notify, MONITOR, WHOX, message-tags) in the foreground on a free loopback
// port, from a config generated in a temp folder.
//
//   const irc = await startInspircd();                  // one server, as inspircd-client.test.ts uses
//   const hub = await startInspircd({ name: 'hub.net.test', sid: '1HB', config: (dir) => [...] });
//   await hub.kill(); await hub.start();                // stop it, start it again on the same ports
//   await hub.stop();                                   // SIGTERM, wait for exit, remove the folder
//
// test/interop/support/network.ts builds a linked network (spanningtree + services) on this.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineListener } from '../../../helpers/lines.ts';
import { freePort } from './ngircd.ts';

const BIN = ['/usr/sbin/inspircd', '/usr/bin/inspircd'].find((p) => existsSync(p));

export function inspircdPath(): string | undefined {
  return BIN;
}

export interface Inspircd {
  /** The client port. */
  port: number;
  /** Server name (`<server name>`). */
  name: string;
  /** The temp folder holding the config and logs. */
  dir: string;
  /** What the process printed so far, over all its starts. */
  output(): string;
  /** SIGTERM and wait for the exit; the folder stays (start() again). */
  kill(): Promise<void>;
  /** Starts it again with the same config and ports (after kill()). */
  start(): Promise<void>;
  /** kill() and remove the folder. */
  stop(): Promise<void>;
}

export interface InspircdOptions {
  /** Server name; default irc.insp.test. */
  name?: string;
  /** Server id (3 chars, digit first); InspIRCd derives one from the name when absent. */
  sid?: string;
  network?: string;
  /** Client port; a free one when absent. */
  port?: number;
  /** Channel modes for a new room; an 'o' gives its creator operator status (default "nt"). */
  defaultModes?: string;
  /** More modules to load. */
  modules?: string[];
  /** More config lines, given the temp folder (links, opers, module settings). */
  config?: (dir: string) => string[];
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

const MODULES = [
  'cap', 'ircv3', 'ircv3_accounttag', 'ircv3_batch', 'ircv3_capnotify', 'ircv3_chghost', 'ircv3_ctctags',
  'ircv3_echomessage', 'ircv3_invitenotify', 'ircv3_labeledresponse', 'ircv3_msgid', 'ircv3_servertime',
  'monitor', 'namesx', 'uhnames',
];

export async function startInspircd(options: InspircdOptions = {}): Promise<Inspircd> {
  if (!BIN) throw new Error('inspircd is not installed (test/setup/apt-packages.txt)');
  const bin = BIN;
  const name = options.name ?? 'irc.insp.test';
  const dir = mkdtempSync(join(tmpdir(), 'chatroom-inspircd-'));
  const port = options.port ?? (await freePort());
  writeFileSync(join(dir, 'motd.txt'), 'Chat Room interop test\n');
  const conf = join(dir, 'inspircd.conf');
  writeFileSync(
    conf,
    [
      '<config format="xml">',
      `<server name="${name}" description="Chat Room interop" network="${options.network ?? 'InspTest'}"${options.sid ? ` id="${options.sid}"` : ''}>`,
      '<admin name="tests" nick="tests" email="tests@localhost">',
      `<bind address="127.0.0.1" port="${port}" type="clients">`,
      // Tests connect several clients from one address and send quickly: no fakelag, high limits.
      '<connect name="main" allow="*" maxchans="50" timeout="20" pingfreq="120" hardsendq="1M" softsendq="65536" recvq="65536" threshold="1000" commandrate="100000" fakelag="no" localmax="1000" globalmax="1000" useident="no" limit="1000" resolvehostnames="no">',
      `<files motd="${join(dir, 'motd.txt')}">`,
      '<dns timeout="1">',
      `<options defaultmodes="${options.defaultModes ?? 'nt'}">`,
      '<security runasuser="" runasgroup="">',
      '<limits maxnick="30" maxchan="64" maxaway="200" maxtopic="307">',
      `<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="${join(dir, 'ircd.log')}">`,
      ...[...MODULES, ...(options.modules ?? [])].map((m) => `<module name="${m}">`),
      '<monitor maxentries="30">',
      ...(options.config?.(dir) ?? []),
      '',
    ].join('\n'),
  );
  let out = '';
  let proc: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const p = spawn(bin, ['--config', conf, '--nofork', '--nopid', '--runasroot'], { stdio: ['ignore', 'pipe', 'pipe'] });
      proc = p;
      live.add(p);
      exited = new Promise<void>((done) =>
        p.once('exit', (code, signal) => {
          live.delete(p);
          clearTimeout(timer);
          reject(new Error(`inspircd ${name} exited (${code ?? signal}); output:\n${out}`));
          done();
        }),
      );
      const timer = setTimeout(() => reject(new Error(`inspircd ${name} did not start; output:\n${out}`)), 20_000);
      const ready = (line: string) => {
        if (!line.includes('InspIRCd is now running')) return;
        clearTimeout(timer);
        resolve();
      };
      for (const stream of [p.stdout!, p.stderr!]) {
        const onLine = lineListener(ready);
        stream.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          onLine(chunk);
        });
      }
    });

  const kill = async () => {
    const p = proc;
    if (p && p.exitCode === null && p.signalCode === null) p.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    port,
    name,
    dir,
    output: () => out,
    kill,
    start,
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
