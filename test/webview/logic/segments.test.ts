// Links and mentions in message text (src/webview/logic/segments.ts): hostile inputs stay text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linkRanges, MAX_LINK_CHARS, mentionRanges, safeUrl, segments } from '../../../src/webview/logic/segments.ts';

test('http and https links are found, trailing punctuation is not part of them', () => {
  assert.deepEqual(
    linkRanges('see https://example.com/a?b=1. and http://x.org/wiki/Foo_(bar), ok').map((l) => l.url),
    ['https://example.com/a?b=1', 'http://x.org/wiki/Foo_(bar)'],
  );
  assert.deepEqual(linkRanges('(https://example.com)').map((l) => l.url), ['https://example.com/']);
  assert.deepEqual(segments('go https://a.io now', undefined), [
    { kind: 'text', text: 'go ' },
    { kind: 'link', text: 'https://a.io', url: 'https://a.io/' },
    { kind: 'text', text: ' now' },
  ]);
});

test('hostile schemes and shapes are never links', () => {
  for (const text of [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox',
    'file:///etc/passwd',
    'command:workbench.action.quit',
    'vscode://file/etc/passwd',
    'https://',
    'http:///nohost',
    '<a href="https://x">',
  ]) {
    for (const l of linkRanges(text)) assert.match(l.url, /^https?:\/\/[^/]/, `${text} → ${l.url}`);
  }
  assert.equal(safeUrl('javascript:alert(1)'), undefined);
  assert.equal(safeUrl('https://'), undefined);
  assert.deepEqual(linkRanges('javascript:alert(1)'), []);
  assert.deepEqual(linkRanges('xhttps://evil.com'), [], 'a word boundary is required before the scheme');
  assert.deepEqual(linkRanges('<a href="https://x.io">x</a>').map((l) => l.url), ['https://x.io/'], 'quotes end a link');
});

test('very long and pathological inputs finish quickly and stay text', () => {
  const long = `https://example.com/${'a'.repeat(MAX_LINK_CHARS + 10)}`;
  assert.deepEqual(linkRanges(long), [], 'over-long links are left as text');
  const dots = `https://a.io/${'.'.repeat(200_000)}x`;
  const started = performance.now();
  linkRanges(dots);
  linkRanges('http://'.repeat(50_000));
  segments('a'.repeat(500_000), 'a');
  mentionRanges('alice'.repeat(100_000), 'alice');
  const ms = performance.now() - started;
  console.log(`pathological inputs: ${ms.toFixed(0)} ms`); // a figure, not an assertion
  assert.equal(segments('x'.repeat(100_000), 'bob').length, 1);
});

test('mentions: whole words, any case, not inside other nicks or links', () => {
  assert.deepEqual(mentionRanges('Alice: hi alice, malice alice_ alice', 'alice'), [
    { start: 0, end: 5 },
    { start: 10, end: 15 },
    { start: 31, end: 36 },
  ]);
  assert.deepEqual(mentionRanges('hi', undefined), []);
  assert.deepEqual(mentionRanges('[bot] hi', '[bot]'), [{ start: 0, end: 5 }]);
  assert.deepEqual(segments('alice see https://x.io/alice', 'alice'), [
    { kind: 'mention', text: 'alice' },
    { kind: 'text', text: ' see ' },
    { kind: 'link', text: 'https://x.io/alice', url: 'https://x.io/alice' },
  ]);
  const joined = segments('hey ALICE, <img src=x onerror=alert(1)>', 'alice');
  assert.equal(joined.map((s) => s.text).join(''), 'hey ALICE, <img src=x onerror=alert(1)>', 'segments give back the text exactly');
});
