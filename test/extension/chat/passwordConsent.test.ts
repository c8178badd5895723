// When a password may go over a plain connection: the pure rule, and consent asked once per host.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONSENT_KEY, hostKey, needsPasswordConsent, PasswordConsent, type ConsentStore } from '../../../src/extension/chat/passwordConsent.ts';

test('plain to another machine needs consent; TLS, loopback, or a host agreed before do not', () => {
  assert.equal(needsPasswordConsent({ host: 'chat.example.com' }, []), true);
  assert.equal(needsPasswordConsent({ host: '192.168.1.5', tls: false }, []), true);
  assert.equal(needsPasswordConsent({ host: '0.0.0.0' }, []), true, 'not loopback: may be a route to anywhere');
  assert.equal(needsPasswordConsent({ host: 'chat.example.com', tls: true }, []), false);
  for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) assert.equal(needsPasswordConsent({ host }, []), false, host);
  assert.equal(needsPasswordConsent({ host: 'Chat.Example.COM.' }, ['chat.example.com']), false, 'one host, however spelled');
  assert.equal(needsPasswordConsent({ host: 'other.example.com' }, ['chat.example.com']), true, 'per host');
  assert.equal(hostKey(' [FD00::2] '), 'fd00::2');
});

/** A Map-backed Memento, as globalState is. */
function store(initial: Record<string, unknown> = {}): ConsentStore & { data: Map<string, unknown> } {
  const data = new Map(Object.entries(initial));
  return { data, get: <T>(k: string) => data.get(k) as T | undefined, update: async (k, v) => void data.set(k, v) };
}

test('asked once per host: a yes is remembered, a no is asked again next time', async () => {
  const s = store();
  const asked: string[] = [];
  const answers = [false, true];
  const consent = new PasswordConsent(s, async (host) => {
    asked.push(host);
    return answers.shift() ?? assert.fail(`asked again about ${host}`);
  });
  assert.equal(await consent.allow({ host: 'chat.lan' }), false);
  assert.equal(s.data.get(CONSENT_KEY), undefined, 'a no is not remembered');
  assert.equal(await consent.allow({ host: 'chat.lan' }), true);
  assert.deepEqual(s.data.get(CONSENT_KEY), ['chat.lan']);
  assert.equal(await consent.allow({ host: 'CHAT.lan' }), true, 'not asked again');
  assert.equal(await consent.allow({ host: '127.0.0.1' }), true, 'loopback: never asked');
  assert.equal(await consent.allow({ host: 'elsewhere', tls: true }), true, 'TLS: never asked');
  assert.deepEqual(asked, ['chat.lan', 'chat.lan']);
});

test('a damaged stored value is no consent', async () => {
  const consent = new PasswordConsent(store({ [CONSENT_KEY]: 'chat.lan' }), async () => false);
  assert.equal(await consent.allow({ host: 'chat.lan' }), false);
});
