// Loads the TLS certificate and key (--tls-cert / --tls-key) for node:tls, turning every failure
// into one readable sentence for the operator instead of an OpenSSL stack trace.
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContextOptions } from 'node:tls';

export type TlsLoadResult = { ok: true; options: SecureContextOptions & { cert: Buffer; key: Buffer } } | { ok: false; error: string };

function readPem(flag: string, file: string, what: RegExp, kind: string): Buffer | string {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message;
    return `cannot read ${flag} '${file}': ${why}`;
  }
  if (!what.test(buf.toString('latin1'))) return `${flag} '${file}' is not a PEM ${kind} (expected a "-----BEGIN ${kind.toUpperCase()}" block)`;
  return buf;
}

/**
 * Reads and checks the pair: both files exist and are PEM, and OpenSSL accepts them together (the
 * key matches the certificate). Pass `result.options` to tls.createServer().
 */
export function loadTlsFiles(certFile: string, keyFile: string): TlsLoadResult {
  const cert = readPem('--tls-cert', certFile, /-----BEGIN CERTIFICATE-----/, 'certificate');
  if (typeof cert === 'string') return { ok: false, error: cert };
  const key = readPem('--tls-key', keyFile, /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/, 'private key');
  if (typeof key === 'string') return { ok: false, error: key };
  try {
    createSecureContext({ cert, key });
  } catch (e) {
    const msg = (e as Error).message;
    if (/key values mismatch|KEY_VALUES_MISMATCH/i.test(msg)) {
      return { ok: false, error: `--tls-key '${keyFile}' does not match the certificate in --tls-cert '${certFile}'` };
    }
    return { ok: false, error: `TLS certificate/key rejected (${certFile}, ${keyFile}): ${msg}` };
  }
  return { ok: true, options: { cert, key } };
}
