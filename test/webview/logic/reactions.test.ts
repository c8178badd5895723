// src/webview/logic/reactions.ts: which actions a line offers, reaction labels, reply quotes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowedActions, isOperatorPrefix, quoteText, reactionLabel, reactors, typedReaction } from '../../../src/webview/logic/reactions.ts';
import type { ChatLine } from '../../../src/webview/messages.ts';

const line = (over: Partial<ChatLine> = {}): ChatLine => ({ id: 'm1', msgid: 'm1', from: 'bob', text: 'hi', time: 0, self: false, kind: 'privmsg', ...over });
const ALL = ['react', 'reply', 'delete'] as const;

test('actions: by capability; delete for my own lines or as operator; nothing without a msgid', () => {
  assert.deepEqual(allowedActions(line(), ALL, false), { react: true, reply: true, copy: true, delete: false });
  assert.deepEqual(allowedActions(line({ self: true }), ALL, false), { react: true, reply: true, copy: true, delete: true });
  assert.equal(allowedActions(line(), ALL, true).delete, true);
  assert.deepEqual(allowedActions(line(), [], true), { react: false, reply: false, copy: true, delete: false }, 'ngircd: copy only');
  const { msgid: _m, ...noId } = line();
  assert.deepEqual(allowedActions(noId, ALL, true), { react: false, reply: false, copy: true, delete: false });
  assert.deepEqual(allowedActions(line({ deleted: true }), ALL, true), { react: false, reply: false, copy: false, delete: false });
  assert.equal(allowedActions(line({ kind: 'event' }), ALL, true).copy, false);
  assert.ok(isOperatorPrefix('@') && isOperatorPrefix('~') && !isOperatorPrefix('+') && !isOperatorPrefix(''));
});

test('reaction words: who, me as "you", what a click does', () => {
  const r = { reaction: '👍', nicks: ['amy', 'Me', 'bob'], mine: true };
  assert.equal(reactors(r, 'me'), 'amy, bob and you');
  assert.equal(reactionLabel(r, 'me'), '👍 3 reactions from amy, bob and you. Click to take yours back');
  assert.equal(reactionLabel({ reaction: '🎉', nicks: ['amy'], mine: false }, 'me'), '🎉 1 reaction from amy. Click to add yours');
});

test('quotes and typed reactions', () => {
  assert.equal(quoteText({ id: 'x', from: 'amy', text: 'the plan' }), 'amy: the plan');
  assert.equal(quoteText({ id: 'x' }), 'Reply to an earlier message');
  assert.equal(typedReaction(' 🦀 '), '🦀');
  assert.equal(typedReaction('two words'), undefined);
  assert.equal(typedReaction(''), undefined);
});
