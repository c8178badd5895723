// Mention detection (src/extension/chat/mentions.ts) and notification policy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mentionsNick } from '../../../src/extension/chat/mentions.ts';
import { notificationText, shouldNotify } from '../../../src/extension/chat/notifyPolicy.ts';
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
