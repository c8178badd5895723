// Connection errors as sentences with actions (src/extension/chat/errors.ts): never a stack trace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClientError } from '../../../src/extension/client/errors.ts';
import { describeConnectError } from '../../../src/extension/chat/errors.ts';

const target = { host: '127.0.0.1', port: 6667, nick: 'me' };

test('each error a user can meet has a clear sentence and useful actions', () => {
  const cases: Array<[ClientError['code'], RegExp, string]> = [
    ['refused', /Could not connect to 127\.0\.0\.1:6667: nothing answered/, 'host'],
    ['timeout', /did not answer in time/, 'retry'],
    ['tls', /TLS/, 'openSettings'],
    ['nick-in-use', /"me" is already in use/, 'openSettings'],
    ['bad-password', /did not accept the password/, 'login'],
    ['banned', /banned/, 'openSettings'],
    ['closed', /was closed: bye/, 'retry'],
  ];
  for (const [code, text, action] of cases) {
    const view = describeConnectError(new ClientError(code, 'bye\n    at x (y.js:1:1)'), target);
    assert.match(view.message, text, code);
    assert.ok(view.actions.includes(action as never), `${code}: ${view.actions.join(',')}`);
    assert.doesNotMatch(view.message, /\n|\bat \S+ \(|Error:/, view.message);
  }
});

test('an unknown error is one plain line', () => {
  const view = describeConnectError(new TypeError('boom\n  at stack'), target);
  assert.equal(view.message, 'Could not connect to 127.0.0.1:6667: boom.');
});
