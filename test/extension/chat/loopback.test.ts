// Which hosts stay on this machine (no TLS needed to host there, no consent to send a password).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoopbackHost } from '../../../src/extension/chat/loopback.ts';

test('127.0.0.0/8, ::1 in its spellings, localhost: loopback', () => {
  for (const h of ['127.0.0.1', '127.9.8.7', ' localhost ', 'LOCALHOST.', 'team.localhost', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
    assert.equal(isLoopbackHost(h), true, h);
  }
});

test('wildcards, LAN and public addresses, other names: not loopback', () => {
  for (const h of ['0.0.0.0', '::', '[::]', '10.0.0.1', '192.168.1.5', '128.0.0.1', 'fe80::1', '::ffff:10.0.0.1', 'chat.example.com', 'localhost.example.com', '']) {
    assert.equal(isLoopbackHost(h), false, h);
  }
});
