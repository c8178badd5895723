// The self-signed certificate written by our own DER code, read back by Node and by OpenSSL (what
// stock IRC clients such as irssi use): a valid v3 server certificate for the names asked.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { makeSelfSigned } from '../../../src/extension/host/selfSigned.ts';
import { tempDir } from '../../helpers/index.ts';

const run = promisify(execFile);

test('names (DNS and IPv4/IPv6 addresses), validity across 2050 (GeneralizedTime), a key that matches', () => {
  const { certPem, keyPem } = makeSelfSigned({
    names: ['devbox.lan', '192.0.2.7', 'fd00::2', '::1', '2001:db8:0:0:1:0:0:1'],
    notBefore: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
    notAfter: new Date(Date.UTC(2051, 5, 6, 7, 8, 9)),
  });
  const cert = new X509Certificate(certPem);
  assert.equal(cert.subject, 'CN=devbox.lan');
  assert.equal(cert.issuer, cert.subject, 'self-signed');
  assert.equal(cert.subjectAltName, 'DNS:devbox.lan, IP Address:192.0.2.7, IP Address:FD00:0:0:0:0:0:0:2, IP Address:0:0:0:0:0:0:0:1, IP Address:2001:DB8:0:0:1:0:0:1');
  assert.equal(cert.validFrom, 'Jan  2 03:04:05 2026 GMT');
  assert.equal(cert.validTo, 'Jun  6 07:08:09 2051 GMT');
  assert.equal(cert.ca, false);
  assert.ok(cert.verify(cert.publicKey));
  assert.match(keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
  assert.notEqual(makeSelfSigned({ names: ['a'], notBefore: new Date(), notAfter: new Date(Date.now() + 1e9) }).certPem, certPem, 'a new key and serial each time');
});

test('OpenSSL accepts it as a TLS server certificate when trusted', async () => {
  const dir = tempDir();
  try {
    const { certPem } = makeSelfSigned({ names: ['localhost', '127.0.0.1'], notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 86_400_000) });
    const file = join(dir.path, 'cert.pem');
    writeFileSync(file, certPem);
    const verify = await run('openssl', ['verify', '-CAfile', file, '-purpose', 'sslserver', '-verify_ip', '127.0.0.1', file]);
    assert.match(verify.stdout, /: OK$/m);
    const text = (await run('openssl', ['x509', '-in', file, '-noout', '-text'])).stdout;
    assert.match(text, /Version: 3 \(0x2\)/);
    assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(text, /CA:FALSE/);
    assert.match(text, /TLS Web Server Authentication/);
  } finally {
    dir.remove();
  }
});
