// Typing notifications (src/webview/logic/typing.ts) driven by a fake clock: no sleeps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACTIVE_THROTTLE_MS, PAUSED_AFTER_MS, TypingNotifier, typingText, type Clock, type TypingState } from '../../../src/webview/logic/typing.ts';

function fakeClock(): Clock & { advance(ms: number): void } {
  let now = 1_000_000;
  let timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let next = 1;
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = next++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout(h) {
      timers = timers.filter((t) => t.id !== h);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
      }
      now = end;
    },
  };
}

function setup() {
  const clock = fakeClock();
  const sent: TypingState[] = [];
  const typing = new TypingNotifier((s) => sent.push(s), clock);
  return { clock, sent, typing };
}

test('active at most every 3 s while typing', () => {
  const { clock, sent, typing } = setup();
  for (let i = 0; i < 20; i++) {
    typing.input('x'.repeat(i + 1));
    clock.advance(500); // a key every half second for 10 s
  }
  assert.deepEqual(sent, ['active', 'active', 'active', 'active']);
  assert.ok(ACTIVE_THROTTLE_MS === 3000);
});

test('paused after 5 s without input, active again on the next key', () => {
  const { clock, sent, typing } = setup();
  typing.input('h');
  clock.advance(PAUSED_AFTER_MS - 1);
  assert.deepEqual(sent, ['active']);
  clock.advance(1);
  assert.deepEqual(sent, ['active', 'paused']);
  clock.advance(60_000);
  assert.deepEqual(sent, ['active', 'paused'], 'paused once');
  typing.input('he');
  assert.deepEqual(sent, ['active', 'paused', 'active']);
});

test('done on send or clear, only after something was announced', () => {
  const { clock, sent, typing } = setup();
  typing.done();
  assert.deepEqual(sent, [], 'nothing to take back');
  typing.input('hello');
  typing.done();
  assert.deepEqual(sent, ['active', 'done']);
  clock.advance(10_000);
  assert.deepEqual(sent, ['active', 'done'], 'no paused after done');
  typing.input('x');
  typing.input('');
  assert.deepEqual(sent, ['active', 'done', 'active', 'done'], 'emptying the box is done');
  typing.input('   ');
  assert.deepEqual(sent, ['active', 'done', 'active', 'done'], 'whitespace is not typing');
});

test('the indicator text', () => {
  assert.equal(typingText([]), '');
  assert.equal(typingText(['alice']), 'alice is typing…');
  assert.equal(typingText(['alice', 'bob']), 'alice and bob are typing…');
  assert.equal(typingText(['a', 'b', 'c']), 'a, b and c are typing…');
  assert.equal(typingText(['a', 'b', 'c', 'd']), 'Several people are typing…');
});
