// The check the extension runs on every message from the webview (src/webview/messages.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_SEND_CHARS, parseFromWebview } from '../../src/webview/messages.ts';

test('well-formed webview messages pass, as new objects holding only the known fields', () => {
  assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseFromWebview({ type: 'send', text: 'hi', extra: 1 }), { type: 'send', text: 'hi' });
  assert.deepEqual(parseFromWebview({ type: 'run', command: 'host' }), { type: 'run', command: 'host' });
});

test('anything else is refused', () => {
  for (const bad of [
    null,
    undefined,
    'ready',
    42,
    [],
    {},
    { type: 'nope' },
    { type: 'send' },
    { type: 'send', text: '' },
    { type: 'send', text: 7 },
    { type: 'send', text: 'x'.repeat(MAX_SEND_CHARS + 1) },
    { type: 'run', command: 'rm -rf' },
    { type: 'run', command: 'toString' },
    { type: 'run' },
  ]) {
    assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad));
  }
});
