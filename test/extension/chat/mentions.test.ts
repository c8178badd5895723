// Mention detection (src/extension/chat/mentions.ts) and notification policy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mentionsNick } from '../../../src/extension/chat/mentions.ts';
import { NOTIFY_QUIET_MS, NotifyGate, notificationText, shouldNotify } from '../../../src/extension/chat/notifyPolicy.ts';
import type { IncomingInfo } from '../../../src/extension/chat/viewModel.ts';

test('my nick as a word, in any case, is a mention', () => {
  assert.ok(mentionsNick('bob: look', 'bob'));
  assert.ok(mentionsNick('hey BOB!', 'bob'));
  assert.ok(mentionsNick('@bob, hi', 'bob'));
  assert.ok(mentionsNick('thanks bob.', 'bob'));
  assert.ok(mentionsNick('[m]x says hi', '[m]x'), 'nick characters that are regex syntax');
  assert.ok(mentionsNick('ping a|b', 'a|b'));
});

test('a nick inside a longer word or nick is not a mention', () => {
  assert.equal(mentionsNick('bobby is here', 'bob'), false);
  assert.equal(mentionsNick('bob_ is here', 'bob'), false);
  assert.equal(mentionsNick('see kbob', 'bob'), false);
  assert.equal(mentionsNick('bob-2 left', 'bob'), false);
  assert.equal(mentionsNick('anything', ''), false);
});

const info = (over: Partial<IncomingInfo>): IncomingInfo => ({ conversation: '#g', name: '#g', kind: 'room', from: 'al', text: 'hi', unread: true, mention: false, ...over });

test('notifications follow chatroom.notifications and only while the view is hidden', () => {
  assert.equal(shouldNotify('mentionsAndDirect', info({}), false), false);
  assert.equal(shouldNotify('mentionsAndDirect', info({ mention: true }), false), true);
  assert.equal(shouldNotify('mentionsAndDirect', info({ kind: 'dm' }), false), true);
  assert.equal(shouldNotify('mentionsAndDirect', info({ kind: 'dm' }), true), false);
  assert.equal(shouldNotify('all', info({}), false), true);
  assert.equal(shouldNotify('none', info({ kind: 'dm', mention: true }), false), false);
  assert.equal(shouldNotify('all', info({ unread: false }), false), false);
  assert.equal(notificationText(info({ text: 'a\n b' })), 'al in #g: a b');
  assert.equal(notificationText(info({ kind: 'dm', text: 'x'.repeat(200) })).length, 'al (direct message): '.length + 140);
});

test('repeated DMs: one toast now, the ones in the next 10 s become one toast with the unread count, none once read', () => {
  const gate = new NotifyGate();
  const dm = (text: string) => info({ conversation: 'bob', name: 'bob', kind: 'dm', from: 'bob', text });
  assert.deepEqual(gate.incoming(dm('first'), 0), { kind: 'show', text: 'bob (direct message): first' });
  assert.deepEqual(gate.incoming(dm('second'), 3_000), { kind: 'later', delayMs: NOTIFY_QUIET_MS - 3_000 });
  assert.deepEqual(gate.incoming(dm('third'), 4_000), { kind: 'skip' }, 'one toast is already due');
  assert.equal(gate.due('bob', 3, false, NOTIFY_QUIET_MS), 'bob (direct message, 3 unread): third');
  // Another conversation has its own quiet time.
  assert.equal(gate.incoming(info({ conversation: 'eve', kind: 'dm', from: 'eve' }), 4_000).kind, 'show');
  // Read before the quiet time ended: nothing more to say.
  assert.equal(gate.incoming(dm('fourth'), NOTIFY_QUIET_MS + 1_000).kind, 'later');
  assert.equal(gate.due('bob', 0, false, 2 * NOTIFY_QUIET_MS), undefined);
  // ... or the view is open.
  assert.equal(gate.incoming(dm('fifth'), 2 * NOTIFY_QUIET_MS + 1_000).kind, 'show');
  assert.equal(gate.incoming(dm('sixth'), 2 * NOTIFY_QUIET_MS + 2_000).kind, 'later');
  assert.equal(gate.due('bob', 2, true, 3 * NOTIFY_QUIET_MS), undefined);
});
