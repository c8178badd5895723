// Conventions both sides share live once, in src/protocol: a second literal elsewhere in src/ is a
// copy waiting to drift. This test greps src/ (comments stripped) for the known ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BATCH_TYPE, CAP } from '../../src/protocol/caps.ts';
import { BUSY_MARKER, isBusyAway, isStoredOfflineAway, STORED_OFFLINE, storedOfflineText } from '../../src/protocol/conventions.ts';
import { REACT_TAG, REPLY_TAG, UNREACT_TAG } from '../../src/protocol/clienttags.ts';
import { MAX_LINE_BYTES, textBytesLeft } from '../../src/protocol/limits.ts';
import { joinMultiline, MULTILINE_CONCAT_TAG } from '../../src/protocol/multiline.ts';

const ROOT = join(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** The code without comments (block comments, and `//` after whitespace: URLs in strings stay). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
}

/** String values that are conventions: each may appear as a literal only in src/protocol. */
const SHARED_STRINGS = [
  BUSY_MARKER,
  STORED_OFFLINE,
  MULTILINE_CONCAT_TAG,
  REPLY_TAG,
  REACT_TAG,
  UNREACT_TAG,
  ...Object.values(BATCH_TYPE),
  // Capability names that cannot be mistaken for a tag or a word (`batch`, `sasl` can).
  ...Object.values(CAP).filter((c) => /[-/]/.test(c)),
];

/** `= 512` outside src/protocol that are not the line limit. */
const OTHER_512 = new Set(['server/storage/historyIndex.ts', 'webview/messages.ts']);

const files = sources(SRC).filter((f) => !relative(SRC, f).startsWith('protocol/'));

test('no shared convention is written as a literal outside src/protocol', () => {
  const found: string[] = [];
  for (const file of files) {
    const text = code(readFileSync(file, 'utf8'));
    for (const value of SHARED_STRINGS) {
      const escaped = value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      if (new RegExp(`(['"\`])${escaped}\\1`).test(text)) found.push(`${relative(SRC, file)}: '${value}'`);
    }
    if (text.includes('is offline; your message was stored')) found.push(`${relative(SRC, file)}: the stored-offline text`);
    if (/=\s*512\b/.test(text) && !OTHER_512.has(relative(SRC, file))) found.push(`${relative(SRC, file)}: 512 (MAX_LINE_BYTES)`);
  }
  assert.deepEqual(found, [], `import these from src/protocol instead:\n${found.join('\n')}`);
});

test('busy is an away message starting with the marker, in any case', () => {
  assert.ok(isBusyAway(`${BUSY_MARKER} in a meeting`));
  assert.ok(isBusyAway('[BUSY]'));
  assert.ok(!isBusyAway('lunch [busy]'));
});

test('multiline lines join with LF, concat lines without', () => {
  assert.equal(joinMultiline([{ text: 'a', concat: false }, { text: 'b', concat: true }, { text: '', concat: false }, { text: 'c', concat: false }]), 'ab\n\nc');
  assert.equal(joinMultiline([{ text: 'x', concat: true }]), 'x', 'the first line never continues anything');
});

test('text budget: what is left of 512 bytes once the source, command and target are in front', () => {
  // ":n!u@h PRIVMSG #c :" + CRLF = 19 + 2 bytes.
  assert.equal(textBytesLeft('n!u@h', 'PRIVMSG', '#c'), MAX_LINE_BYTES - 21);
  assert.equal(textBytesLeft('n!u@h', 'PRIVMSG', '#é'), MAX_LINE_BYTES - 22, 'bytes, not characters');
});

test('the stored-offline RPL_AWAY is recognised by its exact text only', () => {
  assert.ok(isStoredOfflineAway('amy', storedOfflineText('amy')));
  assert.ok(!isStoredOfflineAway('amy', 'Gone to lunch'));
  assert.ok(!isStoredOfflineAway('amy', storedOfflineText('bob')));
});
