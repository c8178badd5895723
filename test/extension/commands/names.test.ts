// Nicknames from OS user names and connect addresses for a hosted server (src/extension/commands/names.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectHostFor, toNickname } from '../../../src/extension/commands/names.ts';

test('an OS user name becomes a nickname IRC accepts (RFC 2812 2.3.1)', () => {
  assert.equal(toNickname('alice'), 'alice');
  assert.equal(toNickname('Jean Dupont'), 'JeanDupont');
  assert.equal(toNickname('josé'), 'jose');
  assert.equal(toNickname('1337'), '_1337');
  assert.equal(toNickname('-dash'), '_-dash');
  assert.equal(toNickname('CORP\\bob'), 'CORP\\bob');
  assert.equal(toNickname('a:b!c@d e,f'), 'abcdef');
  assert.equal(toNickname('李'), 'guest');
  assert.equal(toNickname(''), 'guest');
  assert.equal(toNickname('x'.repeat(50)).length, 30);
});

test('a server listening on a wildcard address is reached on loopback', () => {
  assert.equal(connectHostFor('0.0.0.0'), '127.0.0.1');
  assert.equal(connectHostFor('::'), '::1');
  assert.equal(connectHostFor('[::1]'), '::1');
  assert.equal(connectHostFor('127.0.0.1'), '127.0.0.1');
});
