// Who reads which history (issue 11), over real sockets and a real SQLite file: a nick taken or
// registered after its owner left does not read the owner's DMs; a room that emptied, or any
// unregistered room after a restart, does not hand its history to whoever creates it next; a
// registered room keeps its modes, key and bans across a restart and they keep guarding its
// history; read markers only for what the account may read.
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IrcTestClient, startServer, tempDir } from '../../helpers/index.ts';
import { harness, joinRoom, type Harness } from '../helpers.ts';
import { MODERN_CAPS, collectBatch, isFail, login, newAccount, say, texts } from './helpers.ts';

const WHOLE = 'timestamp=2000-01-01T00:00:00.000Z timestamp=2100-01-01T00:00:00.000Z 100';

async function page(c: IrcTestClient, cmd: string) {
  c.send(cmd);
  return collectBatch(c, 'chathistory');
}

async function targets(c: IrcTestClient): Promise<string[]> {
  c.send(`CHATHISTORY TARGETS ${WHOLE}`);
  return (await collectBatch(c, 'draft/chathistory-targets')).lines.map((m) => m.params[1]!);
}

/** Quits and waits until `watcher` saw the QUIT (the nick is free from then on). */
async function quit(c: IrcTestClient, watcher: IrcTestClient): Promise<void> {
  const nick = c.nick;
  await c.close();
  watcher.send(`WHOIS ${nick}`);
  await watcher.waitFor((m) => m.command === '401' && m.params[1] === nick);
}

describe('who reads which history', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ args: ['--flood-control', 'off'] });
  });
  after(async () => {
    await h.stop();
  });

  it('taking a nick does not read its DMs', async () => {
    const lurk = await h.user('lurk', { caps: MODERN_CAPS });
    const alice = await h.user('alice', { caps: MODERN_CAPS });
    const bob = await h.user('bob', { caps: MODERN_CAPS });
    await say(alice, 'bob', ['hi bob']);
    await bob.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'hi bob');
    await say(bob, 'alice', ['hi alice']);
    await alice.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'hi alice');

    // Each side reads its own conversation, addressed as a query window expects.
    const mine = await page(alice, 'CHATHISTORY LATEST bob * 100');
    assert.deepEqual(texts(mine.lines), ['hi bob', 'hi alice']);
    assert.deepEqual(mine.lines.map((m) => m.params[0]), ['bob', 'alice']);
    assert.deepEqual(texts((await page(bob, 'CHATHISTORY LATEST alice * 100')).lines), ['hi bob', 'hi alice']);

    await quit(bob, alice);
    // bob's side is gone with its connection; alice still reads hers under the nick she knew.
    assert.deepEqual(texts((await page(alice, 'CHATHISTORY LATEST bob * 100')).lines), ['hi bob', 'hi alice']);

    lurk.send('NICK bob');
    await lurk.waitFor((m) => m.command === 'NICK' && m.params[0] === 'bob');
    lurk.nick = 'bob';
    assert.deepEqual(await targets(lurk), [], 'no conversation of the old bob');
    assert.deepEqual(texts((await page(lurk, 'CHATHISTORY LATEST alice * 100')).lines), []);
    assert.deepEqual(texts((await page(lurk, 'CHATHISTORY AFTER alice timestamp=2000-01-01T00:00:00.000Z 100')).lines), []);
  });

  it('registering a nick does not inherit its DMs', async () => {
    const alice = await h.user('alice2', { caps: MODERN_CAPS });
    const carol = await h.user('carol', { caps: MODERN_CAPS });
    await say(alice, 'carol', ['for the old carol']);
    await carol.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'for the old carol');
    await quit(carol, alice);

    const heir = await newAccount(h, 'carol');
    assert.deepEqual(texts((await page(heir, 'CHATHISTORY LATEST alice2 * 100')).lines), []);
    assert.deepEqual(await targets(heir), []);
    // The sender, still connected, reads what it sent; the new carol is another conversation.
    assert.deepEqual(texts((await page(alice, 'CHATHISTORY LATEST carol * 100')).lines), []);
  });

  it('an account reads its DMs from any connection, also with a guest who left', async () => {
    const desk = await newAccount(h, 'dana');
    const guest = await h.user('gus', { caps: MODERN_CAPS });
    await say(guest, 'dana', ['from a guest']);
    await desk.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'from a guest');
    await say(desk, 'gus', ['to the guest']);
    await quit(guest, desk);

    const laptop = await h.user('dana-laptop', { caps: MODERN_CAPS, sasl: { account: 'dana', password: 'dana-password' } });
    assert.ok((await targets(laptop)).includes('gus'));
    const conv = await page(laptop, 'CHATHISTORY LATEST gus * 100');
    assert.deepEqual(texts(conv.lines), ['from a guest', 'to the guest']);
    assert.deepEqual(conv.lines.map((m) => m.params[0]), ['dana-laptop', 'gus'], "the guest's to me (my current nick), mine to the guest");

    const impostor = await h.user('gus', { caps: MODERN_CAPS });
    assert.deepEqual(texts((await page(impostor, 'CHATHISTORY LATEST dana * 100')).lines), []);
    assert.deepEqual(await targets(impostor), []);
  });

  it('a guest who registers keeps its DMs, with accounts and guests alike; from a later connection too', async () => {
    const hana = await newAccount(h, 'hana');
    const gwen = await h.user('gwen', { caps: [...MODERN_CAPS, 'draft/account-registration'] });
    const gabe = await h.user('gabe', { caps: MODERN_CAPS });
    await say(gwen, 'hana', ['before I had an account']);
    await say(hana, 'gwen', ['welcome']);
    await say(gabe, 'gwen', ['guest to guest']);
    await say(gwen, 'gabe', ['hi gabe']);
    gwen.send('REGISTER * * gwen-password');
    await gwen.waitFor((m) => m.command === '900');

    assert.deepEqual(texts((await page(gwen, 'CHATHISTORY LATEST hana * 100')).lines), ['before I had an account', 'welcome']);
    assert.deepEqual(texts((await page(gwen, 'CHATHISTORY LATEST gabe * 100')).lines), ['guest to guest', 'hi gabe']);
    assert.deepEqual((await targets(gwen)).sort(), ['gabe', 'hana']);
    assert.ok((await targets(hana)).includes('gwen'), "hana's list names the account");
    assert.deepEqual(texts((await page(hana, 'CHATHISTORY LATEST gwen * 100')).lines), ['before I had an account', 'welcome']);

    await quit(gwen, hana);
    // The guest who talked with her still finds the conversation once she left.
    assert.deepEqual(texts((await page(gabe, 'CHATHISTORY LATEST gwen * 100')).lines), ['guest to guest', 'hi gabe']);
    // Her nick is an account's name now: nobody else can take it (433), hence no impostor here.
    const back = await login(h, 'gwen');
    assert.deepEqual(texts((await page(back, 'CHATHISTORY LATEST hana * 100')).lines), ['before I had an account', 'welcome']);
    assert.match(h.srv.output(), /gwen logged in as gwen: 4 message\(s\) of its guest DMs are now the account's/);
  });

  it('a guest DM kept for an offline account is not read by the next guest with that nick', async () => {
    const erin = await newAccount(h, 'erin');
    await erin.close();
    const guest = await h.user('gil', { caps: MODERN_CAPS });
    await say(guest, 'erin', ['while you were out']);
    await guest.waitFor((m) => m.command === 'NOTE' || m.command === '301');
    await guest.close();

    const next = await h.user('gil', { caps: MODERN_CAPS });
    assert.deepEqual(texts((await page(next, 'CHATHISTORY LATEST erin * 100')).lines), []);
    // erin gets it on return, from the guest.
    const back = await login(h, 'erin');
    const replay = await collectBatch(back, 'chathistory');
    assert.deepEqual(texts(replay.lines), ['while you were out']);
    assert.equal(replay.lines[0]!.params[0], 'erin');
  });

  it('an emptied room does not hand its history to the next comer', async () => {
    const owner = await h.user('owner', { caps: MODERN_CAPS });
    await joinRoom(owner, '#secret');
    owner.send('MODE #secret +sik key1');
    await owner.waitFor((m) => m.command === 'MODE' && m.params[0] === '#secret');
    const old = await say(owner, '#secret', ['old 1', 'old 2', 'old 3']);
    assert.deepEqual(texts((await page(owner, 'CHATHISTORY LATEST #secret * 100')).lines), ['old 1', 'old 2', 'old 3']);
    owner.send('PART #secret');
    await owner.waitFor((m) => m.command === 'PART');

    const intruder = await h.user('intruder', { caps: MODERN_CAPS });
    await joinRoom(intruder, '#secret'); // a new room: no key, and its operator
    assert.deepEqual(texts((await page(intruder, 'CHATHISTORY LATEST #secret * 100')).lines), []);
    assert.deepEqual(await targets(intruder), []);
    // A msgid of the old life is unknown here.
    assert.deepEqual(texts((await page(intruder, `CHATHISTORY AFTER #secret msgid=${old[0]!.tags['msgid']} 100`)).lines), []);

    // The current life is served whole: the bound is in the query, not a filter of its page.
    await say(intruder, '#secret', ['new 1', 'new 2', 'new 3']);
    assert.deepEqual(texts((await page(intruder, 'CHATHISTORY AFTER #secret timestamp=2000-01-01T00:00:00.000Z 2')).lines), ['new 1', 'new 2']);
    assert.deepEqual(texts((await page(intruder, 'CHATHISTORY LATEST #secret * 100')).lines), ['new 1', 'new 2', 'new 3']);
    assert.deepEqual(await targets(intruder), ['#secret']);
  });

  it('registering an emptied room does not reach back into its earlier life', async () => {
    const owner = await h.user('owner2', { caps: MODERN_CAPS });
    await joinRoom(owner, '#incident');
    owner.send('MODE #incident +s');
    await owner.waitFor((m) => m.command === 'MODE' && m.params[0] === '#incident');
    await say(owner, '#incident', ['before registration']);
    owner.send('PART #incident');
    await owner.waitFor((m) => m.command === 'PART');

    const founder = await newAccount(h, 'founder');
    await joinRoom(founder, '#incident'); // created while logged in: registered to founder
    assert.deepEqual(texts((await page(founder, 'CHATHISTORY LATEST #incident * 100')).lines), []);
    await say(founder, '#incident', ['after registration']);
    assert.deepEqual(texts((await page(founder, 'CHATHISTORY LATEST #incident * 100')).lines), ['after registration']);
  });

  it('read markers only for a room one may read or a conversation one has', async () => {
    const T = 'timestamp=2026-01-02T03:04:05.678Z';
    const reader = await newAccount(h, 'reader');
    const keeper = await h.user('keeper', { caps: MODERN_CAPS });
    await joinRoom(keeper, '#closed');
    keeper.send('MODE #closed +s');
    await keeper.waitFor((m) => m.command === 'MODE' && m.params[0] === '#closed');

    for (const target of ['#closed', '#nowhere', 'nobody', 'keeper']) {
      reader.send(`MARKREAD ${target} ${T}`);
      const fail = await reader.waitFor(isFail('MARKREAD', 'INVALID_PARAMS'));
      assert.equal(fail.params[2], target);
    }
    for (const target of ['#closed', '#nowhere', 'nobody', 'keeper']) {
      reader.send(`MARKREAD ${target}`);
      assert.deepEqual((await reader.waitFor('MARKREAD')).params, [target, '*'], `nothing stored for ${target}`);
    }
    const db = new DatabaseSync(join(h.srv.dataDir, 'chatroom.sqlite'), { readOnly: true });
    try {
      assert.equal((db.prepare("SELECT count(*) AS n FROM read_markers WHERE account = 'reader'").get() as { n: number }).n, 0);
    } finally {
      db.close();
    }

    // Once they talked, and in a room it may read, the marker is kept.
    await say(reader, 'keeper', ['hello']);
    await joinRoom(reader, '#open');
    for (const target of ['keeper', '#open']) {
      reader.send(`MARKREAD ${target} ${T}`);
      const set = await reader.waitFor((m) => m.command === 'MARKREAD' && m.params[0] === target && m.params[1] !== '*');
      assert.deepEqual(set.params, [target, T]);
    }
  });
});

describe('who reads which history across a restart', () => {
  it('an unregistered room starts empty; a registered one keeps its history, modes, key and bans', async () => {
    const data = tempDir('chatroom-privacy-');
    try {
      let srv = await startServer({ dataDir: data.path });
      const founder = await IrcTestClient.connect(srv.port);
      await founder.register('founder', { caps: [...MODERN_CAPS, 'draft/account-registration'] });
      founder.send('REGISTER * * founder-password');
      await founder.waitFor('900');
      await joinRoom(founder, '#reg');
      founder.send('MODE #reg +sk key1');
      founder.send('MODE #reg +b banned!*@*');
      await founder.waitFor((m) => m.command === 'MODE' && m.params[1] === '+b');
      await say(founder, '#reg', ['registered secret']);
      const guest = await IrcTestClient.connect(srv.port);
      await guest.register('guest', { caps: MODERN_CAPS });
      await joinRoom(guest, '#loose');
      await say(guest, '#loose', ['loose talk']);
      founder.destroy();
      guest.destroy();
      assert.equal(await srv.stop(), 0);

      srv = await startServer({ dataDir: data.path });
      try {
        const next = await IrcTestClient.connect(srv.port);
        await next.register('next', { caps: MODERN_CAPS });
        await joinRoom(next, '#loose');
        assert.deepEqual(texts((await page(next, 'CHATHISTORY LATEST #loose * 100')).lines), [], 'an unregistered room after a restart');

        next.send('CHATHISTORY LATEST #reg * 100');
        await next.waitFor(isFail('CHATHISTORY', 'INVALID_TARGET')); // +s and +k survived
        next.send('JOIN #reg');
        await next.waitFor('475');
        const banned = await IrcTestClient.connect(srv.port);
        await banned.register('banned', { caps: MODERN_CAPS });
        banned.send('JOIN #reg key1');
        await banned.waitFor('474');
        banned.send('CHATHISTORY LATEST #reg * 100');
        await banned.waitFor(isFail('CHATHISTORY', 'INVALID_TARGET'));

        await joinRoom(next, '#reg', 'key1');
        assert.deepEqual(texts((await page(next, 'CHATHISTORY LATEST #reg * 100')).lines), ['registered secret'], 'a member reads a registered room whole');
        next.destroy();
        banned.destroy();
      } finally {
        assert.equal(await srv.stop(), 0);
      }
    } finally {
      data.remove();
    }
  });
});
