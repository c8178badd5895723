// A self-signed X.509 v3 certificate (RFC 5280) for the server Chat: Host runs on a non-loopback
// address: an ECDSA P-256 key, names in subjectAltName (what TLS clients check), serverAuth only.
// Teammates trust it by its fingerprint (chatroom.tlsFingerprint), or as a CA file.
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';
import { bitString, boolean, explicit, implicit, octetString, oid, sequence, set, time, tlv, unsignedInteger, utf8String } from './der.ts';

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';
const BASIC_CONSTRAINTS = '2.5.29.19';
const KEY_USAGE = '2.5.29.15';
const EXT_KEY_USAGE = '2.5.29.37';
const SUBJECT_ALT_NAME = '2.5.29.17';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

export interface SelfSignedOptions {
  /** Host names and IP addresses the certificate is for; the first is also its common name. */
  readonly names: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  // Expand "::" and read eight 16-bit groups (an embedded IPv4 tail is not used for our names).
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return Buffer.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

/** Returns PEM texts of a new key (PKCS#8) and its self-signed certificate. */
export function makeSelfSigned(options: SelfSignedOptions): { keyPem: string; certPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const algorithm = sequence(oid(ECDSA_WITH_SHA256));
  const cn = options.names[0] ?? 'localhost';
  const name = sequence(set(sequence(oid(COMMON_NAME), utf8String(cn))));
  // 16 random bytes, first bit clear and not zero: a positive serial of full length (RFC 5280 4.1.2.2).
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x40;
  const altNames = options.names.map((n) => (isIP(n) ? implicit(7, ipBytes(n)) : implicit(2, Buffer.from(n, 'ascii'))));
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))), // v3
    unsignedInteger(serial),
    algorithm,
    name,
    sequence(time(options.notBefore), time(options.notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(
      3,
      sequence(
        extension(BASIC_CONSTRAINTS, true, sequence()), // not a CA
        extension(KEY_USAGE, true, tlv(0x03, Buffer.from([7, 0x80]))), // digitalSignature
        extension(EXT_KEY_USAGE, false, sequence(oid(SERVER_AUTH))),
        extension(SUBJECT_ALT_NAME, false, sequence(...altNames)),
      ),
    ),
  );
  const signature = sign('sha256', tbs, privateKey); // DER ECDSA-Sig-Value
  const der = sequence(tbs, algorithm, bitString(signature));
  const b64 = der.toString('base64').match(/.{1,64}/g)!.join('\n');
  return {
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certPem: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
  };
}
