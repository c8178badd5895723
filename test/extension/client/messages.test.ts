// Chat lines in and out, and the delivery state of every sent message: echo by label, echo by
// content order, errors, PING round trip, RPL_AWAY, stored notices, multiline batches out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OutgoingMessage } from '../../../src/extension/client/outgoing.ts';
import { transmit } from '../../../src/extension/client/send.ts';
import { parseMessage } from '../../../src/protocol/message.ts';
import { joinMultiline, MULTILINE_CONCAT_TAG } from '../../../src/protocol/multiline.ts';
import type { ChatMessage, MessageStateChange } from '../../../src/extension/client/types.ts';
import { registered, type Fake } from './support/fakeSession.ts';

function send(f: Fake, target: string, text: string, kind: 'privmsg' | 'action' | 'notice' = 'privmsg'): OutgoingMessage {
  const out = f.outgoing.create(target, text, kind);
  out.chat = { target, from: f.s.nick, text, time: new Date(), self: true, kind, localId: out.localId };
  f.state.addMessage(out.chat);
  transmit(f.s, out);
  return out;
}

function watch(f: Fake) {
  const changes: MessageStateChange[] = [];
  const messages: ChatMessage[] = [];
  f.events.messageState.event((c) => changes.push(c));
  f.events.message.event((m) => messages.push(m));
  return { changes, messages };
}

const MODERN = 'echo-message labeled-response batch message-tags server-time';

test('incoming PRIVMSG: room target, DM named after the sender, server-time, msgid, account', () => {
  const f = registered({}, MODERN);
  const { messages } = watch(f);
  f.feed('@time=2026-01-02T03:04:05.678Z;msgid=m1;account=amy :amy!a@x PRIVMSG #dev :hello');
  f.feed(':ben!b@x PRIVMSG me :psst');
  f.feed(':ben!b@x NOTICE me :fyi');
  f.feed(':srv NOTICE me :*** server notice');
  assert.equal(messages.length, 3);
  assert.deepEqual(
    { ...messages[0]!, time: messages[0]!.time.toISOString() },
    { target: '#dev', from: 'amy', text: 'hello', time: '2026-01-02T03:04:05.678Z', msgid: 'm1', account: 'amy', self: false, kind: 'privmsg' },
  );
  assert.equal(messages[1]!.target, 'ben');
  assert.equal(messages[2]!.kind, 'notice');
});

test('a msgid seen twice is shown once', () => {
  const f = registered({}, MODERN);
  const { messages } = watch(f);
  f.feed('@msgid=dup :amy!a@x PRIVMSG #dev :hello', '@msgid=dup :amy!a@x PRIVMSG #dev :hello');
  assert.equal(messages.length, 1);
});

test('CTCP ACTION becomes kind action; CTCP VERSION is answered, not shown', () => {
  const f = registered();
  const { messages } = watch(f);
  f.feed(':amy!a@x PRIVMSG #dev :\x01ACTION waves\x01', ':amy!a@x PRIVMSG me :\x01VERSION\x01');
  assert.deepEqual(messages.map((m) => [m.kind, m.text]), [['action', 'waves']]);
  assert.match(f.take()[0] ?? '', /^NOTICE amy :\x01VERSION .+\x01$/);
});

test('labeled echo confirms the message with msgid and time, and is not shown twice', () => {
  const f = registered({}, MODERN);
  const { changes, messages } = watch(f);
  const out = send(f, '#dev', 'hi');
  const [line] = f.take();
  assert.match(line!, /^@label=(\S+) PRIVMSG #dev hi$/);
  const label = /label=(\S+)/.exec(line!)![1];
  f.feed(`@label=${label};msgid=abc;time=2026-01-01T00:00:00.000Z :me!u@h PRIVMSG #dev hi`);
  assert.deepEqual(changes.map((c) => [c.localId, c.state, c.msgid]), [[out.localId, 'delivered', 'abc']]);
  assert.equal(messages.length, 0);
  assert.equal(out.chat?.msgid, 'abc');
  f.feed('@msgid=abc :me!u@h PRIVMSG #dev hi');
  assert.equal(messages.length, 0, 'a replay of the same msgid is a duplicate');
});

test('labeled 401 fails the message with the reason', () => {
  const f = registered({}, MODERN);
  const { changes } = watch(f);
  const out = send(f, 'ghost', 'hi');
  const label = /label=(\S+)/.exec(f.take()[0]!)![1];
  f.feed(`@label=${label} :srv 401 me ghost :No such nick/channel`);
  assert.deepEqual(changes, [{ localId: out.localId, target: 'ghost', state: 'failed', reason: 'ghost: No such nick/channel' }]);
});

test('echo-message without labels: echoes settle messages in the order sent, errors the oldest open one', () => {
  const f = registered({}, 'echo-message');
  const { changes } = watch(f);
  const a = send(f, '#dev', 'one');
  const b = send(f, '#dev', 'two');
  const c = send(f, '#nope', 'three');
  assert.deepEqual(f.take(), ['PRIVMSG #dev one', 'PRIVMSG #dev two', 'PRIVMSG #nope three']);
  f.feed(':me!u@h PRIVMSG #dev one', ':srv 403 me #nope :No such channel', ':me!u@h PRIVMSG #dev two');
  assert.deepEqual(
    changes.map((x) => [x.localId, x.state]),
    [
      [a.localId, 'delivered'],
      [c.localId, 'failed'],
      [b.localId, 'delivered'],
    ],
  );
});

test('no echo-message: delivered after the PING sent behind it comes back without an error', () => {
  const f = registered();
  const { changes } = watch(f);
  const ok = send(f, '#dev', 'hello');
  const [msgLine, ping] = f.take();
  assert.equal(msgLine, 'PRIVMSG #dev hello');
  const token = /^PING (\S+)$/.exec(ping!)![1];
  const bad = send(f, 'ghost', 'hi');
  const ping2 = /^PING (\S+)$/.exec(f.take()[1]!)![1];
  f.feed(`:srv PONG srv :${token}`, ':srv 401 me ghost :No such nick', `:srv PONG srv :${ping2}`);
  assert.deepEqual(changes.map((x) => [x.localId, x.state]), [
    [ok.localId, 'delivered'],
    [bad.localId, 'failed'],
  ]);
});

test('RPL_AWAY on a DM: delivered, with the away message; an offline notice means stored', () => {
  const f = registered();
  const { changes } = watch(f);
  send(f, 'amy', 'hi');
  const token = /PING (\S+)/.exec(f.take()[1]!)![1];
  f.feed(':srv 301 me amy :[busy] in a meeting', `:srv PONG srv :${token}`);
  assert.deepEqual(changes.map((c) => [c.state, c.awayMessage]), [['delivered', '[busy] in a meeting']]);
  assert.equal(f.state.user('amy')?.presence, 'busy');

  const g = registered({}, MODERN);
  const w = watch(g);
  const out = send(g, 'ben', 'see you');
  const label = /label=(\S+)/.exec(g.take()[0]!)![1];
  g.feed(`@label=${label} :srv BATCH +lr labeled-response`);
  g.feed('@batch=lr :srv 301 me ben :ben is offline; your message was stored and will be delivered when they return');
  g.feed('@batch=lr :srv NOTE PRIVMSG STORED_OFFLINE ben :ben is offline; your message was stored');
  g.feed(`@batch=lr;msgid=s1 :me!u@h PRIVMSG ben :see you`, ':srv BATCH -lr');
  assert.deepEqual(w.changes.map((c) => [c.localId, c.state]), [[out.localId, 'stored']]);
  assert.equal(g.state.user('ben')?.presence, 'offline', 'offline, not away');
  assert.equal(w.messages.length, 0, 'the echo after the notice is still recognised as ours');
  assert.equal(out.chat?.msgid, 's1');
});

test('long text splits on UTF-8 boundaries so each relayed line fits 512 bytes', () => {
  const f = registered();
  const text = '€'.repeat(400);
  send(f, '#dev', text);
  const lines = f.take().filter((l) => l.startsWith('PRIVMSG'));
  assert.ok(lines.length >= 3);
  assert.equal(lines.map((l) => l.replace(/^PRIVMSG #dev :?/, '')).join(''), text);
  for (const l of lines) assert.ok(Buffer.byteLength(`:me!user@host.example ${l}\r\n`) <= 512);
});

test('an ACTION is wrapped in CTCP and budgeted for it', () => {
  const f = registered();
  send(f, '#dev', 'waves', 'action');
  assert.equal(f.take()[0], 'PRIVMSG #dev :\x01ACTION waves\x01');
});

test('draft/multiline: several lines go as one batch with the label on BATCH; long lines continue with concat', () => {
  const f = registered({}, `${MODERN} draft/multiline=max-bytes=4096,max-lines=10`);
  const { changes } = watch(f);
  const out = send(f, '#dev', `line one\n\n${'x'.repeat(600)}`);
  const lines = f.take();
  assert.match(lines[0]!, /^@label=\S+ BATCH \+(\S+) draft\/multiline #dev$/);
  const ref = /BATCH \+(\S+)/.exec(lines[0]!)![1];
  assert.equal(lines[1], `@batch=${ref} PRIVMSG #dev :line one`);
  assert.equal(lines[2], `@batch=${ref} PRIVMSG #dev :`);
  assert.match(lines[4]!, new RegExp(`^@batch=${ref};draft/multiline-concat PRIVMSG #dev x+$`));
  assert.equal(lines.at(-1), `BATCH -${ref}`);
  const label = /label=(\S+)/.exec(lines[0]!)![1];
  f.feed(
    `@label=${label};msgid=ml1 :me!u@h BATCH +srv1 draft/multiline #dev`,
    '@batch=srv1 :me!u@h PRIVMSG #dev :line one',
    '@batch=srv1 :me!u@h PRIVMSG #dev :',
    `@batch=srv1 :me!u@h PRIVMSG #dev :${'x'.repeat(400)}`,
    `@batch=srv1;draft/multiline-concat :me!u@h PRIVMSG #dev :${'x'.repeat(200)}`,
    ':srv BATCH -srv1',
  );
  assert.deepEqual(changes.map((c) => [c.localId, c.state, c.msgid]), [[out.localId, 'delivered', 'ml1']]);
});

test('draft/multiline: a long line split between words is joined back whole (the space stays with concat)', () => {
  const f = registered({}, `${MODERN} draft/multiline=max-bytes=8192,max-lines=20`);
  const text = `${'word '.repeat(150).trim()}\nsecond`;
  send(f, '#dev', text);
  const lines = f.take().map(parseMessage).filter((m) => m.command === 'PRIVMSG');
  assert.ok(lines.some((m) => m.tags[MULTILINE_CONCAT_TAG] !== undefined), 'the long line was split');
  assert.equal(joinMultiline(lines.map((m) => ({ text: m.params[1]!, concat: m.tags[MULTILINE_CONCAT_TAG] !== undefined }))), text);
});

test('without draft/multiline, lines go as separate PRIVMSGs (blank lines dropped)', () => {
  const f = registered({}, 'echo-message');
  send(f, '#dev', 'a\n\nb');
  assert.deepEqual(f.take(), ['PRIVMSG #dev a', 'PRIVMSG #dev b']);
});

test('a batch over max-lines falls back to separate lines', () => {
  const f = registered({}, `${MODERN} draft/multiline=max-bytes=4096,max-lines=2`);
  send(f, '#dev', 'a\nb\nc');
  assert.equal(f.take().filter((l) => l.includes('BATCH')).length, 0);
});

test('the link dropping fails pending messages (no automatic resend)', () => {
  const f = registered({}, MODERN);
  const { changes } = watch(f);
  send(f, '#dev', 'in flight');
  f.outgoing.failAllPending('lost');
  assert.deepEqual(changes.map((c) => [c.state, c.reason]), [['failed', 'lost']]);
});

test('any other labeled error numeric fails the message with its text', () => {
  const f = registered({}, MODERN);
  const { changes } = watch(f);
  send(f, '#a,#b,#c,#d,#e', 'hi');
  const label = /label=(\S+)/.exec(f.take()[0]!)![1];
  f.feed(`@label=${label} :srv 407 me #a,#b,#c,#d,#e :Too many targets`);
  assert.deepEqual(changes.map((c) => [c.state, c.reason]), [['failed', 'Too many targets']]);
});
