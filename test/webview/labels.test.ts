// The header's words (src/webview/logic/labels.ts): which server of chatroom.servers, and what it lacks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectTargetText } from '../../src/webview/logic/labels.ts';

test('connected: the server of the list and the network limits under "Connected as"; nothing for one server with it all', () => {
  assert.equal(connectTargetText({ state: 'connected', server: '127.0.0.1:6667', nick: 'a' }), '');
  assert.equal(connectTargetText({ state: 'connected', server: 'leaf:7002', nick: 'a', fromList: true }), 'On leaf:7002');
  assert.equal(connectTargetText({ state: 'connected', server: 'leaf:7002', nick: 'a', fromList: true, limits: 'This server has no history: x.' }), 'On leaf:7002 · This server has no history: x.');
  assert.equal(connectTargetText({ state: 'disconnected', target: 'h:1' }), 'Connect goes to h:1');
});
