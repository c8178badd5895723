// chatroom.tlsCertificate: the PEM file a user trusts for their team server's TLS (typically the
// self-signed certificate the server was started with). Read when connecting, so an edit of the
// file takes effect on the next connect; every way it can be wrong is a sentence naming the setting.
import { readFile } from 'node:fs/promises';
import { userFilePath } from './paths.ts';

/** Bigger than any certificate chain; a mistaken setting must not read a huge file. */
const MAX_BYTES = 256 * 1024;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

export type TrustedCertificate = { ok: true; pem: string } | { ok: false; message: string };

export async function loadTrustedCertificate(setting: string, home: string): Promise<TrustedCertificate> {
  const path = userFilePath(setting, home);
  if (path === undefined) {
    return {
      ok: false,
      message: `chatroom.tlsCertificate is the relative path "${setting}": use an absolute path or ~/… (a path relative to the open folder would let that folder choose the certificate you trust).`,
    };
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'it may not be read' : 'it cannot be read';
    return { ok: false, message: `chatroom.tlsCertificate names "${path}", but ${why}.` };
  }
  const text = bytes.subarray(0, MAX_BYTES).toString('utf8');
  if (bytes.length > MAX_BYTES || !PEM_CERTIFICATE.test(text)) {
    return { ok: false, message: `chatroom.tlsCertificate names "${path}", which is not a PEM certificate (-----BEGIN CERTIFICATE----- …).` };
  }
  return { ok: true, pem: text };
}
