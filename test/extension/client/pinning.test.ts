// Pinning (chatroom.tlsFingerprint) against OUR server (dist/server.mjs, `npm run build` first) on
// its TLS port with a real self-signed certificate: the pinned one connects whatever host name we
// use; any other is refused, and the user is told the fingerprint we got and the one expected.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, test } from 'node:test';
import { describeConnectError } from '../../../src/extension/chat/errors.ts';
import { ClientError, IrcClient } from '../../../src/extension/client/ircClient.ts';
import { PinMismatchError } from '../../../src/extension/client/transport.ts';
import { makeTestCert, startServer, type RunningServer, type TestCert } from '../../helpers/index.ts';

let cert: TestCert;
let other: TestCert;
let srv: RunningServer;
let pin: string;
before(async () => {
  cert = await makeTestCert();
  other = await makeTestCert();
  // On every address, so that 127.0.0.2 (loopback, not in the certificate's names) reaches it too.
  srv = await startServer({ args: ['--host', '0.0.0.0', '--tls-port', '0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile] });
  pin = new X509Certificate(cert.cert).fingerprint256;
});
after(async () => {
  await srv?.stop();
  cert?.remove();
  other?.remove();
});

function client(host: string, fingerprint256: string, extra: { ca?: string } = {}): IrcClient {
  return new IrcClient({ host, port: srv.tlsPort!, tls: true, nick: 'pinned', reconnect: false, fingerprint256, ...extra });
}

test('the pinned self-signed certificate connects, even under a host name it was not made for', async () => {
  // "127.0.0.2" is loopback too but not in the certificate's names: a CA check would refuse it.
  for (const host of ['127.0.0.1', '127.0.0.2']) {
    const c = client(host, pin.toLowerCase());
    try {
      await c.connect();
      assert.equal(c.state, 'registered', host);
    } finally {
      await c.quit().catch(() => {});
      c.dispose();
    }
  }
});

test('another certificate is refused before anything is sent, showing the fingerprint got and the one expected', async () => {
  const expected = new X509Certificate(other.cert).fingerprint256;
  // Even a certificate the CA list would trust is refused when it is not the pinned one.
  const c = client('127.0.0.1', expected, { ca: cert.cert });
  const lines: string[] = [];
  c.onDidRawLine((l) => lines.push(`${l.direction} ${l.line}`));
  try {
    const error = await c.connect().then(
      () => assert.fail('connected to a certificate that is not the pinned one'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PinMismatchError && error instanceof ClientError && error.code === 'tls', String(error));
    assert.equal(error.got, pin);
    assert.equal(error.expected, expected);
    assert.deepEqual(lines.filter((l) => l.startsWith('out')), [], 'nothing (no NICK, no password) went to that server');
    const view = describeConnectError(error, { host: '127.0.0.1', port: srv.tlsPort!, nick: 'pinned', tls: true });
    assert.match(view.message, /chatroom\.tlsFingerprint/);
    assert.ok(view.message.includes(`It has the SHA-256 fingerprint ${pin}; expected ${expected}.`), view.message);
    assert.ok(view.actions.includes('openSettings'));
  } finally {
    c.dispose();
  }
});
