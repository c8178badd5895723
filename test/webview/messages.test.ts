// The check the extension runs on every message from the webview (src/webview/messages.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_SEND_CHARS, parseFromWebview } from '../../src/webview/messages.ts';

test('well-formed webview messages pass, as new objects holding only the known fields', () => {
  assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseFromWebview({ type: 'send', conversation: '#a', text: 'hi', extra: 1 }), { type: 'send', conversation: '#a', text: 'hi' });
  assert.deepEqual(parseFromWebview({ type: 'openSnippet', path: 'src/a.ts', line: 3 }), { type: 'openSnippet', path: 'src/a.ts', line: 3 });
  assert.deepEqual(parseFromWebview({ type: 'run', command: 'host' }), { type: 'run', command: 'host' });
  // Issue 13: replies, reactions, line actions, snippets named by their line.
  assert.deepEqual(parseFromWebview({ type: 'send', conversation: '#a', text: 'yes', replyTo: 'm1' }), { type: 'send', conversation: '#a', text: 'yes', replyTo: 'm1' });
  assert.deepEqual(parseFromWebview({ type: 'react', conversation: '#a', id: 'm1', reaction: '👍' }), { type: 'react', conversation: '#a', id: 'm1', reaction: '👍' });
  for (const type of ['deleteLine', 'copyLine', 'jumpTo']) assert.deepEqual(parseFromWebview({ type, conversation: '#a', id: 'm1', x: 1 }), { type, conversation: '#a', id: 'm1' });
  assert.deepEqual(parseFromWebview({ type: 'openSnippet', path: 'src/a.ts', line: 3, conversation: '#a', id: 'm1' }), { type: 'openSnippet', path: 'src/a.ts', line: 3, conversation: '#a', id: 'm1' });
  assert.deepEqual(parseFromWebview({ type: 'run', command: 'searchMessages' }), { type: 'run', command: 'searchMessages' });
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
    { type: 'send', conversation: '#a', text: '' },
    { type: 'send', conversation: '#a', text: '   ' },
    { type: 'send', text: 'no conversation' },
    { type: 'openSnippet', path: 'a', line: 0 },
    { type: 'openSnippet', path: 'a', line: 1.5 },
    { type: 'typing', conversation: '#a', state: 'sleeping' },
    { type: 'constructor' },
    { type: '__proto__' },
    { type: 'send', text: 7 },
    { type: 'send', conversation: '#a', text: 'x'.repeat(MAX_SEND_CHARS + 1) },
    { type: 'run', command: 'rm -rf' },
    { type: 'run', command: 'toString' },
    { type: 'run' },
    { type: 'send', conversation: '#a', text: 'x', replyTo: '' },
    { type: 'send', conversation: '#a', text: 'x', replyTo: 5 },
    { type: 'react', conversation: '#a', id: 'm1', reaction: '' },
    { type: 'react', conversation: '#a', id: 'm1', reaction: 'two words' },
    { type: 'react', conversation: '#a', id: 'm1', reaction: 'x'.repeat(65) },
    { type: 'deleteLine', conversation: '#a' },
    { type: 'jumpTo', id: 'm1' },
  ]) {
    assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad));
  }
});
