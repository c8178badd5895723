// Issue 11: with a TLS port, passwords (AUTHENTICATE, REGISTER, OPER, PASS) sent in clear from
// another machine are refused with a reply naming the TLS port; loopback, TLS and
// --allow-plaintext-passwords are accepted. The other machine is a real one as far as the server
// can tell: a network namespace with its own address (test/helpers/netns.ts), skipped with the
// reason when the test may not create one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ERR_NOOPERHOST,
  ERR_PASSWDMISMATCH,
  ERR_SASLFAIL,
  RPL_SASLSUCCESS,
  RPL_WELCOME,
  RPL_YOUREOPER,
} from '../../../src/protocol/numerics.ts';
import { isLoopback, passwordMayCross } from '../../../src/server/auth/plaintext.ts';
import { IrcTestClient, makeTestCert, startServer, type RunningServer, type TestCert } from '../../helpers/index.ts';
import { makeNetnsPeer, netnsUnavailable, type NetnsPeer } from '../../helpers/netns.ts';

const isFail = (code: string) => (m: { command: string; params: string[] }) => m.command === 'FAIL' && m.params[1] === code;

describe('plain-text passwords: the decision', () => {
  it('counts 127.0.0.0/8, ::1 and IPv4-mapped loopback as loopback, in any spelling, and nothing else', () => {
    for (const a of ['127.0.0.1', '127.9.8.7', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::FFFF:7f00:1']) assert.ok(isLoopback(a), a);
    for (const a of ['192.0.2.1', '10.0.0.1', '::2', '::ffff:192.0.2.1', 'fe80::1%eth0', '128.0.0.1', 'localhost', '']) assert.ok(!isLoopback(a), a);
  });

  it('accepts a password over TLS, from loopback, without a TLS port, or with consent; refuses it otherwise', () => {
    const far = { secure: false, ip: '192.0.2.7' };
    const withTls = { tlsPort: 6697, allowPlaintext: false };
    assert.equal(passwordMayCross(far, withTls), false);
    assert.equal(passwordMayCross({ secure: true, ip: '192.0.2.7' }, withTls), true);
    assert.equal(passwordMayCross({ secure: false, ip: '127.0.0.1' }, withTls), true);
    assert.equal(passwordMayCross(far, { tlsPort: null, allowPlaintext: false }), true);
    assert.equal(passwordMayCross(far, { tlsPort: 6697, allowPlaintext: true }), true);
  });
});

describe('plain-text passwords: loopback stays allowed', () => {
  it('REGISTER, SASL and OPER work on a plain loopback connection to a server with TLS', async () => {
    const cert = await makeTestCert();
    const srv = await startServer({ args: ['--tls-port', '0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile, '--oper', 'admin:operpass1'] });
    try {
      const a = await IrcTestClient.connect(srv.port);
      await a.register('loopy', { caps: ['draft/account-registration'] });
      a.send('REGISTER * * loopy-password');
      assert.equal((await a.waitFor('REGISTER')).params[0], 'SUCCESS');
      a.send('OPER admin operpass1');
      await a.waitFor(RPL_YOUREOPER);
      a.destroy();
      const b = await IrcTestClient.connect(srv.port);
      await b.register('loopy', { sasl: { account: 'loopy', password: 'loopy-password' } });
      assert.ok(b.messages.some((m) => m.command === RPL_SASLSUCCESS));
      b.destroy();
    } finally {
      await srv.stop();
      cert.remove();
    }
  });
});

// Made here, so that a machine where it cannot be made (no root, no CAP_NET_ADMIN, no veth) skips
// the suite with the reason instead of failing it.
let why = netnsUnavailable();
let made: NetnsPeer | undefined;
if (why === null) {
  try {
    made = makeNetnsPeer();
  } catch (e) {
    why = `cannot make a network namespace here: ${(e as Error).message}`;
  }
}
describe('plain-text passwords from another machine (network namespace)', { skip: why ?? false }, () => {
  const peer = made!;
  let cert: TestCert;
  const servers: RunningServer[] = [];
  const clients: IrcTestClient[] = [];
  const start = async (args: string[]) => {
    const srv = await startServer({ args: ['--host', peer.hostAddress, '--tls-port', '0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile, ...args] });
    servers.push(srv);
    return srv;
  };
  /** A client in the namespace: through the relay to the server's plain or TLS port. */
  const fromAfar = async (srv: RunningServer, tls: boolean) => {
    const port = await peer.relay(peer.hostAddress, tls ? srv.tlsPort! : srv.port);
    const c = await IrcTestClient.connect(port, { host: peer.peerAddress, tls });
    clients.push(c);
    return c;
  };

  before(async () => {
    cert = await makeTestCert();
  });
  after(async () => {
    for (const c of clients) c.destroy();
    for (const s of servers) await s.stop();
    cert?.remove();
    peer.remove();
  });

  it('refuses AUTHENTICATE, REGISTER and OPER in clear, naming the TLS port, and accepts them over TLS', async () => {
    const srv = await start(['--oper', 'admin:operpass1']);
    const port = `port ${srv.tlsPort}`;
    const plain = await fromAfar(srv, false);
    await plain.register('faraway', { caps: ['sasl', 'draft/account-registration'] });
    plain.send('WHOIS faraway');
    const host = (await plain.waitFor('311')).params[3];
    assert.equal(host, peer.peerAddress, 'the server sees the namespace address');

    plain.send('AUTHENTICATE PLAIN');
    const sasl = await plain.waitFor(ERR_SASLFAIL);
    assert.match(sasl.params[1]!, new RegExp(`TLS on ${port}`));
    plain.send('REGISTER * * faraway-password');
    const reg = await plain.waitFor(isFail('TLS_REQUIRED'));
    assert.match(reg.params.at(-1)!, new RegExp(port));
    plain.send('OPER admin operpass1');
    assert.match((await plain.waitFor(ERR_NOOPERHOST)).params[1]!, new RegExp(port));
    await plain.sync();
    assert.ok(!plain.messages.some((m) => m.command === 'AUTHENTICATE'), 'no AUTHENTICATE + invites the password');

    const secure = await fromAfar(srv, true);
    await secure.register('faraway2', { caps: ['draft/account-registration'] });
    secure.send('REGISTER * * faraway-password');
    assert.equal((await secure.waitFor('REGISTER')).params[0], 'SUCCESS');
    secure.send('OPER admin operpass1');
    await secure.waitFor(RPL_YOUREOPER);
    const again = await fromAfar(srv, true);
    await again.register('faraway3', { sasl: { account: 'faraway2', password: 'faraway-password' } });
    assert.ok(again.messages.some((m) => m.command === RPL_SASLSUCCESS));
  });

  it('refuses PASS in clear and closes the link; PASS over TLS gets in', async () => {
    const srv = await start(['--server-password', 'team-secret']);
    const plain = await fromAfar(srv, false);
    plain.send('PASS team-secret');
    plain.send('NICK passer');
    plain.send('USER p 0 * :p');
    assert.match((await plain.waitFor(ERR_PASSWDMISMATCH)).params[1]!, new RegExp(`port ${srv.tlsPort}`));
    await plain.waitFor('ERROR');
    await plain.closed;
    const secure = await fromAfar(srv, true);
    await secure.register('passer', { password: 'team-secret' });
    assert.ok(secure.messages.some((m) => m.command === RPL_WELCOME));
  });

  it('--allow-plaintext-passwords accepts them in clear (a trusted LAN)', async () => {
    const srv = await start(['--allow-plaintext-passwords']);
    const plain = await fromAfar(srv, false);
    await plain.register('lanuser', { caps: ['draft/account-registration'] });
    plain.send('REGISTER * * lan-password');
    assert.equal((await plain.waitFor('REGISTER')).params[0], 'SUCCESS');
  });
});
