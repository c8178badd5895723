// A stock IRC client from Debian (irssi) against our server: it connects (CAP LS 302 and all),
// auto-joins a room, and exchanges room and direct messages with a scripted test client.
// irssi runs headless inside a private tmux server: we type with send-keys and read the screen
// with capture-pane. Needs the Debian packages irssi and tmux (test/setup/apt-packages.txt).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IrcTestClient } from '../helpers/ircClient.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tmp.ts';
import { makeTestCert, type TestCert } from '../helpers/tls.ts';
import { HeadlessIrssi, irssiMissing } from './support/headlessIrssi.ts';

const skip = irssiMissing();

const ROOM = '#interop';
const NICK = 'irssiuser';
const PASSWORD = 'irssi-secret-pw';

/**
 * One network, auto-connect to our server, auto-join the room. Plain defaults, except irssi's own
 * outgoing throttle (2.2 s per command after a burst), which would only slow the test down.
 */
function writeConfig(home: string, port: number, opts: { tls?: { cafile: string }; sasl?: { account: string; password: string } } = {}): void {
  const { tls, sasl } = opts;
  // With TLS, connect by name: irssi checks the certificate's DNS names, not its IP addresses.
  // (irssi prefers IPv4 for "localhost", where the server listens.)
  const tlsLine = tls ? `use_tls = "yes"; tls_verify = "yes"; tls_cafile = "${tls.cafile}";` : 'use_tls = "no";';
  const saslLine = sasl ? `sasl_mechanism = "PLAIN"; sasl_username = "${sasl.account}"; sasl_password = "${sasl.password}";` : '';
  writeFileSync(
    join(home, 'config'),
    `servers = ( { address = "${tls ? 'localhost' : '127.0.0.1'}"; chatnet = "test"; port = "${port}"; autoconnect = "yes"; ${tlsLine} } );
chatnets = { test = { type = "IRC"; ${saslLine} }; };
channels = ( { name = "${ROOM}"; chatnet = "test"; autojoin = "yes"; } );
settings = {
  core = { real_name = "irssi interop"; user_name = "irssi"; nick = "${NICK}"; };
  "irc/core" = { cmd_queue_speed = "10msec"; cmds_max_at_once = "50"; };
};
`,
  );
}

/** The account irssi logs in to, made the way our extension makes one (REGISTER), then left. */
async function registerAccount(port: number): Promise<void> {
  const maker = await IrcTestClient.connect(port);
  await maker.register(NICK, { caps: ['draft/account-registration'] });
  maker.send(`REGISTER * * ${PASSWORD}`);
  await maker.waitFor((m) => m.command === 'REGISTER' && m.params[0] === 'SUCCESS');
  maker.send('QUIT');
  await maker.closed;
}

describe('interop: irssi', { skip }, () => {
  let srv: RunningServer;
  let tmp: ReturnType<typeof tempDir>;
  let cert: TestCert;
  let irssi: HeadlessIrssi;
  let tester: IrcTestClient;

  before(async () => {
    // A server with a TLS port refuses passwords in clear from other machines, not over loopback.
    cert = await makeTestCert();
    srv = await startServer({ args: ['--tls-port', '0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile] });
    tmp = tempDir('chatroom-irssi-');
    const home = join(tmp.path, 'irssi');
    mkdirSync(home);
    await registerAccount(srv.port);
    // Over loopback a password may travel in clear: irssi logs in with SASL PLAIN (NICK <account>
    // comes before AUTHENTICATE: the account's nick is its own once the login is in).
    writeConfig(home, srv.port, { sasl: { account: NICK, password: PASSWORD } });
    tester = await IrcTestClient.connect(srv.port);
    await tester.register('tester', { caps: ['extended-join'] });
    tester.send(`JOIN ${ROOM}`);
    await tester.waitFor((m) => m.command === 'JOIN' && m.source?.startsWith('tester!') === true);
    irssi = new HeadlessIrssi(tmp.path);
    irssi.start(home);
  });

  after(async () => {
    irssi?.stop();
    await tester?.close();
    await srv?.stop();
    tmp?.remove();
    cert?.remove();
  });

  it('connects, registers and auto-joins the room', async () => {
    const join = await tester.waitFor((m) => m.command === 'JOIN' && m.source?.startsWith(`${NICK}!`) === true && m.params[0] === ROOM, 30_000);
    assert.match(join.source ?? '', /^irssiuser!~?irssi@127\.0\.0\.1$/);
    assert.equal(join.params[1], NICK, 'logged in over loopback plain text (extended-join names the account)');
    irssi.type(`/window goto ${ROOM}`);
    await irssi.waitForScreen('Irssi: Join to #interop was synced');
  });

  it('shows a room message from the test client, UTF-8 included', async () => {
    tester.send(`PRIVMSG ${ROOM} :hello irssi, from the test client ✓ é`);
    const s = await irssi.waitForScreen('hello irssi, from the test client ✓ é');
    assert.match(s, /<@tester> hello irssi, from the test client ✓ é/, 'the first member is the room operator (@)');
  });

  it('sends what is typed in the room window to the room', async () => {
    irssi.type('typed in irssi');
    const m = await tester.waitFor((x) => x.command === 'PRIVMSG' && x.source?.startsWith(`${NICK}!`) === true);
    assert.deepEqual(m.params, [ROOM, 'typed in irssi']);
    irssi.type(`/me waves`);
    const action = await tester.waitFor((x) => x.command === 'PRIVMSG' && x.source?.startsWith(`${NICK}!`) === true);
    assert.deepEqual(action.params, [ROOM, '\x01ACTION waves\x01']);
  });

  it('exchanges direct messages both ways', async () => {
    irssi.type('/msg tester a private word');
    const dm = await tester.waitFor((x) => x.command === 'PRIVMSG' && x.source?.startsWith(`${NICK}!`) === true);
    assert.deepEqual(dm.params, ['tester', 'a private word']);
    tester.send(`PRIVMSG ${NICK} :private reply`);
    irssi.type('/window goto tester');
    await irssi.waitForScreen('<tester> private reply');
  });

  it('sees the topic it sets and quits cleanly', async () => {
    irssi.type(`/window goto ${ROOM}`);
    tester.send(`MODE ${ROOM} +o ${NICK}`);
    await irssi.waitForScreen(`mode/${ROOM} [+o ${NICK}] by tester`);
    irssi.type('/topic interop works');
    const topic = await tester.waitFor((x) => x.command === 'TOPIC' && x.source?.startsWith(`${NICK}!`) === true);
    assert.deepEqual(topic.params, [ROOM, 'interop works']);
    irssi.type('/quit see you');
    const quit = await tester.waitFor((x) => x.command === 'QUIT' && x.source?.startsWith(`${NICK}!`) === true);
    assert.match(quit.params[0] ?? '', /see you/);
  });
});

describe('interop: irssi over TLS', { skip }, () => {
  let srv: RunningServer;
  let tmp: ReturnType<typeof tempDir>;
  let cert: TestCert;
  let irssi: HeadlessIrssi;
  let tester: IrcTestClient;

  before(async () => {
    cert = await makeTestCert();
    srv = await startServer({ args: ['--tls-port', '0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile] });
    assert.ok(srv.tlsPort, 'the server printed its TLS port');
    tmp = tempDir('chatroom-irssi-tls-');
    const home = join(tmp.path, 'irssi');
    mkdirSync(home);
    await registerAccount(srv.port);
    // irssi verifies our certificate against the test CA: a real TLS handshake, no shortcuts.
    writeConfig(home, srv.tlsPort, { tls: { cafile: cert.certFile }, sasl: { account: NICK, password: PASSWORD } });
    tester = await IrcTestClient.connect(srv.port);
    await tester.register('tester', { caps: ['extended-join'] });
    tester.send(`JOIN ${ROOM}`);
    await tester.waitFor((m) => m.command === 'JOIN' && m.source?.startsWith('tester!') === true);
    irssi = new HeadlessIrssi(tmp.path);
    irssi.start(home);
  });

  after(async () => {
    irssi?.stop();
    await tester?.close();
    await srv?.stop();
    tmp?.remove();
    cert?.remove();
  });

  it('connects with a verified certificate, logs in with SASL PLAIN, and talks to a plain-text client', async () => {
    const join = await tester
      .waitFor((m) => m.command === 'JOIN' && m.source?.startsWith(`${NICK}!`) === true, 30_000)
      .catch((e: Error) => assert.fail(`${e.message}\nirssi screen:\n${irssi.screen()}`));
    assert.equal(join.params[1], NICK, 'extended-join names the account irssi logged in to');
    irssi.type(`/msg ${ROOM} hello over TLS`);
    const m = await tester.waitFor((x) => x.command === 'PRIVMSG' && x.source?.startsWith(`${NICK}!`) === true);
    assert.deepEqual(m.params, [ROOM, 'hello over TLS']);
    tester.send(`PRIVMSG ${ROOM} :plain to tls`);
    irssi.type(`/window goto ${ROOM}`);
    await irssi.waitForScreen('<@tester> plain to tls');
  });
});
