// Small pieces: the event emitter, backoff, text splitting, capability values, MARKREAD.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay } from '../../../src/extension/client/backoff.ts';
import { parseCapValue } from '../../../src/extension/client/capabilities.ts';
import { DisposableStore, Emitter } from '../../../src/extension/client/emitter.ts';
import { splitMessage, splitToFit, textBudget } from '../../../src/extension/client/split.ts';
import { registered } from './support/fakeSession.ts';

test('Emitter: subscriptions are disposable; a throwing listener does not stop the others', () => {
  const e = new Emitter<number>();
  const seen: number[] = [];
  const errors = console.error;
  console.error = () => {};
  try {
    const a = e.event((v) => seen.push(v));
    e.event(() => {
      throw new Error('boom');
    });
    e.event((v) => seen.push(v * 10));
    e.fire(1);
    a.dispose();
    e.fire(2);
  } finally {
    console.error = errors;
  }
  assert.deepEqual(seen, [1, 10, 20]);
  e.dispose();
  e.event(() => seen.push(99)).dispose();
  e.fire(3);
  assert.deepEqual(seen, [1, 10, 20]);
});

test('DisposableStore disposes all, and at once after it was disposed', () => {
  const store = new DisposableStore();
  let n = 0;
  store.add({ dispose: () => n++ });
  store.dispose();
  store.add({ dispose: () => n++ });
  assert.equal(n, 2);
});

test('backoff grows exponentially with jitter and is capped at 30 s', () => {
  const opts = { baseMs: 500, capMs: 30_000 };
  assert.equal(backoffDelay(0, opts, () => 0), 250);
  assert.equal(backoffDelay(0, opts, () => 1), 500);
  assert.equal(backoffDelay(3, opts, () => 1), 4000);
  assert.equal(backoffDelay(20, opts, () => 1), 30_000);
  assert.equal(backoffDelay(1000, opts, () => 0), 15_000);
});

test('splitToFit never breaks a character and prefers spaces', () => {
  assert.deepEqual(splitToFit('aaaaaaaa bbbb', 11), ['aaaaaaaa', 'bbbb']);
  assert.deepEqual(splitToFit('aaaa bbbbbbbb', 11), ['aaaa bbbbbb', 'bb'], 'no break that leaves a short line');
  const emoji = '🎉'.repeat(10);
  const parts = splitToFit(emoji, 10);
  assert.equal(parts.join(''), emoji);
  for (const p of parts) assert.ok(Buffer.byteLength(p) <= 10 && !p.includes('\uFFFD'));
  assert.deepEqual(splitMessage('a\r\n\nb', 100), ['a', 'b']);
});

test('textBudget counts what the server prepends', () => {
  // ":n!u@h PRIVMSG #c :" + CRLF = 19 + 2 bytes.
  assert.equal(textBudget('n!u@h', 'PRIVMSG', '#c'), 512 - 21);
});

test('capability values', () => {
  assert.deepEqual([...parseCapValue('max-bytes=4096,max-lines=100,x')], [['max-bytes', '4096'], ['max-lines', '100'], ['x', '']]);
});

test('MARKREAD from the server updates the read marker; ours is sent as a timestamp', () => {
  const f = registered({}, 'draft/read-marker');
  const marks: string[] = [];
  f.events.readMarker.event((m) => marks.push(`${m.target} ${m.time.toISOString()}`));
  f.feed(':srv MARKREAD #a timestamp=2026-01-01T00:00:00.000Z', ':srv MARKREAD #b *');
  assert.deepEqual(marks, ['#a 2026-01-01T00:00:00.000Z']);
});

test('FAIL MARKREAD (no account) is not a notice: the user never asked for read markers', () => {
  const f = registered({}, 'draft/read-marker');
  const notices: string[] = [];
  f.events.notice.event((n) => notices.push(n.text));
  f.feed(':srv FAIL MARKREAD ACCOUNT_REQUIRED #a :Read markers are kept per account: log in (SASL or REGISTER) first');
  assert.deepEqual(notices, []);
});
