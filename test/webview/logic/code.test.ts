// src/webview/logic/code.ts: fenced blocks and inline code in messages; the rest stays text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeBlocks, inlineCode } from '../../../src/webview/logic/code.ts';

test('fenced blocks with a language; text around them kept; an unclosed fence is text', () => {
  assert.deepEqual(codeBlocks('try this:\n```ts\nconst a = 1;\n  if (a) {}\n```\nthen run it'), [
    { kind: 'text', text: 'try this:' },
    { kind: 'code', code: 'const a = 1;\n  if (a) {}', language: 'ts' },
    { kind: 'text', text: 'then run it' },
  ]);
  assert.deepEqual(codeBlocks('```\n<b>x</b>\n```'), [{ kind: 'code', code: '<b>x</b>', language: '' }]);
  assert.deepEqual(codeBlocks('```js\nnever closed'), [{ kind: 'text', text: '```js\nnever closed' }]);
  assert.deepEqual(codeBlocks('no code'), [{ kind: 'text', text: 'no code' }]);
});

test('inline code: same backtick run closes, on the same line; lone backticks stay text', () => {
  assert.deepEqual(inlineCode('run `npm test` now'), [
    { kind: 'text', text: 'run ' },
    { kind: 'code', code: 'npm test' },
    { kind: 'text', text: ' now' },
  ]);
  assert.deepEqual(inlineCode('``a ` b`` and `c`'), [{ kind: 'code', code: 'a ` b' }, { kind: 'text', text: ' and ' }, { kind: 'code', code: 'c' }]);
  assert.deepEqual(inlineCode("it's a ` lone tick"), [{ kind: 'text', text: "it's a ` lone tick" }]);
  assert.deepEqual(inlineCode('`not\nacross lines`'), [{ kind: 'text', text: '`not\nacross lines`' }]);
  assert.deepEqual(inlineCode('``'), [{ kind: 'text', text: '``' }]);
});

test('linear on hostile input (many backticks, no closing run)', () => {
  const hostile = '`'.repeat(1) + 'a'.repeat(10) + ' `` '.repeat(20_000);
  const t0 = performance.now();
  inlineCode(hostile);
  codeBlocks('```\n'.repeat(5_000));
  assert.ok(performance.now() - t0 < 2000, 'fast enough');
});
