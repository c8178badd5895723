// The extension's IRC client core against a stock server: Debian's ngircd, over real TCP.
// ngircd speaks RFC 2812 with hardly any IRCv3 (CAP with multi-prefix only), so this checks the
// plain-IRC paths: registration, rooms, messages, errors, delivery states via PING round trips,
// and reconnecting after the server restarts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClientError, IrcClient, type ClientOptions } from '../../src/extension/client/ircClient.ts';
import { ngircdPath, startNgircd, freePort, type Ngircd } from '../extension/client/support/ngircd.ts';
import { joined, nextEvent, seesMember, until } from '../extension/client/support/wait.ts';

const skip = ngircdPath() ? false : 'ngircd is not installed (test/setup/apt-packages.txt)';

describe('IrcClient against ngircd', { skip }, () => {
  let irc: Ngircd;
  const clients: IrcClient[] = [];

  const client = (nick: string, extra: Partial<ClientOptions> = {}) => {
    const c = new IrcClient({ host: '127.0.0.1', port: irc.port, nick, backoff: { baseMs: 100, capMs: 1000 }, ...extra });
    clients.push(c);
    return c;
  };



  before(async () => {
    irc = await startNgircd();
  });

  after(async () => {
    for (const c of clients) c.dispose();
    await irc?.stop();
  });

  test('registers, joins a room, and two clients exchange messages', async () => {
    const alice = client('alice');
    const bob = client('bob');
    const states: string[] = [];
    alice.onDidChangeState((s) => states.push(s));
    await alice.connect();
    assert.equal(alice.state, 'registered');
    assert.deepEqual(states, ['connecting', 'registered']);
    await bob.connect();
    assert.equal(alice.nick, 'alice');

    await joined(alice, '#team');
    await joined(bob, '#team');
    await seesMember(alice, '#team', 'bob');
    // The creator is channel operator: NAMES gave the prefix.
    assert.equal(bob.room('#team')?.members.find((m) => m.nick === 'alice')?.prefixes, '@');

    const got = nextEvent(bob.onDidMessage, (m) => m.text === 'hello team', 'message at bob');
    const delivered = nextEvent(alice.onDidChangeMessageState, (c) => c.state === 'delivered', 'delivered');
    const handle = alice.sendMessage('#team', 'hello team');
    assert.equal(handle.state, 'pending');
    const m = await got;
    assert.equal(m.target, '#team');
    assert.equal(m.from, 'alice');
    assert.equal(m.self, false);
    assert.equal(m.kind, 'privmsg');
    // No echo-message on ngircd: a PING round trip without an error confirms it.
    assert.equal((await delivered).localId, handle.localId);
    assert.equal(alice.messageState(handle.localId)?.state, 'delivered');
    assert.ok(alice.messages('#team').some((x) => x.self && x.text === 'hello team'));

    // A direct message lands in the conversation named after the sender.
    const dm = nextEvent(alice.onDidMessage, (x) => x.text === 'psst', 'DM at alice');
    bob.sendMessage('alice', 'psst');
    const d = await dm;
    assert.equal(d.target, 'bob');
    assert.equal(d.from, 'bob');

    // CTCP ACTION both ways.
    const act = nextEvent(bob.onDidMessage, (x) => x.kind === 'action', 'action at bob');
    alice.sendAction('#team', 'waves');
    assert.equal((await act).text, 'waves');
  });

  test('long text is split on UTF-8 boundaries into lines that fit 512 bytes', async () => {
    const carol = client('carol');
    const dave = client('dave');
    await carol.connect();
    await dave.connect();
    const text = 'Grüße 🎉 schön — '.repeat(80);
    const received: string[] = [];
    const sub = dave.onDidMessage((m) => {
      if (m.from === 'carol') received.push(m.text);
    });
    const delivered = nextEvent(carol.onDidChangeMessageState, (c) => c.state === 'delivered', 'delivered');
    carol.sendMessage('dave', text);
    await delivered;
    // Parts are cut at spaces where possible (the space goes), so compare without whitespace.
    const squash = (t: string) => t.replace(/\s+/g, '');
    await until(dave.onDidMessage, () => squash(received.join('')) === squash(text), 'all parts at dave');
    sub.dispose();
    assert.ok(received.length > 1);
    for (const part of received) {
      assert.ok(!part.includes('\uFFFD'), 'no broken characters');
      assert.ok(Buffer.byteLength(`:carol!~carol@127.0.0.1 PRIVMSG dave :${part}\r\n`) <= 512);
    }
  });

  test('a message to a nick that does not exist fails with the server reason; retry keeps the id', async () => {
    const erin = client('erin');
    await erin.connect();
    const failed = nextEvent(erin.onDidChangeMessageState, (c) => c.state === 'failed', 'failed');
    const h = erin.sendMessage('nobody-here', 'are you there?');
    const change = await failed;
    assert.equal(change.localId, h.localId);
    assert.match(change.reason ?? '', /no such nick/i);

    const again = nextEvent(erin.onDidChangeMessageState, (c) => c.localId === h.localId && c.state === 'failed', 'failed again');
    assert.equal(erin.retry(h.localId), true);
    assert.equal(erin.messageState(h.localId)?.state, 'pending');
    await again;
  });

  test('a taken nick rejects connect() with nick-in-use, or picks an alternative when asked', async () => {
    const frank = client('frank');
    await frank.connect();
    const twin = client('frank');
    await assert.rejects(twin.connect(), (e: unknown) => e instanceof ClientError && e.code === 'nick-in-use');
    assert.equal(twin.state, 'disconnected');

    const alt = client('frank', { altNicks: true });
    await alt.connect();
    assert.equal(alt.nick, 'frank_');
  });

  test('a closed port rejects with refused', async () => {
    const port = await freePort();
    const c = new IrcClient({ host: '127.0.0.1', port, nick: 'nobody' });
    clients.push(c);
    await assert.rejects(c.connect(), (e: unknown) => e instanceof ClientError && e.code === 'refused');
  });

  test('rooms track part, kick, topic and nick changes', async () => {
    const gina = client('gina');
    const hank = client('hank');
    await gina.connect();
    await hank.connect();
    await joined(gina, '#desk');
    await joined(hank, '#desk');
    await seesMember(gina, '#desk', 'hank');

    const topic = nextEvent(hank.onDidChangeRoom, (r) => r.room === '#desk' && r.reason === 'topic' && hank.room('#desk')?.topic === 'release day', 'topic');
    gina.setTopic('#desk', 'release day');
    await topic;
    assert.equal(hank.room('#desk')?.topicSetBy, 'gina');

    const renamed = until(gina.onDidChangeRoom, () => gina.room('#desk')?.members.some((m) => m.nick === 'henry') ?? false, 'rename');
    const ownNick = nextEvent(hank.onDidChangeNick, (n) => n === 'henry', 'own nick');
    hank.changeNick('henry');
    await renamed;
    await ownNick;
    assert.equal(hank.nick, 'henry');

    const kicked = nextEvent(hank.onDidChangeRoom, (r) => r.room === '#desk' && r.reason === 'kicked', 'kick');
    gina.sendRaw('KICK', ['#desk', 'henry', 'enough']);
    const k = await kicked;
    assert.equal(k.by, 'gina');
    assert.equal(k.message, 'enough');
    assert.equal(hank.room('#desk')?.joined, false);
    await until(gina.onDidChangeRoom, () => !(gina.room('#desk')?.members.some((m) => m.nick === 'henry') ?? true), 'henry gone');

    const parted = nextEvent(gina.onDidChangeRoom, (r) => r.room === '#desk' && r.reason === 'parted', 'part');
    gina.part('#desk', 'bye');
    await parted;
    assert.equal(gina.rooms().some((r) => r.name === '#desk'), false);
  });

  test('busy status travels as an away message and comes back on a direct message', async () => {
    const ivy = client('ivy');
    const jack = client('jack');
    await ivy.connect();
    await jack.connect();
    ivy.setStatus('busy', 'in a meeting');
    // ngircd has no away-notify: jack learns it from RPL_AWAY when he writes to ivy.
    const delivered = nextEvent(jack.onDidChangeMessageState, (c) => c.state === 'delivered', 'delivered');
    const seen = nextEvent(jack.onDidChangeUser, (u) => u.nick === 'ivy' && u.presence === 'busy', 'ivy busy');
    jack.sendMessage('ivy', 'got a minute?');
    const change = await delivered;
    assert.equal(change.awayMessage, '[busy] in a meeting');
    const u = await seen;
    assert.equal(u.awayMessage, 'in a meeting');
  });

  test('no MONITOR on ngircd: a DM partner\'s presence is polled with USERHOST (offline, online, away, offline)', async () => {
    const una = client('una', { presencePollMs: 200 });
    await una.connect();
    assert.equal(una.supports('monitor'), false);
    for (const f of ['reactions', 'replies', 'redaction', 'search'] as const) assert.equal(una.supports(f), false, `no ${f} on ngircd: hidden`);
    const presence = () => una.user('vic')?.presence;
    una.monitor('vic');
    await until(una.onDidChangeUser, () => presence() === 'offline', 'vic offline');
    const vic = client('vic');
    await vic.connect();
    await until(una.onDidChangeUser, () => presence() === 'online', 'vic online');
    vic.setStatus('away', 'lunch');
    await until(una.onDidChangeUser, () => presence() === 'away', 'vic away');
    vic.disconnect();
    await until(una.onDidChangeUser, () => presence() === 'offline', 'vic offline again');
  });

  test('reconnects after the server restarts and rejoins its rooms', async () => {
    const kim = client('kim');
    await kim.connect();
    await joined(kim, '#ops');
    const states: string[] = [];
    kim.onDidChangeState((s) => states.push(s));
    const lost = nextEvent(kim.onDidError, (e) => e.code === 'closed', 'connection lost');
    const reconnecting = nextEvent(kim.onDidChangeState, (s) => s === 'reconnecting', 'reconnecting');
    await irc.kill();
    await lost;
    await reconnecting;
    assert.equal(kim.room('#ops')?.joined, false);
    // Messages sent while away fail at once (nothing is queued to be sent twice).
    const h = kim.sendMessage('#ops', 'anyone?');
    assert.equal(kim.messageState(h.localId)?.state, 'failed');

    const rejoined = nextEvent(kim.onDidChangeRoom, (r) => r.room === '#ops' && r.reason === 'joined', 'rejoin', 30_000);
    await irc.start();
    await rejoined;
    assert.equal(kim.state, 'registered');
    assert.deepEqual(states.slice(-2), ['reconnecting', 'registered']);
    assert.equal(kim.nick, 'kim');

    // disconnect() stops for good.
    kim.disconnect();
    assert.equal(kim.state, 'disconnected');
  });
});
