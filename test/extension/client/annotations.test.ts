// Issue 13 in the client core: reactions (TAGMSG +draft/react / +draft/unreact with +draft/reply),
// replies (+draft/reply on PRIVMSG), deletions (REDACT), live and replayed in chathistory; SEARCH
// (soju.im/search) and CHATHISTORY AROUND. Our server does not have these yet (wip/modsrv builds
// them): the handler tests use the wire-less fake session, the sending tests the scripted TCP
// server (test/extension/client/support/fakeServer.ts) offering the capabilities.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { ChatEvent } from '../../../src/extension/client/chatEvents.ts';
import { clientTagDenied, IrcClient } from '../../../src/extension/client/ircClient.ts';
import { Search, searchAttributes } from '../../../src/extension/client/search.ts';
import type { ChatMessage } from '../../../src/extension/client/types.ts';
import { registered } from './support/fakeSession.ts';
import { startFakeServer, type FakeConnection } from './support/fakeServer.ts';
import { nextEvent } from './support/wait.ts';

const MODERN = 'echo-message batch message-tags server-time draft/chathistory draft/message-redaction soju.im/search';

function events(f: ReturnType<typeof registered>): ChatEvent[] {
  const got: ChatEvent[] = [];
  f.events.chat.event((e) => got.push(e));
  return got;
}

test('a reaction and its removal arrive as typed events, in rooms and DMs', () => {
  const f = registered({}, MODERN);
  const got = events(f);
  f.feed(
    '@+draft/react=👍;+draft/reply=m1 :amy!a@x TAGMSG #dev',
    '@+draft/unreact=👍;+draft/reply=m1 :amy!a@x TAGMSG #dev',
    '@+draft/react=🎉;+draft/reply=d1 :bob!b@x TAGMSG me',
    '@+typing=active :bob!b@x TAGMSG me',
    '@+draft/react=👍 :bob!b@x TAGMSG #dev',
  );
  const reactions = got.flatMap((e) => (e.type === 'reaction' ? [e.reaction] : []));
  assert.deepEqual(reactions, [
    { target: '#dev', msgid: 'm1', nick: 'amy', reaction: '👍', remove: false, self: false },
    { target: '#dev', msgid: 'm1', nick: 'amy', reaction: '👍', remove: true, self: false },
    { target: 'bob', msgid: 'd1', nick: 'bob', reaction: '🎉', remove: false, self: false },
  ], 'a DM reaction belongs to the conversation with its sender; no +draft/reply, no reaction');
  assert.ok(got.some((e) => e.type === 'typing'), 'typing still works');
});

test('a reply carries the msgid it answers; a REDACT is a redaction event', () => {
  const f = registered({}, MODERN);
  const got = events(f);
  f.feed(
    '@msgid=m2;+draft/reply=m1 :amy!a@x PRIVMSG #dev :agreed',
    ':amy!a@x REDACT #dev m2 :typo',
    ':op!o@x REDACT #dev m1',
  );
  const m = got.find((e) => e.type === 'message');
  assert.ok(m?.type === 'message');
  assert.equal(m.message.replyTo, 'm1');
  assert.deepEqual(got.flatMap((e) => (e.type === 'redaction' ? [e.redaction] : [])), [
    { target: '#dev', msgid: 'm2', by: 'amy', reason: 'typo' },
    { target: '#dev', msgid: 'm1', by: 'op' },
  ]);
  const held = f.state.conversations.get('#dev')!.messages.find((m) => m.msgid === 'm2');
  assert.deepEqual([held?.text, held?.redacted], ['', true], 'the client forgets the deleted text too (transcripts, scroll-back)');
});

test('history replays reactions and deletions after the messages of its page', () => {
  const f = registered({ historyOnJoin: 20 }, MODERN);
  const got = events(f);
  f.feed(':me!u@h JOIN #dev');
  f.take();
  f.feed(
    ':srv BATCH +h1 chathistory #dev',
    '@batch=h1;msgid=a;time=2026-01-01T10:00:00.000Z :amy!a@x PRIVMSG #dev :one',
    '@batch=h1;time=2026-01-01T10:00:30.000Z;+draft/react=👍;+draft/reply=a :bob!b@x TAGMSG #dev',
    '@batch=h1;time=2026-01-01T10:00:40.000Z :amy!a@x REDACT #dev b',
    '@batch=h1;msgid=b;time=2026-01-01T10:01:00.000Z :amy!a@x PRIVMSG #dev :two',
    ':srv BATCH -h1',
  );
  const order = got.filter((e) => e.type !== 'joined' && e.type !== 'historyPage').map((e) => e.type);
  assert.deepEqual(order, ['message', 'message', 'reaction', 'redaction']);
  const r = got.find((e) => e.type === 'reaction');
  assert.ok(r?.type === 'reaction' && r.reaction.history === true && r.reaction.target === '#dev');
});

test('SEARCH: attributes escaped, results newest first from the batch; FAIL SEARCH rejects', async () => {
  assert.equal(
    searchAttributes({ in: '#dev', from: 'amy', text: 'deploy; now', after: new Date('2026-12-01T00:00:00Z'), limit: 20 }),
    'in=#dev;from=amy;after=2026-12-01T00:00:00.000Z;text=deploy\\:\\snow;limit=20',
  );
  const f = registered({}, MODERN);
  const found = f.features.search.request(f.s, { text: 'deploy' });
  assert.deepEqual(f.take(), ['SEARCH text=deploy;limit=50']);
  f.feed(
    ':srv BATCH +s1 soju.im/search',
    '@batch=s1;msgid=x1;time=2026-12-01T10:00:00.000Z :amy!a@x PRIVMSG #dev :deploy at noon',
    '@batch=s1;msgid=x2;time=2026-12-02T10:00:00.000Z :bob!b@x PRIVMSG me :deploy done?',
    ':srv BATCH -s1',
  );
  const hits = await found;
  assert.deepEqual(hits.map((h) => [h.target, h.from, h.msgid]), [['bob', 'bob', 'x2'], ['#dev', 'amy', 'x1']]);
  const failing = f.features.search.request(f.s, { text: 'x' });
  f.feed(':srv FAIL SEARCH INVALID_PARAMS :Unknown attribute');
  await assert.rejects(failing, /Unknown attribute/);
  const bare = registered({}, 'batch');
  await assert.rejects(bare.features.search.request(bare.s, { text: 'x' }), /does not support search/);
  assert.deepEqual(bare.take(), [], 'nothing asked of a server without the capability');
});

test('SEARCH with labeled-response: each answer settles its own search, whatever the order; ACK and error numerics too', async () => {
  const f = registered({}, `${MODERN} labeled-response`);
  const first = f.features.search.request(f.s, { text: 'deploy' });
  const second = f.features.search.request(f.s, { text: 'noon' });
  const third = f.features.search.request(f.s, { text: 'x' });
  const fourth = f.features.search.request(f.s, { text: 'y' });
  assert.deepEqual(f.take(), [
    '@label=search1 SEARCH text=deploy;limit=50',
    '@label=search2 SEARCH text=noon;limit=50',
    '@label=search3 SEARCH text=x;limit=50',
    '@label=search4 SEARCH text=y;limit=50',
  ]);
  // The second is answered first (in a labeled-response batch), the first by a batch carrying the label itself.
  f.feed(
    '@label=search2 :srv BATCH +lr labeled-response',
    '@batch=lr :srv BATCH +s2 soju.im/search',
    '@batch=s2;msgid=n1;time=2026-12-01T12:00:00.000Z :amy!a@x PRIVMSG #dev :lunch at noon',
    '@batch=lr :srv BATCH -s2',
    ':srv BATCH -lr',
    '@label=search1 :srv BATCH +s1 soju.im/search',
    '@batch=s1;msgid=d1;time=2026-12-01T10:00:00.000Z :amy!a@x PRIVMSG #dev :deploy at ten',
    ':srv BATCH -s1',
    '@label=search3 :srv ACK',
    '@label=search4 :srv 421 me SEARCH :Unknown command',
  );
  assert.deepEqual((await second).map((h) => h.msgid), ['n1']);
  assert.deepEqual((await first).map((h) => h.msgid), ['d1']);
  assert.deepEqual(await third, [], 'an ACK is an answer with nothing found');
  await assert.rejects(fourth, /Unknown command/);
});

test('SEARCH unanswered: the user is told after the timeout; a late answer is not taken for the next search', async () => {
  const sent: string[] = [];
  const link = { hasCap: (c: string) => ['batch', 'soju.im/search'].includes(c), send: (m: { params: string[] }) => sent.push(m.params[0]!) };
  const search = new Search(20);
  const lost = search.request(link, { text: 'lost' });
  await assert.rejects(lost, /did not answer the search/);
  const next = search.request(link, { text: 'next' });
  const late: ChatMessage = { target: '#dev', from: 'amy', text: 'lost and found', time: new Date('2026-12-01T10:00:00Z'), msgid: 'late' } as ChatMessage;
  const own: ChatMessage = { target: '#dev', from: 'amy', text: 'next one', time: new Date('2026-12-01T11:00:00Z'), msgid: 'own' } as ChatMessage;
  search.received([late]);
  search.received([own]);
  assert.deepEqual((await next).map((h) => h.msgid), ['own']);
  assert.deepEqual(sent, ['text=lost;limit=50', 'text=next;limit=50']);
});

test('CHATHISTORY AROUND: the page around a message, not recorded as held (no gap in what is)', async () => {
  const f = registered({}, MODERN);
  f.feed('@msgid=m9;time=2026-01-01T10:09:00.000Z :amy!a@x PRIVMSG #dev :latest');
  const page = f.features.history.around(f.s, '#dev', 'm2', 5);
  assert.deepEqual(f.take(), ['CHATHISTORY AROUND #dev msgid=m2 5']);
  f.feed(
    ':srv BATCH +h chathistory #dev',
    '@batch=h;msgid=m1;time=2026-01-01T10:01:00.000Z :amy!a@x PRIVMSG #dev :one',
    '@batch=h;msgid=m2;time=2026-01-01T10:02:00.000Z :amy!a@x PRIVMSG #dev :two',
    ':srv BATCH -h',
  );
  assert.deepEqual((await page).map((m: ChatMessage) => m.msgid), ['m1', 'm2']);
  assert.deepEqual(f.state.conversations.get('#dev')!.messages.map((m) => m.msgid), ['m9']);
});

test('CLIENTTAGDENY hides what the server will not relay', () => {
  assert.equal(clientTagDenied(undefined, '+draft/react'), false);
  assert.equal(clientTagDenied('*', '+draft/react'), true);
  assert.equal(clientTagDenied('*,-draft/react', '+draft/react'), false);
  assert.equal(clientTagDenied('draft/react', '+draft/react'), true);
  assert.equal(clientTagDenied('draft/react', '+draft/reply'), false);
});

// ---- over TCP, through IrcClient ----

const servers: Array<{ close(): Promise<void> }> = [];
const clients: IrcClient[] = [];
after(async () => {
  for (const c of clients) c.dispose();
  for (const s of servers) await s.close();
});

/** A scripted server offering `caps`; answers CAP, registration, and records what the client sends. */
async function capServer(caps: string) {
  const s = await startFakeServer((conn: FakeConnection, line: string) => {
    if (line.startsWith('CAP LS')) conn.send(`:fake CAP * LS :${caps}`);
    else if (line.startsWith('CAP REQ')) conn.send(`:fake CAP * ACK :${line.replace(/^CAP REQ :?/, '')}`);
    else if (line.startsWith('USER') || line === 'CAP END') {
      if (!conn.lines.includes('CAP END') || !conn.lines.some((l) => l.startsWith('USER'))) return;
      conn.send(':fake 001 me :Welcome me!u@127.0.0.1');
      conn.send(':fake 376 me :End of MOTD');
    }
  });
  servers.push(s);
  const c = new IrcClient({ host: '127.0.0.1', port: s.port, nick: 'me', historyOnJoin: 0, presencePollMs: 0 });
  clients.push(c);
  await c.connect();
  return { s, c };
}

test('IrcClient sends reactions, replies and deletions where the server has the capabilities', async () => {
  const { s, c } = await capServer('message-tags draft/message-redaction batch');
  assert.equal(c.supports('reactions'), true);
  assert.equal(c.supports('redaction'), true);
  assert.equal(c.supports('search'), false);
  const own = nextEvent(c.onDidChat, (e) => e.type === 'reaction', 'our reaction (no echo-message: announced locally)');
  assert.equal(c.react('#dev', 'm1', '👍'), true);
  const e = await own;
  assert.deepEqual(e.type === 'reaction' ? e.reaction : undefined, { target: '#dev', msgid: 'm1', nick: 'me', reaction: '👍', remove: false, self: true });
  assert.equal(c.react('#dev', 'm1', '👍', true), true);
  c.sendMessage('#dev', 'yes', { replyTo: 'm1' });
  assert.equal(c.redact('#dev', 'm3', 'oops'), true);
  await s.waitLine(/^REDACT/, 'REDACT');
  const sent = s.connections[0]!.lines.filter((l) => /TAGMSG|PRIVMSG|REDACT/.test(l));
  assert.deepEqual(sent, [
    '@+draft/react=👍;+draft/reply=m1 TAGMSG #dev',
    '@+draft/unreact=👍;+draft/reply=m1 TAGMSG #dev',
    '@+draft/reply=m1 PRIVMSG #dev yes',
    'REDACT #dev m3 oops',
  ]);
});

test('against a server without them (ngircd-like): nothing is sent, the features say no', async () => {
  const { s, c } = await capServer('');
  for (const f of ['reactions', 'replies', 'redaction', 'search'] as const) assert.equal(c.supports(f), false, f);
  assert.equal(c.react('#dev', 'm1', '👍'), false);
  assert.equal(c.redact('#dev', 'm1'), false);
  c.sendMessage('#dev', 'plain', { replyTo: 'm1' });
  await s.waitLine(/PRIVMSG/, 'the message');
  assert.deepEqual(s.connections[0]!.lines.filter((l) => /TAGMSG|PRIVMSG|REDACT/.test(l)), ['PRIVMSG #dev plain'], 'no tag the server would not take');
});
