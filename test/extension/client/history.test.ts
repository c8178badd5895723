// Batches in: draft/multiline joined into one message, chathistory pages (LATEST on join,
// BEFORE for loadOlder), msgid dedupe against what is already held, labeled-response batches.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatMessage, HistoryPage } from '../../../src/extension/client/types.ts';
import { registered } from './support/fakeSession.ts';

const MODERN = 'echo-message labeled-response batch message-tags server-time draft/chathistory draft/multiline=max-bytes=4096';

test('a received multiline batch is one message; concat lines join without a newline', () => {
  const f = registered({}, MODERN);
  const got: ChatMessage[] = [];
  f.events.message.event((m) => got.push(m));
  f.feed(
    '@msgid=ml;time=2026-01-01T10:00:00.000Z :amy!a@x BATCH +b1 draft/multiline #dev',
    '@batch=b1 :amy!a@x PRIVMSG #dev :first',
    '@batch=b1 :amy!a@x PRIVMSG #dev :sec',
    '@batch=b1;draft/multiline-concat :amy!a@x PRIVMSG #dev :ond',
    ':srv BATCH -b1',
  );
  assert.equal(got.length, 1);
  assert.equal(got[0]!.text, 'first\nsecond');
  assert.equal(got[0]!.msgid, 'ml');
  assert.equal(got[0]!.from, 'amy');
  assert.equal(got[0]!.time.toISOString(), '2026-01-01T10:00:00.000Z');
});

test('joining asks CHATHISTORY LATEST; the batch becomes history messages, in time order', () => {
  const f = registered({ historyOnJoin: 20 }, MODERN, ['CHATHISTORY=10']);
  const got: ChatMessage[] = [];
  const pages: HistoryPage[] = [];
  f.events.message.event((m) => got.push(m));
  f.events.history.event((p) => pages.push(p));
  f.feed(':me!u@h JOIN #dev');
  assert.deepEqual(f.take(), ['WHO #dev', 'CHATHISTORY LATEST #dev * 10'], 'limit capped by ISUPPORT CHATHISTORY');
  f.feed(
    ':srv BATCH +h1 chathistory #dev',
    '@batch=h1;msgid=a;time=2026-01-01T10:00:00.000Z :amy!a@x PRIVMSG #dev :one',
    '@batch=h1;msgid=b;time=2026-01-01T10:01:00.000Z :me!u@h PRIVMSG #dev :mine',
    '@batch=h1;msgid=c;time=2026-01-01T10:02:00.000Z :amy!a@x TAGMSG #dev',
    ':srv BATCH -h1',
  );
  assert.deepEqual(got.map((m) => [m.text, m.history, m.self]), [
    ['one', true, false],
    ['mine', true, true],
  ]);
  assert.equal(pages.length, 1);
  assert.equal(pages[0]!.target, '#dev');
});

test('loadOlder asks BEFORE the oldest msgid held and resolves with the new page, deduplicated', async () => {
  const f = registered({}, MODERN);
  f.feed('@msgid=m5;time=2026-01-01T10:05:00.000Z :amy!a@x PRIVMSG #dev :five');
  const older = f.features.history.before(f.s, '#dev', 3);
  assert.deepEqual(f.take(), ['CHATHISTORY BEFORE #dev msgid=m5 3']);
  f.feed(
    '@label=x :srv BATCH +lr labeled-response',
    '@batch=lr :srv BATCH +h2 chathistory #dev',
    '@batch=h2;msgid=m3;time=2026-01-01T10:03:00.000Z :amy!a@x PRIVMSG #dev :three',
    '@batch=h2;msgid=m4;time=2026-01-01T10:04:00.000Z :amy!a@x PRIVMSG #dev :four',
    '@batch=h2;msgid=m5;time=2026-01-01T10:05:00.000Z :amy!a@x PRIVMSG #dev :five',
    '@batch=lr :srv BATCH -h2',
    ':srv BATCH -lr',
  );
  const page = await older;
  assert.deepEqual(page.map((m) => m.text), ['three', 'four']);
  assert.deepEqual(f.state.conversation('#dev').messages.map((m) => m.text), ['three', 'four', 'five']);
});

test('an older page keeps the server order when messages share a millisecond with what is held', async () => {
  const f = registered({}, MODERN);
  const T = '2026-01-01T10:05:00.123Z';
  f.feed(`@msgid=m7;time=${T} :amy!a@x PRIVMSG #dev :m7`);
  const older = f.features.history.before(f.s, '#dev', 3);
  f.take();
  f.feed(
    ':srv BATCH +h3 chathistory #dev',
    `@batch=h3;msgid=m5;time=${T} :amy!a@x PRIVMSG #dev :m5`,
    `@batch=h3;msgid=m6;time=${T} :amy!a@x PRIVMSG #dev :m6`,
    ':srv BATCH -h3',
  );
  assert.deepEqual((await older).map((m) => m.text), ['m5', 'm6']);
  assert.deepEqual(f.state.conversation('#dev').messages.map((m) => m.text), ['m5', 'm6', 'm7']);
});

test('a multiline batch inside a chathistory batch is one history message', () => {
  const f = registered({}, MODERN);
  const got: ChatMessage[] = [];
  f.events.message.event((m) => got.push(m));
  void f.features.history.latest(f.s, 'amy', 10);
  f.feed(
    ':srv BATCH +h chathistory amy',
    '@batch=h;msgid=x;time=2026-01-01T10:00:00.000Z :amy!a@x BATCH +m draft/multiline me',
    '@batch=m :amy!a@x PRIVMSG me :a',
    '@batch=m :amy!a@x PRIVMSG me :b',
    '@batch=h :srv BATCH -m',
    ':srv BATCH -h',
  );
  assert.deepEqual(got.map((m) => [m.target, m.text, m.history]), [['amy', 'a\nb', true]]);
});

test('FAIL CHATHISTORY rejects the request', async () => {
  const f = registered({}, MODERN);
  const p = f.features.history.latest(f.s, '#dev', 5);
  f.feed(':srv FAIL CHATHISTORY INVALID_TARGET LATEST #dev :No such target');
  await assert.rejects(p, /No such target/);
});

test('without draft/chathistory nothing is requested and loadOlder gives nothing', async () => {
  const f = registered({ historyOnJoin: 20 }, 'batch');
  f.feed(':me!u@h JOIN #dev');
  assert.deepEqual(f.take(), ['WHO #dev']);
  assert.deepEqual(await f.features.history.before(f.s, '#dev', 5), []);
});

test('batches cannot grow without bound', () => {
  const f = registered({}, MODERN);
  const got: ChatMessage[] = [];
  f.events.message.event((m) => got.push(m));
  for (let i = 0; i < 200; i++) f.feed(`:srv BATCH +open${i} netsplit a b`);
  assert.ok(f.s.batches.size <= 64);
});

test('rejoining bounds LATEST by the newest msgid held, so only the gap is fetched', () => {
  const f = registered({ historyOnJoin: 50 }, MODERN);
  f.feed('@msgid=old1;time=2026-01-01T10:00:00.000Z :amy!a@x PRIVMSG #dev :before the drop');
  f.feed(':me!u@h JOIN #dev');
  assert.deepEqual(f.take(), ['WHO #dev', 'CHATHISTORY LATEST #dev msgid=old1 50']);
});

test('loadOlder with nothing held returns the newest page without firing it as live messages', async () => {
  const f = registered({}, MODERN);
  const fired: ChatMessage[] = [];
  f.events.message.event((m) => fired.push(m));
  const page = f.features.history.before(f.s, 'amy', 10);
  assert.deepEqual(f.take(), ['CHATHISTORY LATEST amy * 10']);
  f.feed(':srv BATCH +h chathistory amy', '@batch=h;msgid=z;time=2026-01-01T10:00:00.000Z :amy!a@x PRIVMSG me :old dm', ':srv BATCH -h');
  assert.deepEqual((await page).map((m) => [m.target, m.text]), [['amy', 'old dm']]);
  assert.equal(fired.length, 0);
});

test('after the welcome, CHATHISTORY TARGETS finds direct conversations and fetches each', () => {
  const f = registered({ historyOnJoin: 20 }, MODERN);
  f.s.welcomed = false;
  f.feed(':srv 376 me :End of MOTD');
  const [targets] = f.take();
  assert.match(targets!, /^CHATHISTORY TARGETS timestamp=\S+ timestamp=\S+ 20$/);
  f.feed(
    ':srv BATCH +t draft/chathistory-targets',
    '@batch=t :srv CHATHISTORY TARGETS #dev timestamp=2026-01-01T10:00:00.000Z',
    '@batch=t :srv CHATHISTORY TARGETS amy timestamp=2026-01-01T09:00:00.000Z',
    '@batch=t :srv CHATHISTORY TARGETS ben timestamp=2026-01-01T11:00:00.000Z',
    ':srv BATCH -t',
  );
  assert.deepEqual(f.take(), ['CHATHISTORY LATEST ben * 20', 'CHATHISTORY LATEST amy * 20'], 'rooms come with JOIN; newest DM first');
});
