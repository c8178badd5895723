// Network text on its way into VS Code's UI (src/extension/plainText.ts): no link, no icon, one
// line, bounded, and otherwise the text the sender wrote.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { bounded, disarm, plainLabel, plainMessage } from '../../src/extension/plainText.ts';

// VS Code 1.139's own patterns (copied from its workbench): parseLinkedText's link, and
// renderLabelWithIcons' icon (an escaped `\$(x)` is shown as text, so only unescaped ones count).
const LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^\)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
const ICON = /(\\)?\$\((\S+?)(?:~(\S+?))?\)/g;
const hasLink = (s: string) => [...s.matchAll(LINK)].length > 0;
const hasIcon = (s: string) => [...s.matchAll(ICON)].some((m) => m[1] === undefined);
const visible = (s: string) => s.replaceAll('\u200B', '');

const HOSTILE = [
  '[Open Chat](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%5Cn%22%7D)',
  '[x](https://evil.example "title")',
  '[x](FILE:///etc/passwd)',
  '[a[b](command:a)',
  '$(gear) Settings $(sync~spin)',
  '\\$(escaped) and $(loading~spin)',
  '#room[a](command:x)',
  'a]\u200B(b',
];

test('the hostile samples keep their text but lose every link and icon', () => {
  for (const s of HOSTILE) {
    assert.ok(hasLink(s) || hasIcon(s) || s.includes('\u200B'), `the sample is armed: ${s}`);
    for (const out of [plainMessage(s), plainLabel(s, 500)]) {
      assert.equal(hasLink(out), false, out);
      assert.equal(hasIcon(out), false, out);
      assert.equal(visible(out), visible(s), 'the same text to the eye');
    }
  }
});

test('any text: no link or icon survives, and what is left is the text, one line, bounded', () => {
  const piece = fc.constantFrom('[', ']', '(', ')', '$', '\\', ' ', '\n', '\u202e', 'command:', 'https://', 'file:', '"t"', 'x', '~', 'é', '😀');
  const text = fc.oneof(fc.string(), fc.array(piece, { maxLength: 60 }).map((a) => a.join('')));
  fc.assert(
    fc.property(text, fc.integer({ min: 1, max: 80 }), (s, max) => {
      for (const out of [plainMessage(s, max), plainLabel(s, max)]) {
        assert.equal(hasLink(out), false, out);
        assert.equal(hasIcon(out), false, out);
        assert.doesNotMatch(out, /[\n\r\u0000-\u001f\u202a-\u202e\u2066-\u2069]/);
        assert.ok(Array.from(visible(out)).length <= max, `at most ${max}: ${out}`);
      }
    }),
    { numRuns: 2000 },
  );
});

test('ordinary text passes unchanged; long text is cut on a character, with an ellipsis', () => {
  assert.equal(plainMessage('bob (direct message): are you there?'), 'bob (direct message): are you there?');
  assert.equal(plainLabel('#general'), '#general');
  assert.equal(plainMessage('a\n\tb  c'), 'a b c');
  assert.equal(plainMessage('price: $5 (about)'), 'price: $5 (about)');
  assert.equal(bounded('😀😀😀', 2), '😀…');
  assert.equal(plainLabel('x'.repeat(300)).length, 100);
  assert.equal(disarm('[a](b)'), '[a]\u200B(b)');
});
