// Snippet wire form (src/extension/chat/snippets.ts): round trip, hostile input, size cap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  cleanRelativePath,
  formatSnippet,
  locateSnippet,
  MAX_SNIPPET_BYTES,
  MAX_SNIPPET_LINES,
  parseSnippet,
  snippetFromSelection,
  snippetLanguage,
} from '../../../src/extension/chat/snippets.ts';
import type { SnippetView } from '../../../src/webview/messages.ts';

const snippet: SnippetView = { path: 'src/app/main.ts', startLine: 12, endLine: 14, language: 'ts', code: 'const a = 1;\n\nexport { a };' };

test('the wire form is a fenced block naming language, path and lines', () => {
  assert.equal(formatSnippet(snippet), '```ts src/app/main.ts:12-14\nconst a = 1;\n\nexport { a };\n```');
  assert.deepEqual(parseSnippet(formatSnippet(snippet)), snippet);
  const one = { ...snippet, endLine: 12, code: 'x' };
  assert.equal(formatSnippet(one), '```ts src/app/main.ts:12\nx\n```');
  assert.deepEqual(parseSnippet(formatSnippet(one)), one);
});

test('code holding backtick fences gets a longer fence and still round-trips', () => {
  const md = { ...snippet, language: 'md', path: 'README.md', code: '```js\nalert(1)\n```\n````' };
  const wire = formatSnippet(md);
  assert.ok(wire.startsWith('`````md README.md:12-14\n'), wire);
  assert.deepEqual(parseSnippet(wire), md);
});

test('paths with spaces and unicode survive; CRLF is read as LF', () => {
  const s = { ...snippet, path: 'docs/my notes/café.md', language: 'markdown' };
  assert.deepEqual(parseSnippet(formatSnippet(s)), s);
  assert.deepEqual(parseSnippet('```ts a.ts:1-2\r\nx\r\ny\r\n```'), { path: 'a.ts', startLine: 1, endLine: 2, language: 'ts', code: 'x\ny' });
});

test('hostile or malformed messages are not snippets', () => {
  const bad = [
    'hello',
    '```ts src/a.ts:1\n```', // no code line
    '```ts ../etc/passwd:1\nx\n```',
    '```ts src/../../etc/passwd:1\nx\n```',
    '```ts /etc/passwd:1\nx\n```',
    '```ts C:/Windows/win.ini:1\nx\n```',
    '```ts src\\a.ts:1\nx\n```',
    '```ts ./a.ts:1\nx\n```',
    '```ts a.ts:0\nx\n```',
    '```ts a.ts:5-2\nx\n```',
    '```ts a.ts:1\nx\n``',
    '```ts a.ts:1\nx\n```\ntrailing',
    '```ts a.ts:1\nx\n```\nmore\n```', // two blocks
    '```ts a.ts\nx\n```', // no line
    '``` a.ts:1\nx\n```', // no language
    '```ts a\u0000b.ts:1\nx\n```',
    '```ts a.ts:1\n' + 'x\n'.repeat(MAX_SNIPPET_BYTES) + '```',
  ];
  for (const text of bad) assert.equal(parseSnippet(text), undefined, JSON.stringify(text.slice(0, 60)));
});

test('any code and any clean path round-trip (property)', () => {
  const segment = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9 ._-]{0,11}[A-Za-z0-9_]$/);
  fc.assert(
    fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.array(fc.string({ maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, '')), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 9999 }), (segments, codeLines, start) => {
      const path = segments.join('/');
      fc.pre(cleanRelativePath(path) !== undefined);
      const s: SnippetView = { path, startLine: start, endLine: start + codeLines.length - 1, language: 'ts', code: codeLines.join('\n') };
      assert.deepEqual(parseSnippet(formatSnippet(s)), s);
    }),
  );
});

test('a selection becomes a snippet of whole lines; large ones are cut and say so', () => {
  const r = snippetFromSelection({ path: 'src/a.ts', languageId: 'typescript', startLine: 3, text: 'a\nb\n' });
  assert.ok(r.ok);
  assert.deepEqual(r.snippet, { path: 'src/a.ts', startLine: 3, endLine: 4, language: 'typescript', code: 'a\nb' });
  assert.equal(r.cut, false);

  const many = Array.from({ length: 300 }, (_, i) => `line ${i + 1}`).join('\n');
  const cut = snippetFromSelection({ path: 'a.ts', startLine: 1, text: many });
  assert.ok(cut.ok);
  assert.equal(cut.cut, true);
  assert.equal(cut.sharedLines, MAX_SNIPPET_LINES);
  assert.equal(cut.selectedLines, 300);
  assert.equal(cut.snippet.endLine, MAX_SNIPPET_LINES);

  const wide = snippetFromSelection({ path: 'a.ts', startLine: 1, text: `${'x'.repeat(4000)}\n${'y'.repeat(4000)}` });
  assert.ok(wide.ok && wide.cut && wide.sharedLines === 1);
  assert.ok(Buffer.byteLength(formatSnippet(wide.snippet)) < 8192);

  const huge = snippetFromSelection({ path: 'a.ts', startLine: 1, text: 'x'.repeat(MAX_SNIPPET_BYTES + 1) });
  assert.equal(huge.ok, false);
  assert.equal(snippetFromSelection({ path: 'a.ts', startLine: 1, text: '  \n ' }).ok, false);
  assert.equal(snippetFromSelection({ path: '../a.ts', startLine: 1, text: 'x' }).ok, false);
});

test('the language label comes from the language id or the extension', () => {
  assert.equal(snippetLanguage('typescript', 'a.ts'), 'typescript');
  assert.equal(snippetLanguage('plaintext', 'notes.txt'), 'txt');
  assert.equal(snippetLanguage(undefined, 'Makefile'), 'text');
  assert.equal(snippetLanguage('c++ <x>', 'a.cc'), 'c++x');
});

test('the commit a snippet was shared at rides on its opening line; old messages without it still parse', () => {
  const snippet = { path: 'src/a.ts', startLine: 3, endLine: 4, language: 'ts', code: 'a\nb', commit: '3f2a9c1d', dirty: true };
  assert.equal(formatSnippet(snippet), '```ts src/a.ts:3-4 @3f2a9c1d+dirty\na\nb\n```');
  assert.deepEqual(parseSnippet(formatSnippet(snippet)), snippet);
  const { dirty: _d, ...clean } = snippet;
  assert.deepEqual(parseSnippet(formatSnippet(clean)), clean);
  assert.deepEqual(parseSnippet('```ts src/a.ts:3\nx\n```'), { path: 'src/a.ts', startLine: 3, endLine: 3, language: 'ts', code: 'x' });
  assert.equal(parseSnippet('```ts src/a.ts:3 @NOTHEX\nx\n```')?.commit, undefined, 'not a commit: not one');
});

test('locateSnippet: the code where it is now — moved by edits above, edited inside, or gone', () => {
  const code = 'function add(a, b) {\n  return a + b;\n}';
  const before = ['// header', '', code, '', 'export { add };'].join('\n');
  assert.equal(locateSnippet(before, code, 3), 3);
  const moved = ['// header', 'import x from "y";', 'import z from "w";', '', '', code, 'export { add };'].join('\n');
  assert.equal(locateSnippet(moved, code, 3), 6, 'lines added above');
  const twice = [code, 'x', 'y', 'z', code].join('\n');
  assert.equal(locateSnippet(twice, code, 5), 7, 'the copy nearest its old place (lines 1 and 7: 7)');
  const edited = ['// header', '', '', 'function add(a, b) {', '  return a + b; // sum', '}'].join('\n');
  assert.equal(locateSnippet(edited, code, 3), 4, 'most lines still there');
  assert.equal(locateSnippet('nothing like it\nat all', code, 1), undefined);
  assert.equal(locateSnippet('a\r\nb  \r\n', 'a\nb', 1), 1, 'CRLF and trailing spaces do not matter');
});
