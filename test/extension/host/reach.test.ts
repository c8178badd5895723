// What Chat: Host says once on a non-loopback address, and the names its certificate is made for.
import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { test } from 'node:test';
import { certificateNames, reachableAddresses, reachMessage } from '../../../src/extension/host/reach.ts';

const info = (address: string, family: 'IPv4' | 'IPv6', internal = false) => ({ address, family, internal }) as NetworkInterfaceInfo;
const interfaces = {
  lo: [info('127.0.0.1', 'IPv4', true), info('::1', 'IPv6', true)],
  eth0: [info('192.0.2.2', 'IPv4'), info('fd00::2', 'IPv6'), info('fe80::fc:ff:fe00:1', 'IPv6')],
  wlan0: [info('198.51.100.9', 'IPv4')],
};

test('a wildcard address is reachable on this machine\'s own addresses; a given address on itself', () => {
  assert.deepEqual(reachableAddresses('0.0.0.0', interfaces), ['192.0.2.2', '198.51.100.9']);
  assert.deepEqual(reachableAddresses('::', interfaces), ['192.0.2.2', 'fd00::2', '198.51.100.9'], 'dual stack; no link-local');
  assert.deepEqual(reachableAddresses('192.0.2.2', interfaces), ['192.0.2.2']);
  assert.deepEqual(reachableAddresses('[fd00::2]', interfaces), ['fd00::2']);
  assert.deepEqual(reachableAddresses('0.0.0.0', {}), []);
});

test('the certificate names: the listen name or the machine\'s, loopback, then the reachable addresses', () => {
  assert.deepEqual(certificateNames('0.0.0.0', 'devbox', interfaces), ['devbox', 'localhost', '127.0.0.1', '::1', '192.0.2.2', '198.51.100.9']);
  assert.deepEqual(certificateNames('chat.lan', 'devbox', interfaces), ['chat.lan', 'devbox', 'localhost', '127.0.0.1', '::1']);
  assert.deepEqual(certificateNames('192.0.2.2', 'not a host name!', {}), ['localhost', '127.0.0.1', '::1', '192.0.2.2']);
});

test('the message says who can connect, where, and the fingerprint to pin', () => {
  const fingerprint256 = Array(32).fill('AB').join(':');
  const text = reachMessage({ listenHost: '0.0.0.0', port: 6667, tlsPort: 6697, fingerprint256, addresses: ['192.0.2.2', '198.51.100.9'] });
  assert.match(text, /open to your network on 0\.0\.0\.0: anyone who can reach 192\.0\.2\.2, 198\.51\.100\.9 can connect/);
  assert.match(text, /with TLS on port 6697 \(and without on port 6667\)/);
  assert.ok(text.includes(`chatroom.host to 192.0.2.2, chatroom.port to 6697, chatroom.tls to true and chatroom.tlsFingerprint to ${fingerprint256}`), text);
  assert.match(reachMessage({ listenHost: '::', port: 1, tlsPort: 2, fingerprint256, addresses: [] }), /anyone who can reach this machine can connect/);
});
