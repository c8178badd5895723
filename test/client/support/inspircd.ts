// Runs Debian's InspIRCd 3 (a stock server with a good part of IRCv3: echo-message,
// labeled-response, away-notify, MONITOR, WHOX, message-tags) in the foreground on a free loopback
// port, from a config generated in a temp folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ngircd.ts';

const BIN = ['/usr/sbin/inspircd', '/usr/bin/inspircd'].find((p) => existsSync(p));

export function inspircdPath(): string | undefined {
  return BIN;
}

export interface Inspircd {
  port: number;
  output(): string;
  stop(): Promise<void>;
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

export async function startInspircd(): Promise<Inspircd> {
  if (!BIN) throw new Error('inspircd is not installed (test/setup/apt-packages.txt)');
  const dir = mkdtempSync(join(tmpdir(), 'chatroom-inspircd-'));
  const port = await freePort();
  writeFileSync(join(dir, 'motd.txt'), 'Chat Room interop test\n');
  const conf = join(dir, 'inspircd.conf');
  writeFileSync(
    conf,
    [
      '<config format="xml">',
      '<server name="irc.insp.test" description="Chat Room interop" network="InspTest">',
      '<admin name="tests" nick="tests" email="tests@localhost">',
      `<bind address="127.0.0.1" port="${port}" type="clients">`,
      // Tests connect several clients from one address and send quickly: no fakelag, high limits.
      '<connect name="main" allow="*" maxchans="50" timeout="20" pingfreq="120" hardsendq="1M" softsendq="65536" recvq="65536" threshold="1000" commandrate="100000" fakelag="no" localmax="1000" globalmax="1000" useident="no" limit="1000" resolvehostnames="no">',
      `<files motd="${join(dir, 'motd.txt')}">`,
      '<dns timeout="1">',
      '<options defaultmodes="nt">',
      '<security runasuser="" runasgroup="">',
      '<limits maxnick="30" maxchan="64" maxaway="200" maxtopic="307">',
      `<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="${join(dir, 'ircd.log')}">`,
      ...MODULES.map((m) => `<module name="${m}">`),
      '<monitor maxentries="30">',
      '',
    ].join('\n'),
  );
  let out = '';
  const proc = spawn(BIN, ['--config', conf, '--nofork', '--nopid', '--runasroot'], { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  const exited = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      live.delete(proc);
      resolve();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`inspircd did not start; output:\n${out}`)), 20_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('InspIRCd is now running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`inspircd exited; output:\n${out}`));
    });
  });
  return {
    port,
    output: () => out,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
