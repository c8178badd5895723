// draft/message-redaction over real TCP and a real SQLite file: who may redact what (sender by
// account, a guest from its own connection only, room operators, server operators), the REDACT
// relayed to clients with the capability, history without the text (the REDACT in its place for
// clients with the capability, nothing for others), reactions, every FAIL code, and all of it
// (with search) after a server restart.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IrcMessage } from '../../../src/protocol/message.ts';
import { IrcTestClient, startServer, tempDir, type RunningServer } from '../../helpers/index.ts';
import { harness, joinRoom, type Harness } from '../helpers.ts';
import { MODERN_CAPS, collectBatch, isFail, newAccount, say, texts } from './helpers.ts';

const CAPS = [...MODERN_CAPS, 'draft/message-redaction'];
const isRedact = (msgid: string) => (m: IrcMessage) => m.command === 'REDACT' && m.params[1] === msgid;

describe('draft/message-redaction', () => {
  let h: Harness;
  let alice: IrcTestClient; // sender
  let bob: IrcTestClient; // room operator of #room (he created it)
  let carol: IrcTestClient; // plain member
  let stock: IrcTestClient; // member without the capability

  before(async () => {
    h = await harness({ args: ['--flood-control', 'off', '--oper', 'admin:topsecret'] });
    bob = await newAccount(h, 'bob', undefined, { caps: CAPS });
    alice = await newAccount(h, 'alice', undefined, { caps: CAPS });
    carol = await newAccount(h, 'carol', undefined, { caps: CAPS });
    stock = await h.user('stock', { caps: MODERN_CAPS });
    for (const c of [bob, alice, carol, stock]) await joinRoom(c, '#room');
  });
  after(async () => {
    await h.stop();
  });

  const history = async (c: IrcTestClient, target: string) => {
    c.send(`CHATHISTORY LATEST ${target} * 50`);
    return collectBatch(c, 'chathistory');
  };

  it('is advertised', () => {
    assert.ok(alice.serverCaps.has('draft/message-redaction'));
  });

  it('the sender deletes its own message: relayed with the capability, gone from history', async () => {
    const [m] = await say(alice, '#room', ['oops, wrong room']);
    const id = m!.tags['msgid']!;
    alice.send(`REDACT #room ${id} :sent by mistake`);
    const echo = await alice.waitFor(isRedact(id));
    assert.deepEqual(echo.params, ['#room', id, 'sent by mistake']);
    assert.ok(echo.tags['msgid'] && echo.tags['msgid'] !== id, 'the REDACT has its own msgid');
    const live = await carol.waitFor(isRedact(id));
    assert.match(live.source!, /^alice!/);
    assert.equal(live.tags['msgid'], echo.tags['msgid']);
    assert.equal(live.tags['account'], 'alice');
    await say(alice, '#room', ['after']);
    await stock.waitFor((x) => x.command === 'PRIVMSG' && x.params[1] === 'after');
    assert.ok(!stock.messages.some((x) => x.command === 'REDACT'), 'not sent without the capability');

    // Another connection reads history: the REDACT in place of the message, never its text.
    const again = await h.user('carol2', { caps: CAPS, sasl: { account: 'carol', password: 'carol-password' } });
    const b = await history(again, '#room');
    assert.ok(!texts(b.lines).includes('oops, wrong room'));
    const r = b.lines.find(isRedact(id));
    assert.deepEqual(r?.params, ['#room', id, 'sent by mistake']);
    assert.equal(r?.tags['msgid'], echo.tags['msgid']);
    assert.match(r!.source!, /^alice!/);
    const plain = await history(stock, '#room');
    assert.ok(!texts(plain.lines).includes('oops, wrong room'));
    assert.ok(!plain.lines.some((x) => x.command === 'REDACT'), 'omitted for a client without the capability');
    // Deleting it again: it no longer exists.
    alice.send(`REDACT #room ${id}`);
    await alice.waitFor(isFail('REDACT', 'UNKNOWN_MSGID'));
    again.destroy();
  });

  it('the echo carries the label; CHATHISTORY AROUND a deleted msgid serves its REDACT', async () => {
    const [m] = await say(alice, '#room', ['a reply parent that goes away']);
    const id = m!.tags['msgid']!;
    alice.send(`@label=r1 REDACT #room ${id}`);
    const echo = await alice.waitFor(isRedact(id));
    assert.equal(echo.tags['label'], 'r1');
    carol.send(`CHATHISTORY AROUND #room msgid=${id} 3`);
    const b = await collectBatch(carol, 'chathistory');
    assert.ok(b.lines.some(isRedact(id)), 'a client jumping to the parent learns it was deleted');
    assert.ok(!texts(b.lines).includes('a reply parent that goes away'));
  });

  it("refuses another member's message: REDACT_FORBIDDEN", async () => {
    const [m] = await say(alice, '#room', ['mine']);
    carol.send(`REDACT #room ${m!.tags['msgid']}`);
    const f = await carol.waitFor(isFail('REDACT', 'REDACT_FORBIDDEN'));
    assert.deepEqual(f.params.slice(2, 4), ['#room', m!.tags['msgid']]);
    assert.ok(texts((await history(carol, '#room')).lines).includes('mine'));
  });

  it('a room operator deletes any message in the room; without a reason there is no third parameter', async () => {
    const [m] = await say(alice, '#room', ['spam spam']);
    const id = m!.tags['msgid']!;
    bob.send(`REDACT #room ${id}`);
    const r = await alice.waitFor(isRedact(id));
    assert.deepEqual(r.params, ['#room', id]);
    assert.match(r.source!, /^bob!/);
  });

  it('a server operator deletes any message it can read', async () => {
    const admin = await h.user('admin', { caps: CAPS });
    admin.send('OPER admin topsecret');
    await admin.waitFor('381');
    await joinRoom(admin, '#room');
    const [m] = await say(carol, '#room', ['off topic']);
    admin.send(`REDACT #room ${m!.tags['msgid']} :moderation`);
    await carol.waitFor(isRedact(m!.tags['msgid']!));
  });

  it('UNKNOWN_MSGID for a msgid not in that target, INVALID_TARGET for what cannot be read', async () => {
    alice.send('REDACT #room nosuchmsgid');
    const f = await alice.waitFor(isFail('REDACT', 'UNKNOWN_MSGID'));
    assert.deepEqual(f.params.slice(2, 4), ['#room', 'nosuchmsgid']);
    const [m] = await say(alice, '#room', ['in #room']);
    await joinRoom(alice, '#elsewhere');
    alice.send(`REDACT #elsewhere ${m!.tags['msgid']}`);
    await alice.waitFor(isFail('REDACT', 'UNKNOWN_MSGID'));
    alice.send(`REDACT #nosuchroom ${m!.tags['msgid']}`);
    assert.equal((await alice.waitFor(isFail('REDACT', 'INVALID_TARGET'))).params[2], '#nosuchroom');
    // A secret room one is not in: not readable, so not redactable, whatever the msgid.
    await joinRoom(bob, '#secret');
    bob.send('MODE #secret +s');
    await bob.waitFor((x) => x.command === 'MODE' && x.params[0] === '#secret');
    const [s] = await say(bob, '#secret', ['hidden']);
    alice.send(`REDACT #secret ${s!.tags['msgid']}`);
    await alice.waitFor(isFail('REDACT', 'INVALID_TARGET'));
  });

  it('in a DM: the other party gets the REDACT, history of both loses the text', async () => {
    const [m] = await say(alice, 'carol', ['psst, the password is hunter2']);
    const id = m!.tags['msgid']!;
    await carol.waitFor((x) => x.command === 'PRIVMSG' && x.params[1] === 'psst, the password is hunter2');
    carol.send(`REDACT alice ${id}`);
    await carol.waitFor(isFail('REDACT', 'REDACT_FORBIDDEN'));
    alice.send(`REDACT carol ${id}`);
    const r = await carol.waitFor(isRedact(id));
    assert.deepEqual(r.params, ['carol', id]);
    for (const [c, peer] of [[alice, 'carol'], [carol, 'alice']] as const) {
      const b = await history(c, peer);
      assert.ok(!texts(b.lines).includes('psst, the password is hunter2'));
      assert.ok(b.lines.some(isRedact(id)));
    }
  });

  it('a guest deletes only what it sent on the same connection', async () => {
    const g = await h.user('guest', { caps: CAPS });
    await joinRoom(g, '#room');
    const [a, b] = await say(g, '#room', ['first', 'second']);
    g.send(`REDACT #room ${a!.tags['msgid']}`);
    await g.waitFor(isRedact(a!.tags['msgid']!));
    g.destroy();
    await alice.waitFor((x) => x.command === 'QUIT' && x.source?.startsWith('guest!') === true);
    const g2 = await h.user('guest', { caps: CAPS });
    await joinRoom(g2, '#room');
    g2.send(`REDACT #room ${b!.tags['msgid']}`);
    await g2.waitFor(isFail('REDACT', 'REDACT_FORBIDDEN'));
  });

  it('a guest may delete any of the last 1,000 messages it sent on the connection, not an older one', async () => {
    const g = await h.user('ring', { caps: CAPS });
    const sink = await h.user('sink', { caps: MODERN_CAPS });
    const sent = 1001;
    g.sendRaw(Array.from({ length: sent }, (_, i) => `PRIVMSG sink :m${i}\r\n`).join(''));
    await g.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === `m${sent - 1}`);
    const msgid = (i: number) => g.messages.find((m) => m.command === 'PRIVMSG' && m.params[1] === `m${i}`)!.tags['msgid']!;
    g.send(`REDACT sink ${msgid(0)}`);
    await g.waitFor(isFail('REDACT', 'REDACT_FORBIDDEN'));
    for (const i of [1, 500, sent - 1]) {
      g.send(`REDACT sink ${msgid(i)}`);
      await g.waitFor(isRedact(msgid(i)));
    }
    g.destroy();
    sink.destroy();
  });

  it('deletes a reaction by its msgid, and a redacted message takes its reactions along', async () => {
    const [m] = await say(alice, '#room', ['vote here']);
    const id = m!.tags['msgid']!;
    carol.send(`@+draft/reply=${id};+draft/react=👍 TAGMSG #room`);
    const react = await alice.waitFor((x) => x.command === 'TAGMSG' && x.tags['+draft/react'] === '👍' && x.tags['+draft/reply'] === id);
    const reactId = react.tags['msgid']!;
    alice.send(`REDACT #room ${reactId}`);
    await alice.waitFor(isFail('REDACT', 'REDACT_FORBIDDEN'));
    carol.send(`REDACT #room ${reactId}`);
    await alice.waitFor(isRedact(reactId));
    let b = await history(alice, '#room');
    assert.ok(!b.lines.some((x) => x.command === 'TAGMSG' && x.tags['+draft/reply'] === id));

    carol.send(`@+draft/reply=${id};+draft/react=🎉 TAGMSG #room`);
    await alice.waitFor((x) => x.command === 'TAGMSG' && x.tags['+draft/react'] === '🎉');
    alice.send(`REDACT #room ${id}`);
    await alice.waitFor(isRedact(id));
    b = await history(alice, '#room');
    assert.ok(!b.lines.some((x) => x.command === 'TAGMSG' && x.tags['+draft/reply'] === id));
    carol.send(`@+draft/reply=${id};+draft/react=👀 TAGMSG #room`);
    await carol.waitFor(isFail('TAGMSG', 'UNKNOWN_MSGID')); // no reacting to a deleted message
  });
});

describe('reactions, redactions and search across a restart', () => {
  it('a client that connects after the restart sees the same conversation and search results', async () => {
    const data = tempDir('chatroom-annotations-');
    let srv: RunningServer | undefined;
    try {
      srv = await startServer({ dataDir: data.path });
      const a = await IrcTestClient.connect(srv.port);
      await a.register('writer', { caps: [...CAPS, 'draft/account-registration'] });
      // A room created by a logged-in user is registered: its history outlives a restart (an
      // unregistered room's would start a new life).
      a.send('REGISTER * * writer-password');
      await a.waitFor('900');
      const b = await IrcTestClient.connect(srv.port);
      await b.register('friend', { caps: CAPS });
      await joinRoom(a, '#keep');
      await joinRoom(b, '#keep');
      const [keep, gone] = await say(a, '#keep', ['keep this deploy note', 'delete this deploy note']);
      b.send(`@+draft/reply=${keep!.tags['msgid']};+draft/react=✅ TAGMSG #keep`);
      await a.waitFor((m) => m.command === 'TAGMSG' && m.tags['+draft/react'] === '✅');
      a.send(`REDACT #keep ${gone!.tags['msgid']} :typo`);
      await b.waitFor(isRedact(gone!.tags['msgid']!));
      a.destroy();
      b.destroy();
      assert.equal(await srv.stop(), 0);

      srv = await startServer({ dataDir: data.path });
      const r = await IrcTestClient.connect(srv.port);
      await r.register('reader', { caps: CAPS });
      await joinRoom(r, '#keep');
      r.send('CHATHISTORY LATEST #keep * 10');
      const page = await collectBatch(r, 'chathistory');
      assert.deepEqual(
        page.lines.map((m) => [m.command, m.params[1], m.tags['+draft/react'] ?? m.params[2]]),
        [
          ['PRIVMSG', 'keep this deploy note', undefined],
          ['TAGMSG', undefined, '✅'],
          ['REDACT', gone!.tags['msgid'], 'typo'],
        ],
      );
      r.send('SEARCH text=deploy;in=#keep');
      assert.deepEqual(texts((await collectBatch(r, 'soju.im/search')).lines), ['keep this deploy note']);
      r.destroy();
      assert.equal(await srv.stop(), 0);
      srv = undefined;
    } finally {
      await srv?.stop();
      data.remove();
    }
  });
});
