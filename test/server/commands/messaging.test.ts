// PRIVMSG/NOTICE between real clients: rooms and direct messages, several targets, the errors a
// sender gets for undeliverable messages, AWAY replies, tags for those who asked, and storage
// (every relayed message is in the database with its msgid).
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { join as pathJoin } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ERR_CANNOTSENDTOCHAN,
  ERR_NORECIPIENT,
  ERR_NOSUCHCHANNEL,
  ERR_NOSUCHNICK,
  ERR_NOTEXTTOSEND,
  ERR_TOOMANYTARGETS,
  RPL_AWAY,
  RPL_NOWAWAY,
  RPL_UNAWAY,
} from '../../../src/protocol/numerics.ts';
import { IrcTestClient, startServer, type RunningServer } from '../../helpers/index.ts';

describe('messaging', () => {
  let srv: RunningServer;
  const clients: IrcTestClient[] = [];
  const user = async (nick: string, caps: string[] = []) => {
    const c = await IrcTestClient.connect(srv.port);
    clients.push(c);
    await c.register(nick, { caps });
    return c;
  };
  const join = async (c: IrcTestClient, room: string) => {
    c.send(`JOIN ${room}`);
    await c.waitFor((m) => m.command === '366' && m.params[1] === room);
  };
  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await srv.stop();
  });

  it('relays room messages to every other member, with msgid and time for those who asked', async () => {
    const alice = await user('alice', ['echo-message', 'server-time', 'message-tags']);
    const bob = await user('bob', ['server-time']);
    const carol = await user('carol');
    for (const c of [alice, bob, carol]) await join(c, '#general');
    alice.send('PRIVMSG #general :hello room');
    const atBob = await bob.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'hello room');
    const atCarol = await carol.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'hello room');
    const echo = await alice.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'hello room');
    assert.ok(atBob.source?.startsWith('alice!'));
    assert.equal(atBob.params[0], '#general');
    assert.match(atBob.tags['time'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(atBob.tags['msgid'], undefined, 'no msgid without message-tags');
    assert.deepEqual(atCarol.tags, {}, 'no tags without capabilities');
    assert.ok(echo.tags['msgid'], 'the echo carries the stored msgid');
    assert.equal(echo.tags['time'], atBob.tags['time']);
  });

  it('delivers direct messages and NOTICEs to several targets at once', async () => {
    const dan = await user('dan');
    const erin = await user('erin');
    const fay = await user('fay');
    dan.send('PRIVMSG erin,fay :to both');
    for (const c of [erin, fay]) {
      const m = await c.waitFor('PRIVMSG');
      assert.equal(m.params[0], c.nick);
      assert.equal(m.params[1], 'to both');
    }
    dan.send('NOTICE erin :a notice');
    const n = await erin.waitFor('NOTICE');
    assert.equal(n.params[1], 'a notice');
  });

  it('tells the sender about every message it could not deliver', async () => {
    const gus = await user('gus');
    gus.send('PRIVMSG nobody :hi');
    assert.equal((await gus.waitFor(ERR_NOSUCHNICK)).params[1], 'nobody');
    gus.send('PRIVMSG #nowhere :hi');
    assert.equal((await gus.waitFor(ERR_NOSUCHCHANNEL)).params[1], '#nowhere');
    gus.send('PRIVMSG');
    await gus.waitFor(ERR_NORECIPIENT);
    gus.send('PRIVMSG gus');
    await gus.waitFor(ERR_NOTEXTTOSEND);
    gus.send('PRIVMSG a,b,c,d,e :hi');
    assert.equal((await gus.waitFor(ERR_TOOMANYTARGETS)).params[1], 'e');
    const owner = await user('owner');
    await join(owner, '#closed'); // +n by default: outsiders cannot send
    gus.send('PRIVMSG #closed :let me in');
    assert.equal((await gus.waitFor(ERR_CANNOTSENDTOCHAN)).params[1], '#closed');
  });

  it('never answers a NOTICE automatically, errors and away replies included (RFC 2812 3.3.2)', async () => {
    const nell = await user('nell', ['labeled-response', 'batch']);
    await nell.sync();
    nell.skipAll(); // the welcome burst
    const away = await user('awaynell');
    away.send('AWAY :gone');
    await away.waitFor(RPL_NOWAWAY);
    const owner = await user('nowner');
    await join(owner, '#noticeclosed');
    for (const line of ['NOTICE nobody :hi', 'NOTICE #nonexistent :hi', 'NOTICE', 'NOTICE nell', 'NOTICE a,b,c,d,e :hi', 'NOTICE #noticeclosed :hi', 'NOTICE awaynell :hi']) {
      nell.send(line);
    }
    await away.waitFor('NOTICE'); // delivered all the same
    nell.send('@label=quiet NOTICE nobody :hi');
    assert.equal((await nell.waitFor('ACK')).tags['label'], 'quiet', 'a labeled NOTICE with nothing to say is ACKed');
    await nell.sync();
    const numerics = nell.unreturned((m) => /^\d{3}$/.test(m.command));
    assert.deepEqual(numerics.map((m) => m.command), []);
  });

  it('answers AWAY and tells PRIVMSG senders the recipient is away', async () => {
    const hal = await user('hal');
    const ivy = await user('ivy');
    ivy.send('AWAY :at lunch');
    await ivy.waitFor(RPL_NOWAWAY);
    hal.send('PRIVMSG ivy :you there?');
    const away = await hal.waitFor(RPL_AWAY);
    assert.deepEqual(away.params.slice(1), ['ivy', 'at lunch']);
    await ivy.waitFor('PRIVMSG'); // still delivered
    ivy.send('AWAY');
    await ivy.waitFor(RPL_UNAWAY);
  });

  it('stores every relayed room and direct message before relaying it', async () => {
    const jo = await user('jo');
    const kim = await user('kim');
    await join(jo, '#stored');
    await join(kim, '#stored');
    for (let i = 0; i < 20; i++) jo.send(`PRIVMSG #stored :line ${i}`);
    jo.send('PRIVMSG kim :private line');
    await kim.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'private line');
    const got = kim.messages.filter((m) => m.command === 'PRIVMSG' && m.params[0] === '#stored').map((m) => m.params[1]);
    assert.deepEqual(got, Array.from({ length: 20 }, (_, i) => `line ${i}`), 'in order');
    const db = new DatabaseSync(pathJoin(srv.dataDir, 'chatroom.sqlite'), { readOnly: true });
    try {
      const texts = new Set((db.prepare('SELECT text FROM messages').all() as Array<{ text: string }>).map((r) => r.text));
      for (const t of [...got, 'private line']) assert.ok(texts.has(t!), `stored: ${t}`);
    } finally {
      db.close();
    }
  });
});
