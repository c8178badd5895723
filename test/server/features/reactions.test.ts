// Replies (+draft/reply on PRIVMSG) and reactions (+draft/react / +draft/unreact on TAGMSG) over
// real TCP and a real SQLite file: one client sees them live, another after reconnecting, through
// CHATHISTORY; refusals for unknown messages and oversized or too many reactions.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_REACTION_BYTES, REACTIONS_PER_USER } from '../../../src/protocol/clienttags.ts';
import type { IrcMessage } from '../../../src/protocol/message.ts';
import type { IrcTestClient } from '../../helpers/index.ts';
import { harness, joinRoom, type Harness } from '../helpers.ts';
import { MODERN_CAPS, collectBatch, isFail, login, newAccount, say, texts } from './helpers.ts';

const isTagmsg = (from: string, react?: string) => (m: IrcMessage) =>
  m.command === 'TAGMSG' && m.source?.startsWith(`${from}!`) === true && (react === undefined || m.tags['+draft/react'] === react);

describe('replies and reactions', () => {
  let h: Harness;
  let alice: IrcTestClient;
  let bob: IrcTestClient;
  let carol: IrcTestClient;
  let parent: IrcMessage;

  before(async () => {
    h = await harness({ args: ['--flood-control', 'off'] });
    alice = await newAccount(h, 'alice');
    bob = await newAccount(h, 'bob');
    carol = await newAccount(h, 'carol');
    await joinRoom(alice, '#room');
    await joinRoom(bob, '#room');
    parent = (await say(alice, '#room', ['lunch at noon?']))[0]!;
  });
  after(async () => {
    await h.stop();
  });

  const history = async (c: IrcTestClient, target: string) => {
    c.send(`CHATHISTORY LATEST ${target} * 50`);
    return collectBatch(c, 'chathistory');
  };

  it('keeps +draft/reply on a PRIVMSG, live and in history', async () => {
    const id = parent.tags['msgid']!;
    bob.send(`@+draft/reply=${id} PRIVMSG #room :yes, at the usual place`);
    const live = await alice.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'yes, at the usual place');
    assert.equal(live.tags['+draft/reply'], id);
    // alice again, on a new connection (she stays connected, so under another nick).
    const again = await h.user('alice2', { caps: MODERN_CAPS, sasl: { account: 'alice', password: 'alice-password' } });
    const b = await history(again, '#room');
    const reply = b.lines.find((m) => m.params[1] === 'yes, at the usual place');
    assert.equal(reply?.tags['+draft/reply'], id, 'replayed with the tag');
    assert.equal(reply?.tags['msgid'], live.tags['msgid']);
    again.destroy();
  });

  it('relays a reaction live and replays it right after its message', async () => {
    const id = parent.tags['msgid']!;
    bob.send(`@+draft/reply=${id};+draft/react=👍 TAGMSG #room`);
    const live = await alice.waitFor(isTagmsg('bob', '👍'));
    assert.equal(live.tags['+draft/reply'], id);
    const echo = await bob.waitFor(isTagmsg('bob', '👍'));
    assert.equal(echo.tags['msgid'], live.tags['msgid']);

    // carol was not there: she reads the room's history and sees who reacted with what.
    await joinRoom(carol, '#room');
    const b = await history(carol, '#room');
    const at = b.lines.findIndex((m) => m.tags['msgid'] === id);
    assert.ok(at >= 0);
    const next = b.lines[at + 1]!;
    assert.equal(next.command, 'TAGMSG');
    assert.deepEqual([next.tags['+draft/react'], next.tags['+draft/reply'], next.tags['msgid'], next.tags['account']], ['👍', id, live.tags['msgid'], 'bob']);
    assert.match(next.source!, /^bob!/);
    assert.equal(next.params[0], '#room');
    assert.equal(next.tags['time'], live.tags['time']);
  });

  it('+draft/unreact takes the reaction back: relayed, and gone from history', async () => {
    const id = parent.tags['msgid']!;
    bob.send(`@+draft/reply=${id};+draft/react=🎉 TAGMSG #room`);
    await alice.waitFor(isTagmsg('bob', '🎉'));
    bob.send(`@+draft/reply=${id};+draft/unreact=🎉 TAGMSG #room`);
    const un = await alice.waitFor((m) => isTagmsg('bob')(m) && m.tags['+draft/unreact'] === '🎉');
    assert.equal(un.tags['+draft/reply'], id);
    const b = await history(alice, '#room');
    const reactions = b.lines.filter((m) => m.command === 'TAGMSG').map((m) => m.tags['+draft/react']);
    assert.deepEqual(reactions, ['👍'], 'the 🎉 is gone, the 👍 stays');
  });

  it('a second identical reaction is stored once', async () => {
    const id = parent.tags['msgid']!;
    bob.send(`@+draft/reply=${id};+draft/react=👍 TAGMSG #room`);
    await bob.waitFor(isTagmsg('bob', '👍'));
    const b = await history(alice, '#room');
    assert.equal(b.lines.filter((m) => m.command === 'TAGMSG').length, 1);
  });

  it('refuses a reaction to a msgid that is not in that target, and relays nothing', async () => {
    bob.send('@+draft/reply=nosuchmsgid;+draft/react=👍 TAGMSG #room');
    const f = await bob.waitFor(isFail('TAGMSG', 'UNKNOWN_MSGID'));
    assert.equal(f.params[2], '#room');
    // A message of #room is not in #other's history.
    await joinRoom(bob, '#other');
    bob.send(`@+draft/reply=${parent.tags['msgid']};+draft/react=👍 TAGMSG #other`);
    await bob.waitFor(isFail('TAGMSG', 'UNKNOWN_MSGID'));
    await say(bob, '#room', ['marker']);
    assert.ok(!alice.messages.some((m) => m.command === 'TAGMSG' && m.tags['+draft/reply'] === 'nosuchmsgid'));
  });

  it(`refuses a reaction longer than ${MAX_REACTION_BYTES} bytes and more than ${REACTIONS_PER_USER} per person`, async () => {
    const id = parent.tags['msgid']!;
    bob.send(`@+draft/reply=${id};+draft/react=${'x'.repeat(MAX_REACTION_BYTES + 1)} TAGMSG #room`);
    await bob.waitFor(isFail('TAGMSG', 'INVALID_REACTION'));
    for (let i = 0; i < REACTIONS_PER_USER; i++) bob.send(`@+draft/reply=${id};+draft/react=r${i} TAGMSG #room`);
    await bob.waitFor(isFail('TAGMSG', 'TOO_MANY_REACTIONS'));
    const b = await history(alice, '#room');
    const mine = b.lines.filter((m) => m.command === 'TAGMSG' && m.source?.startsWith('bob!'));
    assert.equal(mine.length, REACTIONS_PER_USER);
  });

  it('reacts in a DM; only the two parties see it in history', async () => {
    const [dm] = await say(alice, 'bob', ['a private question']);
    const id = dm!.tags['msgid']!;
    bob.send(`@+draft/reply=${id};+draft/react=❤ TAGMSG alice`);
    await alice.waitFor(isTagmsg('bob', '❤'));
    const b = await history(alice, 'bob');
    assert.deepEqual(texts(b.lines), ['a private question']);
    assert.equal(b.lines.find((m) => m.command === 'TAGMSG')?.tags['+draft/react'], '❤');
    // A third party reacting to it through its own "conversation" with alice: not that message.
    carol.send(`@+draft/reply=${id};+draft/react=👀 TAGMSG alice`);
    await carol.waitFor(isFail('TAGMSG', 'UNKNOWN_MSGID'));
  });

  it('reacts to a DM of an account that is offline: stored and echoed, seen in their history when back; typing to them is dropped', async () => {
    const dana = await newAccount(h, 'dana');
    const [dm] = await say(dana, 'alice', ['see you tomorrow']);
    await alice.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'see you tomorrow');
    dana.send('QUIT :bye');
    await dana.closed;
    alice.send(`@+draft/reply=${dm!.tags['msgid']!};+draft/react=👋 TAGMSG dana`);
    const echo = await alice.waitFor(isTagmsg('alice', '👋'));
    assert.equal(echo.params[0], 'dana');
    alice.send('@+typing=active TAGMSG dana');
    alice.send('PING :after-typing');
    const next = await alice.waitFor((m) => m.command === 'PONG' || m.command === '401' || m.command === 'FAIL');
    assert.equal(next.command, 'PONG', 'no error for typing to an offline account');
    const back = await login(h, 'dana');
    try {
      const b = await history(back, 'alice');
      assert.deepEqual(texts(b.lines), ['see you tomorrow']);
      const r = b.lines.find((m) => m.command === 'TAGMSG');
      assert.equal(r?.tags['+draft/react'], '👋');
      assert.equal(r?.tags['+draft/reply'], dm!.tags['msgid']);
    } finally {
      back.destroy();
    }
  });

  it('a reaction to an account connected under another nick reaches that connection, addressed to its nick', async () => {
    const erin = await newAccount(h, 'erin');
    const [dm] = await say(erin, 'alice', ['ping me later']);
    erin.send('NICK erin_away');
    await erin.waitFor((m) => m.command === 'NICK');
    alice.send(`@+draft/reply=${dm!.tags['msgid']!};+draft/react=👍 TAGMSG erin`);
    const got = await erin.waitFor(isTagmsg('alice', '👍'));
    assert.equal(got.params[0], 'erin_away');
    erin.destroy();
  });

  it('a react without +draft/reply (the spec requires one) is relayed as before and not stored', async () => {
    bob.send('@+draft/react=🙂 TAGMSG #room');
    await alice.waitFor(isTagmsg('bob', '🙂'));
    const b = await history(alice, '#room');
    assert.ok(!b.lines.some((m) => m.tags['+draft/react'] === '🙂'));
  });

  it('typing notifications are still not stored', async () => {
    bob.send('@+typing=active TAGMSG #room');
    await alice.waitFor((m) => isTagmsg('bob')(m) && m.tags['+typing'] === 'active');
    const b = await history(alice, '#room');
    assert.ok(!b.lines.some((m) => m.tags['+typing'] !== undefined));
  });
});
