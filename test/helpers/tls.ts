// A throwaway self-signed certificate for TLS tests, made at test time with the openssl CLI
// (Debian package "openssl", listed in test/setup/apt-packages.txt). Keys are never committed.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './tmp.ts';

const run = promisify(execFile);

export interface TestCert {
  dir: string;
  certFile: string;
  keyFile: string;
  /** PEM text of the certificate: pass as `ca` to trust it. */
  cert: string;
  remove(): void;
}

/** Generates a P-256 key and a 1-day certificate for CN=localhost, SAN localhost + 127.0.0.1 + ::1. */
export async function makeTestCert(): Promise<TestCert> {
  const tmp = tempDir('chatroom-tls-');
  const certFile = join(tmp.path, 'cert.pem');
  const keyFile = join(tmp.path, 'key.pem');
  try {
    await run('openssl', [
      'req', '-x509', '-nodes', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
      '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
    ]);
  } catch (e) {
    tmp.remove();
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new Error('openssl not found: install the Debian package "openssl" (test/setup/apt-packages.txt)');
    throw new Error(`openssl failed: ${err.stderr ?? err.message}`);
  }
  return { dir: tmp.path, certFile, keyFile, cert: readFileSync(certFile, 'utf8'), remove: tmp.remove };
}
