// chatroom.tlsCertificate: where the file is looked for, and a sentence for each way it is wrong.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { userFilePath } from '../../../src/extension/chat/paths.ts';
import { loadTrustedCertificate } from '../../../src/extension/chat/trustedCertificate.ts';
import { makeTestCert } from '../../helpers/tls.ts';
import { tempDir } from '../../helpers/tmp.ts';

const dir = tempDir();
after(() => dir.remove());

test('a setting path: absolute or ~/ (home); a relative one is refused, whatever folder is open', () => {
  assert.equal(userFilePath('/etc/chat/cert.pem', '/home/al'), '/etc/chat/cert.pem');
  assert.equal(userFilePath('~/certs/team.pem', '/home/al'), '/home/al/certs/team.pem');
  assert.equal(userFilePath(' certs/team.pem ', '/home/al'), undefined, 'relative: the open repository would choose the file');
  assert.equal(userFilePath('../up.pem', '/home/al'), undefined);
});

test('a real certificate file is read; wrong files are named with the reason', async () => {
  const cert = await makeTestCert();
  try {
    const ok = await loadTrustedCertificate(cert.certFile, dir.path);
    assert.ok(ok.ok && ok.pem.includes('-----BEGIN CERTIFICATE-----'));

    const missing = await loadTrustedCertificate(join(dir.path, 'nope.pem'), dir.path);
    assert.ok(!missing.ok);
    assert.match(missing.message, /chatroom\.tlsCertificate names ".*nope\.pem", but there is no such file/);

    mkdirSync(join(dir.path, 'folder.pem'));
    const folder = await loadTrustedCertificate(join(dir.path, 'folder.pem'), dir.path);
    assert.ok(!folder.ok && /it is a folder/.test(folder.message));

    writeFileSync(join(dir.path, 'key.pem'), '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n');
    const notCert = await loadTrustedCertificate(join(dir.path, 'key.pem'), dir.path);
    assert.ok(!notCert.ok && /not a PEM certificate/.test(notCert.message), 'a private key is not a certificate');

    const relative = await loadTrustedCertificate('team.pem', dir.path);
    assert.ok(!relative.ok && /relative path "team\.pem": use an absolute path or ~\//.test(relative.message));
  } finally {
    cert.remove();
  }
});
