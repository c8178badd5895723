// Presence from AWAY (busy convention), away-notify, WHO/WHOX, MONITOR; typing in and out.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { awayCommand, presenceFromAway } from '../../../src/extension/client/presence.ts';
import { Typing } from '../../../src/extension/client/typing.ts';
import { serializeMessage } from '../../../src/protocol/message.ts';
import type { TypingChange, UserInfo } from '../../../src/extension/client/types.ts';
import { registered } from './support/fakeSession.ts';

test('the busy convention: an away message starting with [busy]', () => {
  assert.deepEqual(presenceFromAway('[busy] in a meeting'), { presence: 'busy', message: 'in a meeting' });
  assert.deepEqual(presenceFromAway('[BUSY]'), { presence: 'busy' });
  assert.deepEqual(presenceFromAway('lunch'), { presence: 'away', message: 'lunch' });
  assert.deepEqual(presenceFromAway(undefined), { presence: 'online' });
  assert.equal(serializeMessage(awayCommand('busy', 'in a meeting')), 'AWAY :[busy] in a meeting');
  assert.equal(serializeMessage(awayCommand('away')), 'AWAY Away');
  assert.equal(serializeMessage(awayCommand('online')), 'AWAY');
});

test('away-notify AWAY lines change a member presence', () => {
  const f = registered({}, 'away-notify');
  const users: UserInfo[] = [];
  f.events.user.event((u) => users.push(u));
  f.feed(':me!u@h JOIN #a', ':amy!a@x JOIN #a');
  f.feed(':amy!a@x AWAY :[busy] focus', ':amy!a@x AWAY');
  assert.deepEqual(users.slice(-2).map((u) => [u.presence, u.awayMessage]), [
    ['busy', 'focus'],
    ['online', undefined],
  ]);
});

test('WHOX replies give the away flag and the account; plain WHO the away flag', () => {
  const f = registered({}, '', ['WHOX']);
  f.feed(':srv 354 me 734 #a amy G 0', ':srv 354 me 734 #a ben H@ ben_acct', ':srv 354 me 999 #a cat G 0');
  assert.equal(f.state.user('amy')?.presence, 'away');
  assert.equal(f.state.user('amy')?.account, null);
  assert.equal(f.state.user('ben')?.account, 'ben_acct');
  assert.equal(f.state.user('cat'), undefined, "someone else's WHOX token is ignored");
  f.feed(':srv 352 me #a ~d host srv dan G :0 Dan');
  assert.equal(f.state.user('dan')?.presence, 'away');
});

test('MONITOR: partners are watched after the welcome and 730/731 mark them online/offline', () => {
  const f = registered({}, '', ['MONITOR=100']);
  f.features.watch(f.s, 'amy');
  assert.deepEqual(f.take(), ['MONITOR + amy']);
  f.feed(':srv 731 me :amy', ':srv 730 me :ben!b@x');
  assert.equal(f.state.user('amy')?.presence, 'offline');
  assert.equal(f.state.user('ben')?.presence, 'online');
  const g = registered();
  g.features.watch(g.s, 'amy');
  assert.deepEqual(g.take(), [], 'no MONITOR on a server without it');
});

test('without MONITOR: watched users are polled with USERHOST (five a line); 302 sets online/away/offline', () => {
  const f = registered({ presencePollMs: 60_000 });
  try {
    f.features.watch(f.s, 'amy');
    assert.deepEqual(f.take(), ['USERHOST amy'], 'a newly watched nick is asked at once');
    f.feed(':srv 302 me :amy=+a@host');
    assert.equal(f.state.user('amy')?.presence, 'online');
    for (const n of ['ben', 'cat', 'dan', 'eve', 'fay']) f.features.watch(f.s, n);
    assert.equal(f.take().length, 5);
    // As after a (re)connect: everyone watched, five nicks a line; unanswered questions are dropped.
    f.features.presencePoll.start(f.s, () => f.features.monitored.values());
    assert.deepEqual(f.take(), ['USERHOST amy ben cat dan eve', 'USERHOST fay']);
    f.feed(':srv 302 me :amy=-a@host BEN*=+b@host', ':srv 302 me :');
    assert.equal(f.state.user('amy')?.presence, 'away', '- is away');
    assert.equal(f.state.user('ben')?.presence, 'online', 'nicks compare under the casemapping; * (oper) is fine');
    assert.equal(f.state.user('cat')?.presence, 'offline', 'asked and not answered: offline');
    assert.equal(f.state.user('fay')?.presence, 'offline');
    // Busy learnt from a 301 stays busy while USERHOST says away.
    f.feed(':srv 301 me amy :[busy] in a call');
    f.features.presencePoll.poll(f.s, ['amy']);
    f.feed(':srv 302 me :amy=-a@host');
    assert.equal(f.state.user('amy')?.presence, 'busy');
    // A 302 nobody asked for (a /quote USERHOST) changes nothing.
    f.feed(':srv 302 me :');
    assert.equal(f.state.user('amy')?.presence, 'busy');
  } finally {
    f.features.dispose();
  }
});

test('with MONITOR no USERHOST is sent', () => {
  const f = registered({ presencePollMs: 60_000 }, '', ['MONITOR=100']);
  try {
    f.features.watch(f.s, 'amy');
    assert.deepEqual(f.take(), ['MONITOR + amy']);
  } finally {
    f.features.dispose();
  }
});

test('typing out: TAGMSG +typing=active at most every 3 s, done only after active', () => {
  const f = registered({}, 'message-tags');
  let now = 1000;
  const typing = new Typing(() => now);
  assert.equal(typing.send(f.s, '#a', 'done'), false);
  assert.equal(typing.send(f.s, '#a', 'active'), true);
  now += 1000;
  assert.equal(typing.send(f.s, '#a', 'active'), false);
  now += 2500;
  assert.equal(typing.send(f.s, '#a', 'active'), true);
  assert.equal(typing.send(f.s, '#a', 'done'), true);
  assert.deepEqual(f.take(), ['@+typing=active TAGMSG #a', '@+typing=active TAGMSG #a', '@+typing=done TAGMSG #a']);
  const plain = registered();
  assert.equal(plain.features.typing.send(plain.s, '#a', 'active'), false, 'not without message-tags');
});

test('typing in: active expires after 6 s without an update; a message clears it', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const f = registered({}, 'message-tags');
    const changes: TypingChange[] = [];
    f.events.typing.event((t) => changes.push(t));
    f.feed('@+typing=active :amy!a@x TAGMSG #a');
    mock.timers.tick(5000);
    f.feed('@+typing=active :amy!a@x TAGMSG #a');
    mock.timers.tick(5000);
    assert.deepEqual(changes.map((c) => c.state), ['active', 'active']);
    mock.timers.tick(1001);
    assert.deepEqual(changes.map((c) => c.state), ['active', 'active', 'done']);
    f.feed('@+typing=active :ben!b@x TAGMSG me', ':ben!b@x PRIVMSG me :hi');
    assert.deepEqual(changes.slice(-2).map((c) => [c.target, c.nick, c.state]), [
      ['ben', 'ben', 'active'],
      ['ben', 'ben', 'done'],
    ]);
  } finally {
    mock.timers.reset();
  }
});

test('our own 306/305 set our presence, keeping busy', () => {
  const f = registered();
  f.features.status = 'busy';
  f.features.statusMessage = 'focus';
  f.feed(':srv 306 me :You have been marked as being away');
  assert.equal(f.state.user('me')?.presence, 'busy');
  f.feed(':srv 305 me :You are no longer marked as being away');
  assert.equal(f.state.user('me')?.presence, 'online');
});

test('sending a message after typing says done first; nothing when we never said active', () => {
  const f = registered({}, 'message-tags');
  f.features.typing.sent(f.s, '#a');
  assert.deepEqual(f.take(), []);
  f.features.typing.send(f.s, '#a', 'active');
  f.features.typing.sent(f.s, '#a');
  assert.deepEqual(f.take(), ['@+typing=active TAGMSG #a', '@+typing=done TAGMSG #a']);
});

test("watched nicks compare by the server's CASEMAPPING, like every other name", () => {
  const f = registered({}, '', ['MONITOR=100']);
  f.features.watch(f.s, 'Amy[');
  f.features.watch(f.s, 'amy{');
  assert.deepEqual(f.take(), ['MONITOR + Amy['], 'rfc1459: [ and { are one letter');
  const g = registered({}, '', ['MONITOR=100', 'CASEMAPPING=ascii']);
  g.features.watch(g.s, 'Amy[');
  g.features.watch(g.s, 'amy{');
  assert.deepEqual(g.take(), ['MONITOR + Amy[', 'MONITOR + amy{'], 'ascii: two nicks');
});
