// Room model from JOIN/NAMES/MODE/TOPIC/PART/KICK/QUIT/NICK lines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RoomChange } from '../../../src/extension/client/types.ts';
import { registered } from './support/fakeSession.ts';

const members = (f: ReturnType<typeof registered>, room: string) =>
  [...(f.state.room(room)?.members.values() ?? [])].map((m) => `${m.prefixes}${m.nick}`).sort();

test('JOIN + NAMES (multi-prefix, userhost-in-names) build the member list; WHO follows the join', () => {
  const f = registered({}, '', ['PREFIX=(qaohv)~&@%+', 'WHOX']);
  const changes: RoomChange[] = [];
  f.events.room.event((c) => changes.push(c));
  f.feed(':me!u@h JOIN #dev');
  assert.deepEqual(f.take(), ['WHO #dev %tcnfa,734']);
  f.feed(':srv 353 me = #dev :@+amy!a@x %ben me', ':srv 366 me #dev :End of NAMES');
  assert.deepEqual(members(f, '#dev'), ['%ben', '@+amy', 'me']);
  assert.deepEqual(changes.map((c) => c.reason), ['joined', 'members']);
  assert.equal(f.state.room('#DEV')?.joined, true, 'rooms are found case-insensitively');
});

test('MODE +o/-v updates prefixes and skips other modes with their arguments', () => {
  const f = registered({}, '', ['PREFIX=(ov)@+', 'CHANMODES=beI,k,l,imnpst']);
  f.feed(':me!u@h JOIN #dev', ':srv 353 me = #dev :me +amy ben', ':srv 366 me #dev :End');
  f.feed(':me!u@h MODE #dev +kov-v secret ben amy amy');
  // +k takes 'secret', +o ben, +v amy (had it), -v amy.
  assert.deepEqual(members(f, '#dev'), ['@ben', 'amy', 'me']);
  f.feed(':me!u@h MODE #dev +lv 10 amy');
  assert.deepEqual(members(f, '#dev'), ['+amy', '@ben', 'me']);
});

test('PART, KICK and QUIT remove members; our own PART/KICK ends the wish to rejoin', () => {
  const f = registered();
  f.feed(':me!u@h JOIN #a', ':amy!a@x JOIN #a', ':ben!b@x JOIN #a', ':cat!c@x JOIN #a');
  f.feed(':amy!a@x PART #a :bye', ':me!u@h KICK #a ben :out', ':cat!c@x QUIT :gone');
  assert.deepEqual(members(f, '#a'), ['me']);
  assert.equal(f.state.user('cat'), undefined, 'a quitter we share nothing with is forgotten');
  f.feed(':amy!a@x KICK #a me :you too');
  const room = f.state.room('#a')!;
  assert.equal(room.joined, false);
  assert.equal(room.wanted, false);
});

test('NICK renames members, users and the DM conversation; our own NICK changes our nick', () => {
  const f = registered();
  const nicks: string[] = [];
  f.events.nick.event((n) => nicks.push(n));
  f.feed(':me!u@h JOIN #a', ':amy!a@x JOIN #a', ':amy!a@x PRIVMSG me :hi');
  f.feed(':amy!a@x NICK amelia');
  assert.deepEqual(members(f, '#a'), ['amelia', 'me']);
  assert.equal(f.state.conversations.get(f.state.fold('amelia'))?.messages.length, 1);
  f.feed(':me!u@h NICK mee');
  assert.equal(f.s.nick, 'mee');
  assert.deepEqual(nicks, ['mee']);
  assert.deepEqual(members(f, '#a'), ['amelia', 'mee']);
});

test('TOPIC and 332/333 set the topic and who set it', () => {
  const f = registered();
  f.feed(':me!u@h JOIN #a', ':srv 332 me #a :Welcome all', ':srv 333 me #a amy!a@x 1700000000');
  assert.equal(f.state.room('#a')?.topic, 'Welcome all');
  assert.equal(f.state.room('#a')?.topicSetBy, 'amy');
  f.feed(':ben!b@x TOPIC #a :');
  assert.equal(f.state.room('#a')?.topic, undefined);
  assert.equal(f.state.room('#a')?.topicSetBy, 'ben');
});

test('a refused JOIN is reported and not retried on reconnect', () => {
  const f = registered();
  const notices: string[] = [];
  f.events.notice.event((n) => notices.push(n.text));
  f.state.ensureRoom('#vip').wanted = true;
  f.feed(':srv 474 me #vip :Cannot join channel (+b)');
  assert.equal(f.state.room('#vip')?.wanted, false);
  assert.match(notices[0] ?? '', /Cannot join #vip/);
});

test('end of MOTD rejoins wanted rooms (with keys) once, and re-sends our away status', () => {
  const g = registered();
  g.state.ensureRoom('#x').wanted = true;
  const room = g.state.ensureRoom('#k');
  room.wanted = true;
  room.key = 'pw';
  g.s.welcomed = false;
  g.features.status = 'busy';
  g.features.statusMessage = 'focus';
  g.feed(':srv 376 me :End of MOTD');
  g.feed(':srv 376 me :End of MOTD');
  assert.deepEqual(g.take(), ['JOIN #x', 'JOIN #k pw', 'AWAY :[busy] focus']);
});

test('CASEMAPPING from ISUPPORT re-keys the model', () => {
  const f = registered();
  f.feed(':me!u@h JOIN #a', ':amy[1]!a@x JOIN #a');
  assert.ok(f.state.user('AMY{1}'), 'rfc1459: [ and { are the same');
  f.feed(':srv 005 me CASEMAPPING=ascii :are supported');
  assert.equal(f.state.user('AMY{1}'), undefined);
  assert.ok(f.state.user('AMY[1]'));
});

test('room facts come out as typed events: joined, names, parted, kicked, quit, renamed, topic, mode', () => {
  const f = registered({}, '', ['PREFIX=(ov)@+']);
  const seen: string[] = [];
  f.events.chat.event((e) => {
    switch (e.type) {
      case 'joined':
        return seen.push(`joined ${e.room} ${e.nick}${e.self ? ' (self)' : ''}`);
      case 'names':
        return seen.push(`names ${e.room} ${e.members.map((m) => m.prefixes + m.nick).join(' ')}`);
      case 'parted':
        return seen.push(`parted ${e.room} ${e.nick} ${e.reason}`);
      case 'kicked':
        return seen.push(`kicked ${e.room} ${e.nick} by ${e.by} ${e.reason}`);
      case 'quit':
        return seen.push(`quit ${e.nick} ${e.rooms.join(',')} ${e.reason}`);
      case 'renamed':
        return seen.push(`renamed ${e.from} ${e.to} ${e.rooms.join(',')}`);
      case 'topic':
        return seen.push(`topic ${e.room} ${e.topic} by ${e.by}`);
      case 'mode':
        return seen.push(`mode ${e.room} ${e.members.map((m) => m.prefixes + m.nick).join(' ')}`);
    }
    return undefined;
  });
  f.feed(':me!u@h JOIN #a', ':srv 353 me = #a :me @amy', ':srv 366 me #a :End');
  f.feed(':ben!b@x JOIN #a', ':ben!b@x NICK ben2', ':amy!a@x MODE #a +v ben2', ':amy!a@x TOPIC #a :ship it');
  f.feed(':ben2!b@x PART #a :lunch', ':cat!c@x JOIN #a', ':amy!a@x KICK #a cat :spam', ':amy!a@x QUIT :bye');
  assert.deepEqual(seen, [
    'joined #a me (self)',
    'names #a me @amy',
    'joined #a ben',
    'renamed ben ben2 #a',
    'mode #a +ben2',
    'topic #a ship it by amy',
    'parted #a ben2 lunch',
    'joined #a cat',
    'kicked #a cat by amy spam',
    'quit amy #a bye',
  ]);
});
