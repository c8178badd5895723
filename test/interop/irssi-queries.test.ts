// irssi (Debian's stock client) asking our server about users and itself: /whowas, /admin, /info,
// /quote HELP. irssi runs headless in a private tmux server, as in irssi.test.ts; we type commands
// and read the screen. Needs irssi and tmux (test/setup/apt-packages.txt).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IrcTestClient } from '../helpers/ircClient.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tmp.ts';
import { HeadlessIrssi, irssiMissing } from './support/headlessIrssi.ts';

const skip = irssiMissing();

const NICK = 'irssiq';

describe('interop: irssi /whowas, /admin, /info, HELP', { skip }, () => {
  let srv: RunningServer;
  let tmp: ReturnType<typeof tempDir>;
  let irssi: HeadlessIrssi;
  let watcher: IrcTestClient;

  before(async () => {
    srv = await startServer({ args: ['--admin-contact', 'ops@example.org'] });
    tmp = tempDir('chatroom-irssi-q-');
    const home = join(tmp.path, 'irssi');
    mkdirSync(home);
    writeFileSync(
      join(home, 'config'),
      `servers = ( { address = "127.0.0.1"; chatnet = "test"; port = "${srv.port}"; autoconnect = "yes"; use_tls = "no"; } );
chatnets = { test = { type = "IRC"; }; };
settings = {
  core = { real_name = "irssi queries"; user_name = "irssi"; nick = "${NICK}"; };
  "irc/core" = { cmd_queue_speed = "10msec"; cmds_max_at_once = "50"; };
};
`,
    );
    // Someone who is here, then changes nick and leaves: WHOWAS has two nicks to tell about.
    watcher = await IrcTestClient.connect(srv.port);
    await watcher.register('qwatch');
    irssi = new HeadlessIrssi(tmp.path);
    irssi.start(home);
    watcher.send('MONITOR + irssiq');
    await watcher.waitFor((m) => m.command === '730', 30_000);
  });

  after(async () => {
    irssi?.stop();
    await watcher?.close();
    await srv?.stop();
    tmp?.remove();
  });

  it('/whowas shows the user, host, realname and server of a nick that left, and of an old nick', async () => {
    const leaver = await IrcTestClient.connect(srv.port);
    await leaver.register('leaver', { user: 'lv', realname: 'Left Person' });
    leaver.send('NICK leaver2');
    await leaver.waitFor((m) => m.command === 'NICK');
    await leaver.close();
    irssi.type('/whowas leaver');
    await irssi.waitForScreen(/leaver \[lv@127\.0\.0\.1\]\s*\n.*was\s*: Left Person\s*\n.*server\s*: chatroom\.local \[.*GMT\]/);
    irssi.type('/whowas leaver2');
    await irssi.waitForScreen(/leaver2 \[lv@127\.0\.0\.1\]/);
    irssi.type('/whowas nobody');
    await irssi.waitForScreen('nobody There was no such nickname');
  });

  it('/quote HELP lists the commands; /quote HELP privmsg explains PRIVMSG', async () => {
    irssi.type('/quote HELP');
    await irssi.waitForScreen(/Commands:[\s\S]*PRIVMSG[\s\S]*End of \/HELP/);
    irssi.type('/quote HELP privmsg');
    await irssi.waitForScreen('Syntax: PRIVMSG <target>{,<target>} :<text>');
  });

  // irssi sends commands it does not know itself in lower case ("admin", "info"): verbs are
  // case-insensitive (RFC 1459 §2.3).
  it('/admin and /info as typed (irssi sends them in lower case)', async () => {
    irssi.type('/admin');
    await irssi.waitForScreen('ops@example.org', 5000);
    irssi.type('/info');
    await irssi.waitForScreen(/Running on Node\.js v\d+/, 5000);
  });
});
