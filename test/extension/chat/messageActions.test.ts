// Issue 13 in the view model: reactions and deletions kept by msgid and drawn on their line,
// replies quoting their parent, jumping to a message (on screen, held, or CHATHISTORY AROUND), and
// the search box's words. A fake client stands in for IrcClient (messageActions.ts takes a Pick).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatEvent } from '../../../src/extension/client/chatEvents.ts';
import type { ChatMessage } from '../../../src/extension/client/types.ts';
import { ChatViewModel } from '../../../src/extension/chat/viewModel.ts';
import { jumpTo, messageFeatures, networkLimits, parseSearchInput, toggleReaction, type ActionClient } from '../../../src/extension/chat/messageActions.ts';
import type { ChatLine, ToWebview } from '../../../src/webview/messages.ts';

const T0 = Date.parse('2026-12-07T10:00:00Z');

function setup() {
  const posts: ToWebview[] = [];
  const model = new ChatViewModel((m) => posts.push(m), () => T0);
  model.setConnection({ state: 'connected', server: 'h:1', nick: 'me' }, { nick: 'me', status: 'online' });
  const feed = (...events: ChatEvent[]) => {
    for (const e of events) model.apply(e, (n) => n.startsWith('#'));
  };
  feed({ type: 'joined', room: '#dev', nick: 'me', self: true });
  const take = (): ToWebview[] => {
    model.flush();
    return posts.splice(0);
  };
  let n = 0;
  const msg = (from: string, text: string, over: Partial<ChatMessage> = {}): ChatMessage => ({
    target: '#dev', from, text, time: new Date(T0 + ++n * 1000), self: from === 'me', kind: 'privmsg', msgid: `m${n}`, ...over,
  });
  take();
  return { model, feed, take, msg };
}

const line = (model: ChatViewModel, id: string): ChatLine | undefined => model.lines('#dev').find((l) => l.msgid === id);

test('reactions show under their line as counts with who, mine marked; a removal takes it away', () => {
  const { model, feed, take, msg } = setup();
  feed({ type: 'message', message: msg('amy', 'ship it?') });
  take();
  feed(
    { type: 'reaction', reaction: { target: '#dev', msgid: 'm1', nick: 'bob', reaction: '👍', remove: false, self: false } },
    { type: 'reaction', reaction: { target: '#DEV', msgid: 'm1', nick: 'me', reaction: '👍', remove: false, self: true } },
    { type: 'reaction', reaction: { target: '#dev', msgid: 'm1', nick: 'Me', reaction: '👍', remove: false, self: true } },
    { type: 'reaction', reaction: { target: '#dev', msgid: 'm1', nick: 'amy', reaction: '🎉', remove: false, self: false } },
  );
  assert.deepEqual(line(model, 'm1')?.reactions, [
    { reaction: '👍', nicks: ['bob', 'me'], mine: true },
    { reaction: '🎉', nicks: ['amy'], mine: false },
  ], 'a second reaction by the same nick (any case) counts once');
  const updates = take().filter((p) => p.type === 'lineUpdate');
  assert.equal(updates.length, 3, 'each change redraws the line (the duplicate does not)');
  assert.equal(model.gaveReaction('#dev', 'm1', '👍'), true);
  feed({ type: 'reaction', reaction: { target: '#dev', msgid: 'm1', nick: 'bob', reaction: '👍', remove: true, self: false } });
  assert.deepEqual(line(model, 'm1')?.reactions?.[0], { reaction: '👍', nicks: ['me'], mine: true });
});

test('a reaction that comes before its message (history order) is on the line when it arrives', () => {
  const { model, feed, msg } = setup();
  feed({ type: 'reaction', reaction: { target: '#dev', msgid: 'm1', nick: 'bob', reaction: '👀', remove: false, self: false, history: true } });
  feed({ type: 'message', message: msg('amy', 'look', { history: true }) });
  assert.deepEqual(line(model, 'm1')?.reactions, [{ reaction: '👀', nicks: ['bob'], mine: false }]);
});

test('a reply quotes the start of its parent; a deleted parent is quoted as deleted', () => {
  const { model, feed, take, msg } = setup();
  feed({ type: 'message', message: msg('amy', `the deploy is at noon ${'x'.repeat(200)}`) });
  feed({ type: 'message', message: msg('bob', 'ok', { replyTo: 'm1' }) });
  const reply = line(model, 'm2')!;
  assert.equal(reply.replyTo?.id, 'm1');
  assert.equal(reply.replyTo?.from, 'amy');
  assert.ok(reply.replyTo?.text?.startsWith('the deploy is at noon') && reply.replyTo.text.length <= 80);
  take();
  feed({ type: 'redaction', redaction: { target: '#dev', msgid: 'm1', by: 'amy' } });
  const parent = line(model, 'm1')!;
  assert.equal(parent.deleted, true);
  assert.equal(parent.text, 'This message was deleted.');
  assert.equal(line(model, 'm2')?.replyTo?.text, 'deleted message');
  const ids = take().flatMap((p) => (p.type === 'lineUpdate' ? [p.line.msgid] : []));
  assert.deepEqual(ids, ['m1', 'm2'], 'the line and the reply quoting it are redrawn');
  feed({ type: 'redaction', redaction: { target: '#dev', msgid: 'm2', by: 'op' } });
  assert.equal(line(model, 'm2')?.text, 'This message was deleted by op.');
});

function fakeClient(over: Partial<ActionClient> & { held?: ChatMessage[]; around?: ChatMessage[] } = {}) {
  const sent: string[] = [];
  const client: ActionClient = {
    supports: () => true,
    react: (t, id, r, remove) => (sent.push(`${remove ? 'unreact' : 'react'} ${t} ${id} ${r}`), true),
    redact: (t, id) => (sent.push(`redact ${t} ${id}`), true),
    messages: () => over.held ?? [],
    loadOlder: async () => [],
    loadAround: async (t, id) => (sent.push(`around ${t} ${id}`), over.around ?? []),
    search: async () => [],
    ...over,
  };
  return { client, sent };
}

test('a click on a reaction toggles mine: given → taken back', () => {
  const { model, feed, msg } = setup();
  feed({ type: 'message', message: msg('amy', 'hi') });
  const { client, sent } = fakeClient();
  toggleReaction(client, model, '#dev', 'm1', '👍');
  feed({ type: 'reaction', reaction: { target: '#dev', msgid: 'm1', nick: 'me', reaction: '👍', remove: false, self: true } });
  toggleReaction(client, model, '#dev', 'm1', '👍');
  assert.deepEqual(sent, ['react #dev m1 👍', 'unreact #dev m1 👍']);
  const { client: bare } = fakeClient({ supports: () => false });
  assert.equal(toggleReaction(bare, model, '#dev', 'm1', '👍'), false, 'not without the capability');
  assert.deepEqual(messageFeatures(bare), []);
});

test('jumping to a message: on screen → reveal; far back → the page around it, until the conversation is opened again', async () => {
  const { model, feed, take, msg } = setup();
  feed({ type: 'message', message: msg('amy', 'one') }, { type: 'message', message: msg('bob', 'two', { replyTo: 'm1' }) });
  take();
  const { client, sent } = fakeClient({
    around: [
      { target: '#dev', from: 'zed', text: 'old parent', time: new Date(T0 - 86_400_000), self: false, kind: 'privmsg', msgid: 'old1' },
      { target: '#dev', from: 'amy', text: 'old next', time: new Date(T0 - 86_300_000), self: false, kind: 'privmsg', msgid: 'old2' },
    ],
  });
  assert.equal(await jumpTo(client, model, '#dev', 'm1'), true);
  assert.deepEqual(take().filter((p) => p.type === 'reveal'), [{ type: 'reveal', conversation: '#dev', id: 'm1' }]);
  assert.equal(await jumpTo(client, model, '#dev', 'old1'), true);
  assert.deepEqual(sent, ['around #dev old1']);
  const posts = take();
  const snap = posts.find((p) => p.type === 'snapshot');
  assert.ok(snap?.type === 'snapshot');
  assert.equal(snap.snapshot.around, true);
  assert.deepEqual(snap.snapshot.lines.map((l) => l.text), ['old parent', 'old next']);
  assert.equal(snap.snapshot.hasOlder, false);
  assert.ok(posts.some((p) => p.type === 'reveal' && p.id === 'old1'));
  // Live lines keep arriving meanwhile, out of the page; opening the conversation shows the latest.
  feed({ type: 'message', message: msg('amy', 'three') });
  assert.equal(take().filter((p) => p.type === 'lines').length, 0);
  model.open('#dev');
  const back = take().find((p) => p.type === 'snapshot');
  assert.ok(back?.type === 'snapshot');
  assert.deepEqual(back.snapshot.lines.filter((l) => l.kind !== 'event').map((l) => l.text), ['one', 'two', 'three']);
  assert.equal(back.snapshot.around, undefined);
});

test('the search box: words, and from:/in:/after:/before: to narrow', () => {
  assert.deepEqual(parseSearchInput('deploy noon'), { text: 'deploy noon' });
  assert.deepEqual(parseSearchInput('from:amy in:#dev after:2026-12-01 deploy'), { from: 'amy', in: '#dev', after: new Date('2026-12-01'), text: 'deploy' });
  assert.deepEqual(parseSearchInput('before:soon x'), { text: 'before:soon x' }, 'not a date: just words');
  assert.deepEqual(parseSearchInput('   '), {});
});


test('networkLimits: what a server lacks, said once in one sentence; nothing for a server with it all', () => {
  const has = (...features: string[]) => ({ supports: (f: string) => features.includes(f) }) as Parameters<typeof networkLimits>[0];
  assert.equal(networkLimits(has('history', 'read-marker', 'echo')), undefined);
  // InspIRCd 3: echo-message, no history, no read markers.
  assert.equal(
    networkLimits(has('echo')),
    'This server has no history, read markers or offline delivery: no scroll-back or messages from while you were away; read state stays in this window; a message to someone offline is not kept for them.',
  );
  // ngIRCd: none of them.
  assert.match(networkLimits(has())!, /^This server has no history, read markers or delivery receipts: .*your messages show as sent, not delivered\.$/);
});
