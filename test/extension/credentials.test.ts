// Passwords only in SecretStorage, one per server and account (src/extension/credentials.ts).
// Fakes of SecretStorage / Memento: credentials.ts imports only vscode's types.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Credentials } from '../../src/extension/credentials.ts';

function fakes() {
  const secrets = new Map<string, string>();
  const state = new Map<string, unknown>();
  const secretStorage = {
    get: async (k: string) => secrets.get(k),
    store: async (k: string, v: string) => void secrets.set(k, v),
    delete: async (k: string) => void secrets.delete(k),
  };
  const memento = {
    get: <T>(k: string) => state.get(k) as T | undefined,
    update: async (k: string, v: unknown) => void (v === undefined ? state.delete(k) : state.set(k, v)),
  };
  return { secrets, state, creds: new Credentials(secretStorage as never, memento as never) };
}

test('a password is stored per server and account in secrets; settings-like state holds only the account name', async () => {
  const { secrets, state, creds } = fakes();
  await creds.remember('Chat.example.com:6697', 'Alice', 's3cret!');
  assert.equal(creds.account('chat.example.com:6697'), 'Alice');
  assert.equal(await creds.password('chat.example.com:6697', 'alice'), 's3cret!');
  assert.equal(await creds.password('other:6667', 'alice'), undefined);
  assert.ok(![...state.values()].some((v) => String(v).includes('s3cret')), 'no password outside SecretStorage');
  assert.equal(secrets.size, 1);
  assert.equal(await creds.forget('chat.example.com:6697'), 'Alice');
  assert.equal(secrets.size, 0);
  assert.equal(creds.account('chat.example.com:6697'), undefined);
});

test('chatroom.servers: the account remembered on one server of the list serves the list; rememberAll and forgetAll cover every server', async () => {
  const { secrets, creds } = fakes();
  await creds.remember('leaf:6667', 'ann', 'pw-1');
  // The list now puts the hub first: the leaf still holds the account.
  assert.deepEqual(await creds.find(['hub:6667', 'leaf:6667']), { server: 'leaf:6667', account: 'ann', password: 'pw-1' });
  assert.equal(await creds.find(['hub:6667', 'other:6667']), undefined);
  await creds.rememberAll(['hub:6667', 'leaf:6667'], 'ann', 'pw-1');
  assert.deepEqual(await creds.find(['hub:6667']), { server: 'hub:6667', account: 'ann', password: 'pw-1' });
  assert.equal(secrets.size, 2);
  assert.equal(await creds.forgetAll(['hub:6667', 'leaf:6667']), 'ann');
  assert.equal(secrets.size, 0);
  assert.equal(await creds.find(['hub:6667', 'leaf:6667']), undefined);
});
