// chatroom.tlsFingerprint: the SHA-256 fingerprint of the one server certificate to trust (pinning,
// as IRC clients do), in whatever form people copy it: "AB:CD:…", plain hex, openssl's
// "sha256 Fingerprint=AB:CD:…". Normalised to Node's X509Certificate.fingerprint256 form.

export type PinnedFingerprint = { ok: true; fingerprint: string } | { ok: false; message: string };

/** Bytes as Node prints fingerprints: upper-case hex pairs joined by ':'. */
export function formatFingerprint(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase().match(/../g)!.join(':');
}

export function parseFingerprint(setting: string): PinnedFingerprint {
  const raw = setting.trim().replace(/^sha-?256(\s*fingerprint)?\s*[=:]?\s*/i, '');
  const hex = raw.replace(/[:\s]/g, '');
  const fail = (why: string): PinnedFingerprint => ({
    ok: false,
    message: `chatroom.tlsFingerprint is "${setting.trim().slice(0, 120)}": ${why} It should be the server certificate's SHA-256 fingerprint, 64 hex digits, with or without colons (AB:CD:…).`,
  });
  if (!/^[0-9a-f]*$/i.test(hex)) return fail('it has characters that are not hex digits.');
  if (hex.length === 40) return fail('that is 20 bytes, a SHA-1 fingerprint.');
  if (hex.length !== 64) return fail(`that is ${hex.length} hex digits, not 64.`);
  return { ok: true, fingerprint: formatFingerprint(Buffer.from(hex, 'hex')) };
}
