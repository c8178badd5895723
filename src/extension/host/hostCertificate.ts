// The TLS certificate of the server Chat: Host runs on a non-loopback address: made once, kept in
// the extension's global storage (folder 0700, key 0600: other users of the machine must not read
// the key) and reused, so the fingerprint teammates pinned stays valid across hosts and restarts.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeSelfSigned } from './selfSigned.ts';

export interface HostCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  /** SHA-256, "AB:CD:…": what teammates put in chatroom.tlsFingerprint. */
  readonly fingerprint256: string;
  /** Made now (a teammate's pin of an older one, if any, no longer matches). */
  readonly created: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Long-lived: replacing it breaks every teammate's pin. */
const VALID_DAYS = 3650;
/** A certificate this close to its end is replaced before a host, not during a chat. */
const RENEW_DAYS = 7;

/** The stored certificate if it is whole, matches its key and is not about to expire. */
async function reusable(certFile: string, keyFile: string, now: Date): Promise<X509Certificate | undefined> {
  try {
    const [certPem, keyPem] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
    const cert = new X509Certificate(certPem);
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return undefined;
    if (Date.parse(cert.validTo) - now.getTime() < RENEW_DAYS * DAY_MS) return undefined;
    return cert;
  } catch {
    return undefined; // missing or damaged: make a new one
  }
}

/** Writes through a new 0600 file and a rename, so no reader ever sees half a file or looser rights. */
async function writePrivate(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await rm(tmp, { force: true });
  await writeFile(tmp, text, { mode: 0o600, flag: 'wx' });
  await rename(tmp, file);
}

/**
 * The certificate in `dir` (created 0700 if missing), made for `names` (host names and IPs, the
 * first one its common name) when there is none yet.
 */
export async function ensureHostCertificate(dir: string, names: readonly string[], now = new Date()): Promise<HostCertificate> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700); // an existing folder too (mkdir's mode applies only to new ones)
  const certFile = join(dir, 'host-cert.pem');
  const keyFile = join(dir, 'host-key.pem');
  const existing = await reusable(certFile, keyFile, now);
  if (existing) {
    await chmod(keyFile, 0o600);
    return { certFile, keyFile, fingerprint256: existing.fingerprint256, created: false };
  }
  const { keyPem, certPem } = makeSelfSigned({
    names,
    notBefore: new Date(now.getTime() - DAY_MS), // a teammate's clock a little behind still accepts it
    notAfter: new Date(now.getTime() + VALID_DAYS * DAY_MS),
  });
  await writePrivate(keyFile, keyPem);
  await writePrivate(certFile, certPem);
  return { certFile, keyFile, fingerprint256: new X509Certificate(certPem).fingerprint256, created: true };
}
