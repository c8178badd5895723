// Registration handlers fed with parsed lines: CAP negotiation, SASL, refusals mapped to
// ClientError codes, nick collisions, keepalive replies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClientError } from '../../../src/extension/client/errors.ts';
import { WANTED_CAPS } from '../../../src/extension/client/capabilities.ts';
import { saslChunks, saslPlainPayload } from '../../../src/extension/client/sasl.ts';
import { fakeSession } from './support/fakeSession.ts';

test('registration starts with CAP LS 302, PASS, NICK, USER', () => {
  const f = fakeSession({ nick: 'ada', password: 'pw', username: 'a d!a', realname: 'Ada L' });
  f.s.start();
  assert.deepEqual(f.take(), ['CAP LS 302', 'PASS pw', 'NICK ada', 'USER ada 0 * :Ada L']);
});

test('multi-line CAP LS is read whole; only wanted caps are requested; CAP END after ACK', () => {
  const f = fakeSession();
  f.s.start();
  f.take();
  f.feed(':srv CAP * LS * :multi-prefix sasl=PLAIN foo/bar');
  assert.deepEqual(f.take(), [], 'waits for the last LS line');
  f.feed(':srv CAP * LS :echo-message draft/multiline=max-bytes=4096 znc.in/self-message');
  assert.deepEqual(f.take(), ['CAP REQ :multi-prefix echo-message draft/multiline'], 'no sasl without credentials');
  f.feed(':srv CAP * ACK :multi-prefix echo-message draft/multiline');
  assert.deepEqual(f.take(), ['CAP END']);
  assert.ok(f.s.hasCap('echo-message'));
  assert.equal(f.s.caps.value('draft/multiline'), 'max-bytes=4096');
});

test('a NAKed request still ends negotiation', () => {
  const f = fakeSession();
  f.s.start();
  f.feed(':srv CAP * LS :batch');
  f.take();
  f.feed(':srv CAP * NAK :batch');
  assert.deepEqual(f.take(), ['CAP END']);
  assert.equal(f.s.hasCap('batch'), false);
});

test('a server without CAP (421) registers on NICK/USER alone', async () => {
  const f = fakeSession();
  f.s.start();
  const done = f.s.whenRegistered();
  f.feed(':srv 421 me CAP :Unknown command', ':srv 001 me :Welcome me!u@h');
  await done;
  assert.equal(f.s.registered, true);
  assert.equal(f.s.selfHost, 'h');
});

test('SASL PLAIN: AUTHENTICATE PLAIN, the payload, then CAP END on 903', () => {
  const f = fakeSession({ sasl: { account: 'ada', password: 'secret' } });
  f.s.start();
  f.feed(':srv CAP * LS :sasl=PLAIN');
  assert.deepEqual(f.take().slice(-1), ['CAP REQ sasl']);
  f.feed(':srv CAP * ACK sasl');
  assert.deepEqual(f.take(), ['AUTHENTICATE PLAIN']);
  f.feed('AUTHENTICATE +');
  assert.deepEqual(f.take(), [`AUTHENTICATE ${Buffer.from('\0ada\0secret').toString('base64')}`]);
  f.feed(':srv 900 me me!u@h ada :You are now logged in as ada', ':srv 903 me :SASL authentication successful');
  assert.deepEqual(f.take(), ['CAP END']);
  assert.equal(f.features.accounts.account, 'ada');
});

test('SASL payloads are cut in 400-byte pieces, with + after an exact multiple', () => {
  assert.deepEqual(saslChunks('x'.repeat(400)), ['x'.repeat(400), '+']);
  assert.deepEqual(saslChunks('x'.repeat(450)), ['x'.repeat(400), 'x'.repeat(50)]);
  assert.equal(Buffer.from(saslPlainPayload('a', 'b'), 'base64').toString(), '\0a\0b');
});

test('SASL failure rejects registration with bad-password', async () => {
  const f = fakeSession({ sasl: { account: 'ada', password: 'wrong' } });
  f.s.start();
  const reg = f.s.whenRegistered();
  f.feed(':srv CAP * LS :sasl', ':srv CAP * ACK :sasl', 'AUTHENTICATE +', ':srv 904 me :SASL authentication failed');
  await assert.rejects(reg, (e: unknown) => e instanceof ClientError && e.code === 'bad-password' && e.serverCode === '904');
  assert.equal(f.aborted.length, 1);
});

for (const [line, code] of [
  [':srv 464 * :Password incorrect', 'bad-password'],
  [':srv 465 * :You are banned from this server', 'banned'],
  [':srv 432 * b@d :Erroneous nickname', 'protocol'],
  [':srv 433 * me :Nickname is already in use', 'nick-in-use'],
] as const) {
  test(`${line.split(' ')[1]} before registration rejects with ${code}`, async () => {
    const f = fakeSession();
    f.s.start();
    const reg = f.s.whenRegistered();
    f.feed(line);
    await assert.rejects(reg, (e: unknown) => e instanceof ClientError && e.code === code);
  });
}

test('ERROR mentioning a K-line is reported as banned when the link closes', async () => {
  const f = fakeSession();
  f.s.start();
  const reg = f.s.whenRegistered();
  f.feed('ERROR :Closing Link: 127.0.0.1 (K-Lined: spam)');
  f.s.closed(new ClientError('closed', 'closed'));
  await assert.rejects(reg, (e: unknown) => e instanceof ClientError && e.code === 'banned');
});

test('433 with altNicks (or on a reconnect) tries nick_ then nick__', () => {
  const f = fakeSession({ nick: 'ada', altNicks: true });
  f.s.start();
  f.take();
  f.feed(':srv 433 * ada :in use');
  assert.deepEqual(f.take(), ['NICK ada_']);
  f.feed(':srv 433 * ada_ :in use');
  assert.deepEqual(f.take(), ['NICK ada__']);
  const r = fakeSession({ nick: 'bob' }, true);
  r.s.start();
  r.take();
  r.feed(':srv 433 * bob :in use');
  assert.deepEqual(r.take(), ['NICK bob_']);
});

test('PING is answered with PONG and the same token', () => {
  const f = fakeSession();
  f.feed('PING :abc123');
  assert.deepEqual(f.take(), ['PONG abc123']);
});

test('the client asks for every capability it uses, spelled as the specs spell them', () => {
  for (const cap of ['echo-message', 'labeled-response', 'draft/chathistory', 'draft/multiline', 'draft/read-marker', 'away-notify']) {
    assert.ok(WANTED_CAPS.includes(cap), cap);
  }
});

test('registerAccount with before-connect sends REGISTER before CAP END', () => {
  const f = fakeSession({ nick: 'ada', registerAccount: { account: 'ada', password: 'long secret' } });
  f.s.start();
  f.take();
  f.feed(':srv CAP * LS :draft/account-registration=before-connect');
  f.feed(':srv CAP * ACK :draft/account-registration');
  assert.deepEqual(f.take().slice(-1), ['REGISTER ada * :long secret']);
  f.feed(':srv REGISTER SUCCESS ada :Account created');
  assert.deepEqual(f.take(), ['CAP END']);
  assert.equal(f.features.accounts.account, 'ada');
});

test('FAIL REGISTER before connect rejects registration with the spec code', async () => {
  const f = fakeSession({ nick: 'ada', registerAccount: { account: 'ada', password: 'long secret' } });
  f.s.start();
  const reg = f.s.whenRegistered();
  f.feed(':srv CAP * LS :draft/account-registration=before-connect', ':srv CAP * ACK :draft/account-registration');
  f.feed(':srv FAIL REGISTER ACCOUNT_EXISTS ada :Account already exists');
  await assert.rejects(reg, (e: unknown) => e instanceof ClientError && e.serverCode === 'ACCOUNT_EXISTS');
});
