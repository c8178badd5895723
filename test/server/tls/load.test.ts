// Loading --tls-cert / --tls-key: a good pair works with node:tls, every bad one gets one clear sentence.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, connect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { loadTlsFiles } from '../../../src/server/tls/index.ts';
import { makeTestCert, type TestCert } from '../../helpers/tls.ts';

describe('tls: loadTlsFiles', () => {
  let a: TestCert;
  let b: TestCert;
  before(async () => {
    [a, b] = await Promise.all([makeTestCert(), makeTestCert()]);
  });
  after(() => {
    a.remove();
    b.remove();
  });

  it('loads a generated pair that a TLS client can verify', async () => {
    const r = loadTlsFiles(a.certFile, a.keyFile);
    assert.ok(r.ok, !r.ok ? r.error : '');
    const server = createServer(r.options, (s) => s.end('hello\r\n'));
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as { port: number }).port;
    const text = await new Promise<string>((res, rej) => {
      const s = connect({ host: '127.0.0.1', port, ca: a.cert, servername: 'localhost' }, () => undefined);
      let got = '';
      s.setEncoding('utf8');
      s.on('data', (d: string) => (got += d));
      s.on('end', () => res(got));
      s.on('error', rej);
    });
    assert.equal(text, 'hello\r\n');
    await new Promise((res) => server.close(res));
  });

  it('explains a missing file, a folder, a non-PEM file and a key of another certificate', () => {
    const bad = (cert: string, key: string) => {
      const r = loadTlsFiles(cert, key);
      assert.equal(r.ok, false);
      return !r.ok ? r.error : '';
    };
    assert.equal(bad('/nonexistent/cert.pem', a.keyFile), "cannot read --tls-cert '/nonexistent/cert.pem': no such file");
    assert.equal(bad(a.certFile, '/nonexistent/key.pem'), "cannot read --tls-key '/nonexistent/key.pem': no such file");
    assert.equal(bad(a.dir, a.keyFile), `cannot read --tls-cert '${a.dir}': it is a folder`);
    const junk = join(a.dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate');
    assert.match(bad(junk, a.keyFile), /^--tls-cert '.*junk\.pem' is not a PEM certificate/);
    assert.match(bad(a.certFile, junk), /^--tls-key '.*junk\.pem' is not a PEM private key/);
    assert.match(bad(a.keyFile, a.keyFile), /is not a PEM certificate/, 'key given as cert');
    assert.equal(bad(a.certFile, b.keyFile), `--tls-key '${b.keyFile}' does not match the certificate in --tls-cert '${a.certFile}'`);
    const broken = join(a.dir, 'broken.pem');
    writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    assert.match(bad(broken, a.keyFile), /^TLS certificate\/key rejected/);
  });
});
