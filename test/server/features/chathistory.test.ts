// draft/chathistory over real TCP and a real SQLite file: negotiation and ISUPPORT, every
// subcommand by msgid and by timestamp, the batch and its tags, who may read which history, the
// spec's FAIL codes, labeled-response, clients without batch, and pages across a restart.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IrcMessage } from '../../../src/protocol/message.ts';
import { IrcTestClient, startServer, tempDir } from '../../helpers/index.ts';
import { harness, joinRoom, type Harness } from '../helpers.ts';
import { MODERN_CAPS, collectBatch, isFail, newAccount, say, texts } from './helpers.ts';

const isupport = (c: IrcTestClient, key: string) =>
  c.messages
    .filter((m) => m.command === '005')
    .flatMap((m) => m.params.slice(1, -1))
    .find((t) => t === key || t.startsWith(`${key}=`));

describe('draft/chathistory', () => {
  let h: Harness;
  let alice: IrcTestClient;
  let bob: IrcTestClient;
  let sent: IrcMessage[];

  before(async () => {
    // 105 messages in one go below: flood control is not the subject here.
    h = await harness({ args: ['--flood-control', 'off'] });
    alice = await newAccount(h, 'alice');
    bob = await newAccount(h, 'bob');
    await joinRoom(alice, '#room');
    await joinRoom(bob, '#room');
    sent = await say(alice, '#room', ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9']);
  });
  after(async () => {
    await h.stop();
  });

  const at = (i: number) => `msgid=${sent[i]!.tags['msgid']}`;
  const page = async (c: IrcTestClient, cmd: string) => {
    c.send(cmd);
    return collectBatch(c, 'chathistory');
  };

  it('is offered with its ISUPPORT limit and reference types', () => {
    assert.ok(alice.serverCaps.has('draft/chathistory'));
    assert.equal(isupport(alice, 'CHATHISTORY'), 'CHATHISTORY=100');
    assert.equal(isupport(alice, 'MSGREFTYPES'), 'MSGREFTYPES=msgid,timestamp');
  });

  it('LATEST returns the newest messages in a chathistory batch with time, msgid and account tags', async () => {
    const b = await page(bob, 'CHATHISTORY LATEST #room * 3');
    assert.deepEqual(b.open.params.slice(1), ['chathistory', '#room']);
    assert.deepEqual(texts(b.lines), ['m7', 'm8', 'm9']);
    for (const [i, m] of b.lines.entries()) {
      assert.equal(m.tags['msgid'], sent[7 + i]!.tags['msgid'], 'the msgid first relayed');
      assert.equal(m.tags['time'], sent[7 + i]!.tags['time']);
      assert.equal(m.tags['account'], 'alice');
      assert.match(m.source!, /^alice!/);
      assert.equal(m.params[0], '#room');
    }
    const since = await page(bob, `CHATHISTORY LATEST #room ${at(7)} 10`);
    assert.deepEqual(texts(since.lines), ['m8', 'm9'], 'only after the reference');
  });

  it('BEFORE, AFTER, AROUND and BETWEEN by msgid and by timestamp', async () => {
    assert.deepEqual(texts((await page(bob, `CHATHISTORY BEFORE #room ${at(5)} 3`)).lines), ['m2', 'm3', 'm4']);
    assert.deepEqual(texts((await page(bob, `CHATHISTORY AFTER #room ${at(5)} 2`)).lines), ['m6', 'm7']);
    const around = texts((await page(bob, `CHATHISTORY AROUND #room ${at(5)} 4`)).lines);
    assert.ok(around.includes('m5') && around.length === 4, `AROUND: ${around.join(',')}`);
    assert.deepEqual(texts((await page(bob, `CHATHISTORY BETWEEN #room ${at(2)} ${at(6)} 10`)).lines), ['m3', 'm4', 'm5']);
    assert.deepEqual(texts((await page(bob, `CHATHISTORY BETWEEN #room ${at(8)} ${at(2)} 2`)).lines).length, 2);
    // By timestamp, BEFORE and AFTER exclude the reference's millisecond: the messages sent in one go
    // can share one, so the expectation follows the times they were really given.
    const time = (i: number) => sent[i]!.tags['time']!;
    const t = time(5);
    const earlier = sent.slice(0, 5).filter((m) => m.tags['time']! < t).map((m) => m.params[1]);
    assert.deepEqual(texts((await page(bob, `CHATHISTORY BEFORE #room timestamp=${t} 2`)).lines), earlier.slice(-2));
    const after = texts((await page(bob, `CHATHISTORY AFTER #room timestamp=${t} 100`)).lines);
    assert.deepEqual(after, sent.filter((m) => m.tags['time']! > t).map((m) => m.params[1]));
    const future = await page(bob, 'CHATHISTORY AFTER #room timestamp=2999-01-01T00:00:00.000Z 10');
    assert.equal(future.lines.length, 0, 'nothing: an empty batch');
  });

  it('caps a request at the ISUPPORT limit', async () => {
    const many = Array.from({ length: 105 }, (_, i) => `n${i}`);
    for (const t of many) alice.send(`PRIVMSG #room :${t}`);
    await alice.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'n104');
    const b = await page(bob, 'CHATHISTORY LATEST #room * 500');
    assert.equal(b.lines.length, 100);
    assert.equal(texts(b.lines).at(-1), 'n104');
  });

  it('answers misuse with the spec FAIL codes', async () => {
    const c = bob;
    c.send('CHATHISTORY');
    await c.waitFor(isFail('CHATHISTORY', 'NEED_MORE_PARAMS'));
    c.send('CHATHISTORY LATEST #room');
    await c.waitFor(isFail('CHATHISTORY', 'NEED_MORE_PARAMS'));
    c.send('CHATHISTORY FROBNICATE #room * 10');
    await c.waitFor(isFail('CHATHISTORY', 'UNKNOWN_COMMAND'));
    c.send('CHATHISTORY LATEST #room * ten');
    await c.waitFor(isFail('CHATHISTORY', 'INVALID_PARAMS'));
    c.send('CHATHISTORY LATEST #room * 0');
    await c.waitFor(isFail('CHATHISTORY', 'INVALID_PARAMS'));
    c.send('CHATHISTORY BEFORE #room yesterday 10');
    const bad = await c.waitFor(isFail('CHATHISTORY', 'INVALID_PARAMS'));
    assert.deepEqual(bad.params.slice(2, 4), ['BEFORE', 'yesterday']);
    c.send('CHATHISTORY BEFORE #room * 10');
    await c.waitFor(isFail('CHATHISTORY', 'INVALID_PARAMS'));
    c.send('CHATHISTORY LATEST #nowhere * 10');
    const t = await c.waitFor(isFail('CHATHISTORY', 'INVALID_TARGET'));
    assert.deepEqual(t.params.slice(2, 4), ['LATEST', '#nowhere']);
    // An unknown msgid: nothing before or after it.
    const empty = await page(c, 'CHATHISTORY BEFORE #room msgid=doesnotexist 10');
    assert.equal(empty.lines.length, 0);
  });

  it('a room: members and visitors of an open room may read; a secret room only its members', async () => {
    const visitor = await h.user('visitor', { caps: MODERN_CAPS });
    const open = await page(visitor, 'CHATHISTORY LATEST #room * 2');
    assert.equal(open.lines.length, 2, 'an open (+nt) room is readable by anyone');
    const owner = await h.user('owner', { caps: MODERN_CAPS });
    await joinRoom(owner, '#secret');
    owner.send('MODE #secret +s');
    await owner.waitFor((m) => m.command === 'MODE' && m.params[1] === '+s');
    await say(owner, '#secret', ['hush']);
    visitor.send('CHATHISTORY LATEST #secret * 10');
    await visitor.waitFor(isFail('CHATHISTORY', 'INVALID_TARGET'));
    await joinRoom(visitor, '#secret');
    assert.deepEqual(texts((await page(visitor, 'CHATHISTORY LATEST #secret * 10')).lines), ['hush']);
  });

  it('a conversation: only its two parties, by account', async () => {
    const dm = await say(alice, 'bob', ['hi bob', 'how are you']);
    await bob.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'how are you');
    await say(bob, 'alice', ['fine']);
    const mine = await page(bob, 'CHATHISTORY LATEST alice * 10');
    assert.deepEqual(mine.open.params[2], 'alice');
    assert.deepEqual(texts(mine.lines), ['hi bob', 'how are you', 'fine']);
    assert.equal(mine.lines[0]!.tags['msgid'], dm[0]!.tags['msgid']);
    assert.equal(mine.lines[0]!.params[0], 'bob', "the peer's messages are addressed to me");
    assert.equal(mine.lines[2]!.params[0], 'alice', 'mine to the peer');
    assert.deepEqual(texts((await page(alice, 'CHATHISTORY LATEST bob * 10')).lines), ['hi bob', 'how are you', 'fine']);
    // A third user asking for "bob" gets her own (empty) conversation with bob, never alice's.
    const carol = await newAccount(h, 'carol');
    assert.deepEqual(texts((await page(carol, 'CHATHISTORY LATEST bob * 10')).lines), []);
    assert.deepEqual(texts((await page(carol, 'CHATHISTORY LATEST alice * 10')).lines), []);
    // Without an account a nick is not an identity: the next guest with the nick sees nothing older.
    const gus = await h.user('gus', { caps: MODERN_CAPS });
    await say(gus, 'bob', ['secret from gus']);
    assert.deepEqual(texts((await page(gus, 'CHATHISTORY LATEST bob * 10')).lines), ['secret from gus']);
    await gus.close();
    const gus2 = await h.user('gus', { caps: MODERN_CAPS });
    assert.deepEqual(texts((await page(gus2, 'CHATHISTORY LATEST bob * 10')).lines), []);
  });

  it('TARGETS lists conversations and rooms with activity in the window', async () => {
    bob.send('CHATHISTORY TARGETS timestamp=2000-01-01T00:00:00.000Z timestamp=2999-01-01T00:00:00.000Z 10');
    const b = await collectBatch(bob, 'draft/chathistory-targets');
    const names = b.lines.map((m) => m.params[1]);
    assert.ok(names.includes('#room') && names.includes('alice'), names.join(','));
    for (const m of b.lines) assert.match(m.params[2]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    bob.send('CHATHISTORY TARGETS * timestamp=2999-01-01T00:00:00.000Z 10');
    await bob.waitFor(isFail('CHATHISTORY', 'INVALID_PARAMS'));
  });

  it('labeled-response: the label goes on the BATCH that carries the page', async () => {
    bob.send('@label=h1 CHATHISTORY LATEST #room * 2');
    const b = await collectBatch(bob, 'chathistory');
    assert.equal(b.open.tags['label'], 'h1');
    assert.equal(b.lines.length, 2);
  });

  it('a client without batch gets plain lines; without server-time no tags', async () => {
    const plain = await h.user('plain', { caps: [] });
    plain.send('CHATHISTORY LATEST #room * 2');
    await plain.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'n103');
    const last = await plain.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'n104');
    assert.deepEqual(last.tags, {});
    await plain.sync();
    assert.equal(plain.unreturned((m) => m.command === 'BATCH').length, 0);
  });
});

describe('draft/chathistory across a restart', () => {
  it('pages through a registered room history written before the restart', async () => {
    const data = tempDir('chatroom-history-');
    try {
      let srv = await startServer({ dataDir: data.path });
      let a = await IrcTestClient.connect(srv.port);
      await a.register('writer', { caps: [...MODERN_CAPS, 'draft/account-registration'] });
      // Registered by its logged-in creator: only a registered room keeps its history across a restart.
      a.send('REGISTER * * writer-password');
      await a.waitFor('900');
      await joinRoom(a, '#keep');
      const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
      await say(a, '#keep', lines);
      assert.equal(await srv.stop(), 0);

      srv = await startServer({ dataDir: data.path });
      a = await IrcTestClient.connect(srv.port);
      await a.register('reader', { caps: MODERN_CAPS });
      await joinRoom(a, '#keep');
      a.send('CHATHISTORY LATEST #keep * 10');
      const first = await collectBatch(a, 'chathistory');
      assert.deepEqual(texts(first.lines), lines.slice(20));
      const got = [...texts(first.lines)];
      let oldest = first.lines[0]!.tags['msgid'];
      for (;;) {
        a.send(`CHATHISTORY BEFORE #keep msgid=${oldest} 10`);
        const p = await collectBatch(a, 'chathistory');
        if (p.lines.length === 0) break;
        got.unshift(...texts(p.lines));
        oldest = p.lines[0]!.tags['msgid'];
      }
      assert.deepEqual(got, lines, 'every message, in order, in pages of 10');
      a.destroy();
      assert.equal(await srv.stop(), 0);
    } finally {
      data.remove();
    }
  });
});
