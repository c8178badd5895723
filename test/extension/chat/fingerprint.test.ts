// chatroom.tlsFingerprint as people paste it, and a sentence naming the setting for what is not one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFingerprint, parseFingerprint } from '../../../src/extension/chat/fingerprint.ts';

const HEX = 'ab'.repeat(16) + '0123456789abcdef'.repeat(2);
const CANONICAL = HEX.toUpperCase().match(/../g)!.join(':');

test('colons or plain hex, any case, openssl\'s prefix: all give Node\'s fingerprint256 form', () => {
  for (const form of [CANONICAL, CANONICAL.toLowerCase(), HEX, HEX.toUpperCase(), `  ${CANONICAL}  `, `sha256 Fingerprint=${CANONICAL}`, `SHA256:${HEX}`, CANONICAL.replace(/:/g, ' ')]) {
    const got = parseFingerprint(form);
    assert.deepEqual(got, { ok: true, fingerprint: CANONICAL }, form);
  }
  assert.equal(formatFingerprint(Buffer.from(HEX, 'hex')), CANONICAL);
});

test('what is not a SHA-256 fingerprint is refused with a sentence naming the setting', () => {
  const cases: Array<[string, RegExp]> = [
    ['AB:CD', /4 hex digits, not 64/],
    [`${HEX}00`, /66 hex digits, not 64/],
    ['zz'.repeat(32), /not hex digits/],
    ['AB:'.repeat(20).slice(0, -1), /SHA-1/],
    [`${HEX.slice(0, -1)}g`, /not hex digits/],
  ];
  for (const [value, why] of cases) {
    const got = parseFingerprint(value);
    assert.ok(!got.ok, value);
    assert.match(got.message, /^chatroom\.tlsFingerprint is "/);
    assert.match(got.message, why);
    assert.match(got.message, /64 hex digits/);
  }
});
