// irssi (Debian's) logs in to an account with SASL PLAIN, as its users configure it: over TLS, and
// over plain text on loopback (issue 11 refuses passwords in clear only from other machines).
// It sends CAP LS, NICK <account>, USER, then AUTHENTICATE and CAP END: the account's nick must be
// its own once the login is in (src/server/README.md, "Nick ownership").
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RPL_WHOISACCOUNT } from '../../src/protocol/numerics.ts';
import { IrcTestClient } from '../helpers/ircClient.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tmp.ts';
import { makeTestCert, type TestCert } from '../helpers/tls.ts';
import { HeadlessIrssi, irssiMissing } from './support/headlessIrssi.ts';

const skip = irssiMissing();
const ROOM = '#logins';
const ACCOUNT = 'irssiacct';
const PASSWORD = 'irssi-account-password';

function writeConfig(home: string, port: number, tls?: { cafile: string }): void {
  const tlsLine = tls ? `use_tls = "yes"; tls_verify = "yes"; tls_cafile = "${tls.cafile}";` : 'use_tls = "no";';
  writeFileSync(
    join(home, 'config'),
    `servers = ( { address = "${tls ? 'localhost' : '127.0.0.1'}"; chatnet = "test"; port = "${port}"; autoconnect = "yes"; ${tlsLine} } );
chatnets = { test = { type = "IRC"; sasl_mechanism = "PLAIN"; sasl_username = "${ACCOUNT}"; sasl_password = "${PASSWORD}"; }; };
channels = ( { name = "${ROOM}"; chatnet = "test"; autojoin = "yes"; } );
settings = {
  core = { real_name = "irssi login"; user_name = "irssi"; nick = "${ACCOUNT}"; };
  "irc/core" = { cmd_queue_speed = "10msec"; cmds_max_at_once = "50"; };
};
`,
  );
}

for (const mode of ['TLS', 'plain text on loopback'] as const) {
  describe(`interop: irssi logs in with SASL over ${mode}`, { skip }, () => {
    let srv: RunningServer;
    let tmp: ReturnType<typeof tempDir>;
    let cert: TestCert;
    let irssi: HeadlessIrssi;
    let tester: IrcTestClient;

    before(async () => {
      cert = await makeTestCert();
      srv = await startServer({ args: ['--tls-port', '0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile] });
      const maker = await IrcTestClient.connect(srv.port);
      await maker.register(ACCOUNT, { caps: ['draft/account-registration'] });
      maker.send(`REGISTER * * ${PASSWORD}`);
      assert.equal((await maker.waitFor('REGISTER')).params[0], 'SUCCESS');
      maker.send('QUIT');
      await maker.closed;
      tmp = tempDir('chatroom-irssi-login-');
      const home = join(tmp.path, 'irssi');
      mkdirSync(home);
      writeConfig(home, mode === 'TLS' ? srv.tlsPort! : srv.port, mode === 'TLS' ? { cafile: cert.certFile } : undefined);
      tester = await IrcTestClient.connect(srv.port);
      await tester.register('tester');
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

    it('gets its account and its nick', async () => {
      await tester
        .waitFor((m) => m.command === 'JOIN' && m.source?.startsWith(`${ACCOUNT}!`) === true, 30_000)
        .catch((e: Error) => assert.fail(`${e.message}\nirssi screen:\n${irssi.screen()}`));
      tester.send(`WHOIS ${ACCOUNT}`);
      assert.equal((await tester.waitFor(RPL_WHOISACCOUNT)).params[2], ACCOUNT);
    });
  });
}
