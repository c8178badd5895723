// Chat: Host's TLS certificate over real files (made once, user-only rights, reused, replaced when
// damaged or about to expire) and a real TLS connection to the hosted server process using it.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { IrcClient } from '../../../src/extension/client/ircClient.ts';
import { ensureHostCertificate } from '../../../src/extension/host/hostCertificate.ts';
import { startServer } from '../../../src/extension/host/serverProcess.ts';
import { ROOT, tempDir } from '../../helpers/index.ts';

const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;
const POSIX = process.platform !== 'win32';
const mode = (file: string) => statSync(file).mode & 0o777;

describe('the hosted server\'s certificate', () => {
  const cleanups: (() => unknown)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });
  const storage = () => {
    const t = tempDir();
    cleanups.push(() => t.remove());
    return join(t.path, 'globalStorage', 'tls');
  };

  it('is made once, for the names asked, with a key only the user can read, then reused as it is', async () => {
    const dir = storage();
    const first = await ensureHostCertificate(dir, ['devbox', 'localhost', '127.0.0.1', '::1', '192.0.2.7']);
    assert.equal(first.created, true);
    assert.match(first.fingerprint256, FINGERPRINT);
    const cert = new X509Certificate(readFileSync(first.certFile));
    assert.equal(cert.fingerprint256, first.fingerprint256, 'the fingerprint shown is the certificate\'s own');
    assert.equal(cert.subject, 'CN=devbox');
    assert.equal(cert.subjectAltName, 'DNS:devbox, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:192.0.2.7');
    assert.ok(cert.verify(cert.publicKey), 'self-signed: its own key verifies it');
    assert.ok(Date.parse(cert.validTo) - Date.now() > 5 * 365 * 86_400_000, 'long-lived: a new one breaks every pin');
    assert.match(readFileSync(first.keyFile, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
    if (POSIX) {
      assert.equal(mode(dir), 0o700);
      assert.equal(mode(first.keyFile), 0o600);
    }

    const second = await ensureHostCertificate(dir, ['other-names-are-ignored']);
    assert.deepEqual(second, { ...first, created: false }, 'the same files and fingerprint: teammates\' pins stay valid');
  });

  it('rights loosened by hand are tightened again on reuse', { skip: POSIX ? false : 'POSIX file modes' }, async () => {
    const dir = storage();
    const first = await ensureHostCertificate(dir, ['localhost']);
    chmodSync(dir, 0o755);
    chmodSync(first.keyFile, 0o644);
    const again = await ensureHostCertificate(dir, ['localhost']);
    assert.equal(again.fingerprint256, first.fingerprint256);
    assert.equal(mode(dir), 0o700);
    assert.equal(mode(first.keyFile), 0o600);
  });

  it('a damaged key, a key of another certificate, or an end in sight: a new certificate', async () => {
    const dir = storage();
    const first = await ensureHostCertificate(dir, ['localhost']);
    writeFileSync(first.keyFile, 'not a key');
    const afterDamage = await ensureHostCertificate(dir, ['localhost']);
    assert.equal(afterDamage.created, true);
    assert.notEqual(afterDamage.fingerprint256, first.fingerprint256);
    if (POSIX) assert.equal(mode(afterDamage.keyFile), 0o600, 'replaced with user-only rights too');

    const otherDir = storage();
    const other = await ensureHostCertificate(otherDir, ['localhost']);
    writeFileSync(afterDamage.keyFile, readFileSync(other.keyFile));
    assert.equal((await ensureHostCertificate(dir, ['localhost'])).created, true, 'a key that does not match is not used');

    const current = await ensureHostCertificate(dir, ['localhost']);
    assert.equal(current.created, false);
    const nearEnd = new Date(Date.now() + 3649 * 86_400_000);
    assert.equal((await ensureHostCertificate(dir, ['localhost'], nearEnd)).created, true, 'days before it expires: replaced');
  });

  it('the hosted server listens with TLS on it: a teammate pinning the fingerprint, or trusting the file, gets in', async () => {
    const dir = storage();
    const data = tempDir();
    cleanups.push(() => data.remove());
    const certificate = await ensureHostCertificate(dir, ['localhost', '127.0.0.1']);
    // 0.0.0.0 as Chat: Host with chatroom.server.host "0.0.0.0" does; this test dials loopback only.
    const server = await startServer({
      extensionPath: ROOT,
      host: '0.0.0.0',
      port: 0,
      dataDir: data.path,
      tls: { port: 0, certFile: certificate.certFile, keyFile: certificate.keyFile },
      log: () => {},
    });
    cleanups.push(() => server.dispose());
    const tlsPort = server.tlsPort;
    assert.ok(tlsPort !== undefined && tlsPort !== server.port, 'both ports reported');
    const ways = [{ fingerprint256: certificate.fingerprint256 }, { ca: readFileSync(certificate.certFile, 'utf8') }];
    for (const trust of ways) {
      const c: IrcClient = new IrcClient({ host: '127.0.0.1', port: tlsPort, tls: true, nick: 'teammate', reconnect: false, ...trust });
      try {
        await c.connect();
        assert.equal(c.state, 'registered', Object.keys(trust)[0]);
      } finally {
        await c.quit().catch(() => {});
        c.dispose();
      }
    }
    const untrusted = new IrcClient({ host: '127.0.0.1', port: tlsPort, tls: true, nick: 'stranger', reconnect: false });
    await assert.rejects(untrusted.connect(), { code: 'tls' }, 'not trusted by default: it is self-signed');
    untrusted.dispose();
  });
});
