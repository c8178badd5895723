// A stock IRC client from Debian (weechat 3.8, headless) against our server: it connects over TLS
// (checking our self-signed certificate by its fingerprint), logs in with SASL PLAIN to an account
// the test client created with REGISTER, auto-joins a room, exchanges room and direct messages with
// a scripted test client, and goes away and back. Its setup uses the README's weechat lines: the
// 3.x ones on Debian 12's weechat 3.8 (what CI installs), the 4.x ones on weechat 4 or later.
// weechat runs with no UI: we type through its fifo and read its buffer logs
// (support/headlessWeechat.ts). Needs the Debian packages weechat-headless and weechat-plugins
// (test/setup/apt-packages.txt).
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { IrcTestClient } from '../helpers/ircClient.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tmp.ts';
import { makeTestCert, type TestCert } from '../helpers/tls.ts';
import { HeadlessWeechat, weechatMissing, weechatVersion } from './support/headlessWeechat.ts';

const skip = weechatMissing();
const [major, minor] = skip ? [0, 0] : weechatVersion();
// weechat 4.0 renamed its server options ssl* to tls* (and /server add -ssl to -tls).
const TLS = major >= 4 ? 'tls' : 'ssl';
// Not a README line: weechat's own outgoing throttle (2 s between messages after the first), which
// only slows the test down. weechat 4.2 replaced anti_flood_prio_high (seconds) by anti_flood (ms).
const NO_THROTTLE = major > 4 || (major === 4 && minor >= 2) ? 'anti_flood 0' : 'anti_flood_prio_high 0';

const ROOM = '#interop';
const NICK = 'weeuser';
const PASSWORD = 'weechat-interop-pw';
const SERVER_BUFFER = 'irc.server.team';
const ROOM_BUFFER = `irc.team.${ROOM}`;

const fromWeechat = (command: string) => (m: { command: string; source?: string }) => m.command === command && m.source?.startsWith(`${NICK}!`) === true;

describe('interop: weechat over TLS with SASL', { skip }, () => {
  let srv: RunningServer;
  let tmp: ReturnType<typeof tempDir>;
  let cert: TestCert;
  let weechat: HeadlessWeechat;
  let tester: IrcTestClient;

  before(async () => {
    cert = await makeTestCert();
    srv = await startServer({ args: ['--tls-port', '0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile] });
    assert.ok(srv.tlsPort, 'the server printed its TLS port');
    // The account weechat logs in to, created the README's way (REGISTER, here by a scripted client).
    const founder = await IrcTestClient.connect(srv.port);
    await founder.register(NICK, { caps: ['draft/account-registration'] });
    founder.send(`REGISTER * * ${PASSWORD}`);
    await founder.waitFor((m) => m.command === 'REGISTER' && m.params[0] === 'SUCCESS');
    await founder.close();
    tester = await IrcTestClient.connect(srv.port);
    await tester.register('tester', { caps: ['away-notify', 'extended-join'] });
    tester.send(`JOIN ${ROOM}`);
    await tester.waitFor((m) => m.command === 'JOIN' && m.source?.startsWith('tester!') === true);
    tmp = tempDir('chatroom-weechat-');
    weechat = new HeadlessWeechat(tmp.path);
    await weechat.start();
  });

  after(async () => {
    await weechat?.stop();
    await tester?.close();
    await srv?.stop();
    tmp?.remove();
    cert?.remove();
  });

  it("connects with the README's weechat lines: TLS checked by fingerprint, SASL PLAIN, auto-join", async () => {
    // What `openssl x509 -noout -fingerprint -sha256 -in cert.pem` prints, without the colons.
    const fingerprint = new X509Certificate(cert.cert).fingerprint256.replaceAll(':', '');
    for (const line of [
      `/server add team 127.0.0.1/${srv.tlsPort} -${TLS}`,
      `/set irc.server.team.${TLS}_verify on`,
      `/set irc.server.team.${TLS}_fingerprint ${fingerprint}`,
      `/set irc.server.team.sasl_username ${NICK}`,
      `/set irc.server.team.sasl_password ${PASSWORD}`,
      `/set irc.server.team.nicks ${NICK}`,
      '/set irc.server.team.username wee',
      '/set irc.server.team.realname weechat interop',
      `/set irc.server.team.autojoin ${ROOM}`,
      `/set irc.server.team.${NO_THROTTLE}`,
      '/connect team',
    ]) {
      weechat.input('core.weechat', line);
    }
    const join = await tester
      .waitFor((m) => fromWeechat('JOIN')(m) && m.params[0] === ROOM, 30_000)
      .catch((e: Error) => assert.fail(`${e.message}\nweechat's server buffer:\n${weechat.log(SERVER_BUFFER)}\ncore buffer:\n${weechat.log('core.weechat')}`));
    // extended-join: the account weechat logged in to, and the realname it set.
    assert.deepEqual(join.params, [ROOM, NICK, 'weechat interop']);
    assert.match(join.source ?? '', /^weeuser!~?wee@127\.0\.0\.1$/);
    const core = weechat.log('core.weechat');
    assert.doesNotMatch(core, /=!=/, `every README line is a valid weechat command or option:\n${core}`);
    const server = weechat.log(SERVER_BUFFER);
    assert.match(server, /gnutls: certificate fingerprint matches/);
    assert.match(server, /SASL authentication successful/);
    assert.match(server, /You are now logged in as weeuser/);
    // The server's side of it: logged in, over TLS.
    tester.send(`WHOIS ${NICK}`);
    const whois = await tester.collectUntil('318');
    assert.deepEqual(whois.find((m) => m.command === '330')?.params.slice(1, 3), [NICK, NICK], 'RPL_WHOISACCOUNT');
    assert.ok(whois.some((m) => m.command === '671'), 'RPL_WHOISSECURE: a TLS connection');
    // weechat read the names list (353/366) of its room buffer: the test client is the operator.
    await weechat.waitForLog(ROOM_BUFFER, `Channel ${ROOM}: 2 nicks (1 op, 0 voices, 1 normal)`);
  });

  it('shows a room message from the test client, UTF-8 included', async () => {
    tester.send(`PRIVMSG ${ROOM} :hello weechat, from the test client ✓ é`);
    // Log lines are "date TAB prefix TAB message"; the first member is the room operator (@).
    await weechat.waitForLog(ROOM_BUFFER, /\t@tester\thello weechat, from the test client ✓ é\n/);
  });

  it('sends what is typed in the room buffer to the room', async () => {
    weechat.input(ROOM_BUFFER, 'typed in weechat ✓');
    const m = await tester.waitFor(fromWeechat('PRIVMSG'));
    assert.deepEqual(m.params, [ROOM, 'typed in weechat ✓']);
    weechat.input(ROOM_BUFFER, '/me waves');
    const action = await tester.waitFor(fromWeechat('PRIVMSG'));
    assert.deepEqual(action.params, [ROOM, '\x01ACTION waves\x01']);
  });

  it('exchanges direct messages both ways', async () => {
    weechat.input(SERVER_BUFFER, '/msg tester a private word');
    const dm = await tester.waitFor(fromWeechat('PRIVMSG'));
    assert.deepEqual(dm.params, ['tester', 'a private word']);
    tester.send(`PRIVMSG ${NICK} :private reply`);
    // weechat opens a private buffer named after the sender.
    await weechat.waitForLog('irc.team.tester', /\ttester\tprivate reply\n/);
  });

  it('goes away (AWAY to room members with away-notify, 301 to a DM) and comes back', async () => {
    weechat.input(SERVER_BUFFER, '/away gone fishing');
    const away = await tester.waitFor(fromWeechat('AWAY'));
    assert.deepEqual(away.params, ['gone fishing']);
    await weechat.waitForLog(SERVER_BUFFER, 'You have been marked as being away');
    tester.send(`PRIVMSG ${NICK} :are you there?`);
    const rpl = await tester.waitFor('301');
    assert.deepEqual(rpl.params, ['tester', NICK, 'gone fishing']);
    await weechat.waitForLog('irc.team.tester', /\ttester\tare you there\?\n/);
    weechat.input(SERVER_BUFFER, '/away');
    const back = await tester.waitFor(fromWeechat('AWAY'));
    assert.deepEqual(back.params, []);
    await weechat.waitForLog(SERVER_BUFFER, 'You are no longer marked as being away');
  });

  it('understood every line the server sent, and quits cleanly', async () => {
    weechat.input(SERVER_BUFFER, '/quit see you');
    const quit = await tester.waitFor(fromWeechat('QUIT'));
    assert.match(quit.params[0] ?? '', /see you/);
    // weechat prints "=!=" lines for what it cannot handle (e.g. 'irc: command "X" not found').
    const errors = weechat.log(SERVER_BUFFER).split('\n').filter((l) => l.split('\t')[1] === '=!=');
    assert.deepEqual(errors, [], "weechat's errors in the server buffer");
  });
});
