// The view model (src/extension/chat/viewModel.ts): what the Chat view is told as chat happens.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatEvent } from '../../../src/extension/client/chatEvents.ts';
import type { ChatMessage, MemberInfo } from '../../../src/extension/client/types.ts';
import { ChatViewModel, MAX_LINES_PER_CONVERSATION } from '../../../src/extension/chat/viewModel.ts';
import type { Snapshot, ToWebview } from '../../../src/webview/messages.ts';

const T0 = Date.UTC(2026, 10, 30, 17, 0);

function setup() {
  const posts: ToWebview[] = [];
  let now = T0;
  const model = new ChatViewModel((m) => posts.push(m), () => now);
  model.setConnection({ state: 'connected', server: 'h:1', nick: 'me' }, { nick: 'me', status: 'online' });
  const take = (): ToWebview[] => {
    model.flush();
    return posts.splice(0);
  };
  const msg = (target: string, from: string, text: string, over: Partial<ChatMessage> = {}): ChatMessage => ({
    target,
    from,
    text,
    time: new Date((now += 1000)),
    self: from === 'me',
    kind: 'privmsg',
    ...over,
  });
  return { model, take, msg, posts, tick: (ms: number) => (now += ms) };
}

const isChannel = (name: string) => name.startsWith('#');

/** Feeds the model what the client core says, as bind.ts does. */
function feed(model: ChatViewModel, ...events: ChatEvent[]): void {
  for (const e of events) model.apply(e, isChannel);
}

/** We joined `room` and NAMES listed `members`. */
function join(model: ChatViewModel, room: string, members: MemberInfo[] = []): void {
  feed(model, { type: 'joined', room, nick: 'me', self: true }, { type: 'names', room, members });
}

function lastSnapshot(posts: ToWebview[]): Snapshot {
  const s = posts.filter((p) => p.type === 'snapshot').at(-1);
  assert.ok(s && s.type === 'snapshot', `a snapshot among ${posts.map((p) => p.type).join(',')}`);
  return s.snapshot;
}

test('joining a room opens it; NAMES is a baseline; joins, parts, renames, kicks and topics become event lines', () => {
  const { model, take } = setup();
  join(model, '#General', [{ nick: 'me', prefixes: '' }, { nick: 'alice', prefixes: '@' }]);
  const snap = lastSnapshot(take());
  assert.equal(snap.active, '#general');
  assert.deepEqual(snap.conversations.map((c) => [c.id, c.name, c.kind, c.joined]), [['#general', '#General', 'room', true]]);
  assert.deepEqual(snap.lines.map((l) => [l.kind, l.text]), [['event', 'You joined #General']]);

  feed(
    model,
    { type: 'joined', room: '#general', nick: 'bob', self: false },
    { type: 'parted', room: '#general', nick: 'bob', self: false, reason: 'lunch' },
    { type: 'renamed', from: 'alice', to: 'alice2', self: false, rooms: ['#general'] },
    { type: 'kicked', room: '#general', nick: 'alice2', self: false, by: 'op', reason: 'spam' },
    { type: 'topic', room: '#general', topic: 'Release day', by: 'alice2' },
  );
  const posts = take();
  const events = posts.flatMap((p) => (p.type === 'lines' ? p.lines.map((l) => l.text) : []));
  assert.deepEqual(events, ['bob joined', 'bob left (lunch)', 'alice is now known as alice2', 'alice2 was removed by op (spam)', 'alice2 changed the topic to: Release day']);
  const members = posts.filter((p) => p.type === 'members');
  assert.deepEqual(members[0]?.type === 'members' && members[0].members.map((m) => [m.nick, m.prefix, m.presence]), [['alice', '@', 'online'], ['bob', '', 'online'], ['me', '', 'online']]);
  const conv = posts.find((p) => p.type === 'conversations');
  assert.ok(conv?.type === 'conversations' && conv.conversations[0]?.topic === 'Release day');
});

test('presence changes of members are posted; busy and away carry the message', () => {
  const { model, take } = setup();
  join(model, '#g', [{ nick: 'me', prefixes: '' }, { nick: 'bob', prefixes: '' }]);
  take();
  model.user({ nick: 'bob', presence: 'busy', awayMessage: 'meeting' });
  const [m] = take().filter((p) => p.type === 'members');
  assert.ok(m?.type === 'members');
  assert.deepEqual(m.members.find((x) => x.nick === 'bob'), { nick: 'bob', prefix: '', presence: 'busy', statusMessage: 'meeting' });
  model.user({ nick: 'stranger', presence: 'away' });
  assert.deepEqual(take().filter((p) => p.type === 'members'), [], 'not a member: nothing to redraw');
});

test('unread and mention counts: other conversations count, the open and visible one does not', () => {
  const { model, take, msg } = setup();
  model.setViewVisible(true);
  join(model, '#a');
  join(model, '#b');
  take();
  model.message(msg('#a', 'al', 'seen on screen'), true);
  const i1 = model.message(msg('#b', 'al', 'hello ME, look'), true);
  model.message(msg('#b', 'al', 'no mention'), true);
  const i2 = model.message(msg('al', 'al', 'psst'), false);
  assert.equal(i1?.mention, true);
  assert.equal(i1?.unread, true);
  assert.equal(i2?.kind, 'dm');
  const convs = take().filter((p) => p.type === 'conversations').at(-1);
  assert.ok(convs?.type === 'conversations');
  assert.deepEqual(convs.conversations.map((c) => [c.id, c.kind, c.unread, c.mentions]), [['#a', 'room', 0, 0], ['#b', 'room', 2, 1], ['al', 'dm', 1, 1]]);
  assert.equal(model.unread, 3);
  model.open('#b');
  assert.equal(lastSnapshot(take()).conversations.find((c) => c.id === '#b')?.unread, 0);
  model.setViewVisible(false);
  model.message(msg('#b', 'al', 'while hidden'), true);
  assert.equal(model.unread, 2);
  model.message(msg('#b', 'me', 'my answer', { localId: 'L9' }), true);
  assert.equal(model.unread, 1, 'writing in a conversation reads it');
  const history = model.message(msg('#a', 'al', 'old', { history: true }), true);
  assert.equal(history?.unread, false);
});

test('our own line: pending, then delivered with the server msgid, or failed with the reason', () => {
  const { model, take, msg } = setup();
  join(model, '#g');
  take();
  model.message(msg('#g', 'me', 'hi', { localId: 'L1' }), true);
  const [append] = take();
  assert.ok(append?.type === 'lines' && append.position === 'append');
  assert.deepEqual([append.lines[0]?.id, append.lines[0]?.state, append.lines[0]?.self], ['L1', 'pending', true]);
  model.messageState({ localId: 'L1', target: '#g', state: 'delivered', msgid: 'srv1' });
  assert.deepEqual(take(), [{ type: 'lineState', conversation: '#g', id: 'L1', state: 'delivered', newId: 'srv1' }]);
  assert.equal(model.lines('#g').at(-1)?.id, 'srv1');

  model.message(msg('#g', 'me', 'nope', { localId: 'L2' }), true);
  take();
  model.messageState({ localId: 'L2', target: '#g', state: 'failed', reason: 'Cannot send to channel' });
  assert.deepEqual(take(), [{ type: 'lineState', conversation: '#g', id: 'L2', state: 'failed', reason: 'Cannot send to channel' }]);
  assert.equal(model.localIdOf('#g', 'L2'), 'L2');
  model.messageState({ localId: 'L2', target: '#g', state: 'pending' });
  assert.deepEqual(take(), [{ type: 'lineState', conversation: '#g', id: 'L2', state: 'pending' }]);
});

test('snippets are recognised; typing is posted for the open conversation and ends with the message', () => {
  const { model, take, msg } = setup();
  join(model, '#g');
  take();
  model.typing({ target: '#g', nick: 'al', state: 'active' });
  model.typing({ target: '#g', nick: 'me', state: 'active' });
  assert.deepEqual(take(), [{ type: 'typing', conversation: '#g', nicks: ['al'] }]);
  model.message(msg('#g', 'al', '```ts src/a.ts:3-4\nx\ny\n```'), true);
  const posts = take();
  assert.deepEqual(posts[0], { type: 'typing', conversation: '#g', nicks: [] });
  assert.ok(posts[1]?.type === 'lines');
  assert.deepEqual(posts[1].lines[0]?.snippet, { path: 'src/a.ts', startLine: 3, endLine: 4, language: 'ts', code: 'x\ny' });
});

test('history that belongs before shown lines redraws once; duplicates are dropped', async () => {
  const { model, take, msg, posts } = setup();
  join(model, '#g');
  take();
  const live = msg('#g', 'al', 'live', { msgid: 'b' });
  model.message(live, true);
  take();
  model.message({ ...msg('#g', 'al', 'earlier', { msgid: 'a', history: true }), time: new Date(T0 - 60_000) }, true);
  model.message({ ...msg('#g', 'al', 'earlier2', { msgid: 'a2', history: true }), time: new Date(T0 - 50_000) }, true);
  model.message(live, true);
  await Promise.resolve();
  const snaps = posts.filter((p) => p.type === 'snapshot');
  assert.equal(snaps.length, 1, 'one snapshot for the burst');
  assert.deepEqual(lastSnapshot(posts).lines.map((l) => l.text), ['earlier', 'earlier2', 'You joined #g', 'live']);
});

test('the window is bounded; older pages come from the client first, then the server', async () => {
  const { model, take, msg } = setup();
  model.setHistoryAvailable(true);
  join(model, '#g');
  const all: ChatMessage[] = [];
  for (let i = 0; i < MAX_LINES_PER_CONVERSATION + 20; i++) {
    const m = msg('#g', 'al', `m${i}`, { msgid: `id${i}` });
    all.push(m);
    model.message(m, true);
  }
  take();
  assert.equal(model.lines('#g').length, MAX_LINES_PER_CONVERSATION);
  let fetched = 0;
  const server = [msg('#g', 'al', 'from server', { msgid: 'old1' })].map((m) => ({ ...m, time: new Date(T0 - 1e6) }));
  const source = { held: () => all, fetch: async () => (fetched++ === 0 ? server : []) };
  await model.loadOlder('#g', source);
  let [page] = take();
  assert.ok(page?.type === 'lines' && page.position === 'prepend');
  assert.deepEqual([page.lines[0]?.text, page.lines.at(-1)?.text, page.hasOlder], ['m0', 'm19', true]);
  await model.loadOlder('#g', { held: () => all, fetch: source.fetch });
  [page] = take();
  assert.ok(page?.type === 'lines');
  assert.deepEqual(page.lines.map((l) => l.text), ['from server']);
  await model.loadOlder('#g', source);
  [page] = take();
  assert.ok(page?.type === 'lines' && page.hasOlder === false && page.lines.length === 0);
  assert.equal(lastHasOlder(model), false);
});

function lastHasOlder(model: ChatViewModel): boolean {
  return model.snapshot().hasOlder;
}

test('Clear Transcript empties the view only; older lines stay out', async () => {
  const { model, take, msg, tick } = setup();
  model.setHistoryAvailable(true);
  join(model, '#g');
  const before = msg('#g', 'al', 'before');
  model.message(before, true);
  take();
  tick(10);
  assert.equal(model.clear('#g'), true);
  const posts = take();
  assert.deepEqual(posts[0], { type: 'cleared', conversation: '#g' });
  assert.deepEqual(model.lines('#g'), []);
  assert.equal(model.snapshot().hasOlder, false);
  model.message({ ...before, msgid: 'replayed', history: true }, true);
  assert.deepEqual(model.lines('#g'), [], 'a replay from before the clear stays out');
  model.message(msg('#g', 'al', 'after'), true);
  assert.deepEqual(model.lines('#g').map((l) => l.text), ['after']);
});

test('DMs: open, presence on the conversation, remove; leaving a room marks it', () => {
  const { model, take } = setup();
  join(model, '#g');
  const id = model.openDm('Zed');
  assert.equal(id, 'zed');
  let snap = lastSnapshot(take());
  assert.equal(snap.active, 'zed');
  assert.deepEqual(snap.members, []);
  model.user({ nick: 'zed', presence: 'away', awayMessage: 'lunch' });
  const c = take().find((p) => p.type === 'conversations');
  assert.ok(c?.type === 'conversations' && c.conversations.find((x) => x.id === 'zed')?.presence === 'away');
  model.remove('zed');
  snap = lastSnapshot(take());
  assert.equal(snap.active, '#g');
  feed(model, { type: 'kicked', room: '#g', nick: 'me', self: true, by: 'op', reason: 'bye' });
  assert.equal(model.lines('#g').at(-1)?.text, 'You were removed from #g by op (bye)');
  assert.equal(model.joined('#g'), false);
  model.openWhenJoined('#new');
  join(model, '#new');
  assert.equal(model.active, '#new');
});

test('the snapshot after ready holds everything for the open conversation', () => {
  const { model, take, msg } = setup();
  join(model, '#g', [{ nick: 'me', prefixes: '' }]);
  model.message(msg('#g', 'al', 'hello'), true);
  model.typing({ target: '#g', nick: 'al', state: 'active' });
  take();
  const snap = model.snapshot();
  assert.deepEqual(snap.connection, { state: 'connected', server: 'h:1', nick: 'me' });
  assert.deepEqual(snap.self, { nick: 'me', status: 'online' });
  assert.deepEqual(snap.typing, ['al']);
  assert.deepEqual(snap.members.map((m) => m.nick), ['me']);
  assert.equal(snap.lines.at(-1)?.text, 'hello');
});

test('an event line comes after the lines shown, even when the server clock runs ahead', () => {
  const { model, take, msg } = setup();
  join(model, '#g', [{ nick: 'me', prefixes: '' }]);
  model.message({ ...msg('#g', 'al', 'from the future'), time: new Date(T0 + 3_600_000) }, true);
  feed(model, { type: 'joined', room: '#g', nick: 'zoe', self: false });
  take();
  assert.deepEqual(model.lines('#g').map((l) => l.text), ['You joined #g', 'from the future', 'zoe joined']);
});

test('a live message stamped before an event already shown (a server clock behind ours) comes after it; history keeps its place', () => {
  const { model, take, msg, tick } = setup();
  join(model, '#g', [{ nick: 'me', prefixes: '' }]);
  tick(5_000);
  feed(model, { type: 'joined', room: '#g', nick: 'zoe', self: false });
  // zoe's first words, stamped by her server 900 ms before our clock saw her join.
  model.message({ ...msg('#g', 'zoe', 'hi all'), time: new Date(T0 + 4_100) }, true);
  model.message({ ...msg('#g', 'al', 'said long ago'), time: new Date(T0 + 1_000), history: true }, true);
  take();
  assert.deepEqual(model.lines('#g').map((l) => l.text), ['You joined #g', 'said long ago', 'zoe joined', 'hi all']);
});

test('a disconnect shows DM partners offline, not their last known presence; the next connection says it again', () => {
  const { model, take } = setup();
  model.openDm('zed');
  model.user({ nick: 'zed', presence: 'away', awayMessage: 'lunch' });
  take();
  const dm = () => {
    const posts = take();
    const c = posts.flatMap((p) => (p.type === 'conversations' ? [p.conversations] : p.type === 'snapshot' ? [p.snapshot.conversations] : [])).at(-1);
    assert.ok(c, 'the conversation list is posted');
    return c.find((x) => x.id === 'zed');
  };
  assert.equal(model.conversations().find((x) => x.id === 'zed')?.statusMessage, 'lunch', 'the DM header shows the away message');
  model.setConnection({ state: 'disconnected' }, undefined);
  assert.equal(dm()?.presence, 'offline');
  assert.equal(model.conversations().find((x) => x.id === 'zed')?.statusMessage, undefined);
  model.setConnection({ state: 'connected', server: 'h:1', nick: 'me' }, { nick: 'me', status: 'online' });
  model.user({ nick: 'zed', presence: 'away', awayMessage: 'lunch' });
  assert.equal(dm()?.presence, 'away');
});

test('once disconnected everything shown agrees: rooms left, no members, no stale busy', () => {
  const { model, take } = setup();
  join(model, '#g', [{ nick: 'me', prefixes: '' }, { nick: 'bob', prefixes: '@' }]);
  model.user({ nick: 'bob', presence: 'busy', awayMessage: 'meeting' });
  model.openDm('bob');
  model.open('#g');
  take();
  model.setConnection({ state: 'disconnected' }, undefined);
  const snap = take().filter((p) => p.type === 'snapshot').at(-1);
  assert.ok(snap?.type === 'snapshot');
  assert.deepEqual(snap.snapshot.members, [], 'no member list while out of the room');
  assert.equal(snap.snapshot.conversations.find((c) => c.id === '#g')?.joined, false);
  assert.equal(snap.snapshot.conversations.find((c) => c.id === 'bob')?.presence, 'offline');
  assert.deepEqual(model.knownNicks(), []);
});

test('after a nick change (our own: root_ → root) the former nick is not offered by Message User', () => {
  const { model } = setup();
  join(model, '#g', [{ nick: 'root_', prefixes: '' }, { nick: 'bob', prefixes: '' }]);
  model.setSelf({ nick: 'root', status: 'online' });
  feed(model, { type: 'renamed', from: 'root_', to: 'root', self: true, rooms: ['#g'] });
  assert.ok(!model.knownNicks().includes('root_'), `${model.knownNicks()}`);
  assert.ok(!model.knownNicks().includes('root'), 'nor our own nick');
  assert.ok(model.knownNicks().includes('bob'));
});

test('while disconnected the view is told where Connect goes (the settings), and told again when they change', () => {
  const { model, take } = setup();
  const connections = () => take().flatMap((p) => (p.type === 'connection' ? [p.connection] : []));
  take();
  model.setConnectTarget('127.0.0.1:6667');
  assert.deepEqual(connections(), [], 'nothing to say while connected');
  model.setConnection({ state: 'disconnected' }, undefined);
  assert.deepEqual(connections(), [{ state: 'disconnected', target: '127.0.0.1:6667' }]);
  model.setConnectTarget('127.0.0.1:6667', 7000);
  assert.deepEqual(connections(), [{ state: 'disconnected', target: '127.0.0.1:6667', hostPort: 7000 }], 'and the port Chat: Host would use');
  model.setConnectTarget('chat.example.com:6697 with TLS');
  assert.deepEqual(connections(), [{ state: 'disconnected', target: 'chat.example.com:6697 with TLS' }]);
  model.setConnectTarget('chat.example.com:6697 with TLS');
  assert.deepEqual(connections(), [], 'no news, no post');
  model.setConnectTarget(undefined);
  assert.deepEqual(connections(), [{ state: 'disconnected' }]);
});

test("conversation ids fold by the server's CASEMAPPING, and are re-keyed when it is announced", () => {
  const { model, take, msg } = setup();
  model.message(msg('Nick[1]', 'Nick[1]', 'hi'), false);
  assert.equal(model.idOf('NICK{1}'), 'nick{1}', 'rfc1459 until the server says');
  assert.equal(model.nameOf('nick{1}'), 'Nick[1]');
  model.setCasemapping('ascii');
  assert.equal(model.idOf('Nick[1]'), 'nick[1]');
  assert.equal(model.nameOf('nick[1]'), 'Nick[1]');
  assert.equal(model.nameOf('nick{1}'), undefined);
  assert.equal(lastSnapshot(take()).active, 'nick[1]');
});

test('the client says what happened: a quit leaves every shared room, a rename is said where the nick is a member', () => {
  const { model } = setup();
  join(model, '#a', [{ nick: 'me', prefixes: '' }, { nick: 'amy', prefixes: '' }]);
  join(model, '#b', [{ nick: 'me', prefixes: '' }, { nick: 'amy', prefixes: '' }]);
  join(model, '#c', [{ nick: 'me', prefixes: '' }]);
  feed(
    model,
    { type: 'renamed', from: 'amy', to: 'Amy', self: false, rooms: ['#a', '#b', '#c'] },
    { type: 'joined', room: '#a', nick: 'bob', self: false },
    { type: 'quit', nick: 'Amy', rooms: ['#a', '#b'], reason: 'bye' },
  );
  const events = (room: string) => model.lines(room).map((l) => l.text);
  assert.deepEqual(events('#a'), ['You joined #a', 'amy is now known as Amy', 'bob joined', 'Amy left (bye)']);
  assert.deepEqual(events('#b'), ['You joined #b', 'amy is now known as Amy', 'Amy left (bye)']);
  assert.deepEqual(events('#c'), ['You joined #c'], 'not a member there: nothing to say');
  assert.deepEqual(model.snapshot().members.map((m) => m.nick), ['bob', 'me']);
});
