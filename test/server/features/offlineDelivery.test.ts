// Delivery receipts and offline DMs: with echo-message + labeled-response the sender learns for
// every message that it was accepted and stored (the labeled echo with msgid and time) or why not
// (a labeled error); a DM to a registered account that is offline is stored, the sender is told so
// (301 + NOTE PRIVMSG STORED_OFFLINE), and the recipient gets it when it comes back, once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ERR_CANNOTSENDTOCHAN, ERR_NOSUCHNICK, RPL_AWAY } from '../../../src/protocol/numerics.ts';
import { harness, joinRoom, type Harness } from '../helpers.ts';
import { MODERN_CAPS, collectBatch, login, newAccount, texts } from './helpers.ts';

describe('delivery receipts', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => {
    await h.stop();
  });

  it('an accepted message: the labeled echo carries msgid and server time', async () => {
    const a = await h.user('sender1', { caps: MODERN_CAPS });
    const b = await h.user('rcpt1', { caps: MODERN_CAPS });
    a.send('@label=r1 PRIVMSG rcpt1 :hello there');
    const echo = await a.waitFor((m) => m.tags['label'] === 'r1');
    assert.equal(echo.command, 'PRIVMSG');
    assert.deepEqual(echo.params, ['rcpt1', 'hello there']);
    assert.match(echo.tags['msgid']!, /^[A-Za-z0-9_-]{22}$/);
    assert.match(echo.tags['time']!, /^\d{4}-\d\d-\d\dT/);
    const got = await b.waitFor('PRIVMSG');
    assert.equal(got.tags['msgid'], echo.tags['msgid'], 'the receiver sees the same msgid');
  });

  it('a refused message: the labeled error says why', async () => {
    const a = await h.user('sender2', { caps: MODERN_CAPS });
    a.send('@label=r2 PRIVMSG nobody-here :hello?');
    const err = await a.waitFor((m) => m.tags['label'] === 'r2');
    assert.equal(err.command, ERR_NOSUCHNICK);
    assert.equal(err.params[1], 'nobody-here');
    const op = await h.user('op2', { caps: MODERN_CAPS });
    await joinRoom(op, '#moderated');
    op.send('MODE #moderated +m');
    await op.waitFor((m) => m.command === 'MODE');
    await joinRoom(a, '#moderated');
    a.send('@label=r3 PRIVMSG #moderated :may I?');
    const refused = await a.waitFor((m) => m.tags['label'] === 'r3');
    assert.equal(refused.command, ERR_CANNOTSENDTOCHAN);
  });

  it('a client with labeled-response but no echo-message gets an ACK', async () => {
    const a = await h.user('sender3', { caps: ['labeled-response', 'batch'] });
    await h.user('rcpt3');
    a.send('@label=r4 PRIVMSG rcpt3 :hi');
    const ack = await a.waitFor((m) => m.tags['label'] === 'r4');
    assert.equal(ack.command, 'ACK');
  });
});

describe('offline direct messages', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => {
    await h.stop();
  });

  it('are stored, the sender is told, and the recipient gets them on return (and in CHATHISTORY)', async () => {
    const bob = await newAccount(h, 'bob');
    await bob.close();
    const alice = await newAccount(h, 'alice');

    alice.send('@label=o1 PRIVMSG bob :are you there?');
    // A labeled-response batch: 301, the NOTE, and the echo (accepted and stored).
    const b = await collectBatch(alice, 'labeled-response');
    assert.equal(b.open.tags['label'], 'o1');
    const away = b.lines.find((m) => m.command === RPL_AWAY)!;
    assert.deepEqual(away.params.slice(1), ['bob', 'bob is offline; your message was stored and will be delivered when they return']);
    const note = b.lines.find((m) => m.command === 'NOTE')!;
    assert.deepEqual(note.params.slice(0, 3), ['PRIVMSG', 'STORED_OFFLINE', 'bob']);
    const echo = b.lines.find((m) => m.command === 'PRIVMSG')!;
    assert.ok(echo.tags['msgid']);
    alice.send('PRIVMSG bob :second one');
    await alice.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'second one');

    // A stock client (no caps) is told too, with the 301 it displays.
    const stock = await h.user('stock', { noCap: true });
    stock.send('PRIVMSG bob :from irssi');
    const told = await stock.waitFor(RPL_AWAY);
    assert.match(told.params[2]!, /offline.*stored/);

    // bob comes back: his queued DMs arrive, per sender, in chathistory batches.
    const back = await login(h, 'bob');
    const fromAlice = await collectBatch(back, 'chathistory', (m) => m.params[2] === 'alice');
    assert.deepEqual(texts(fromAlice.lines), ['are you there?', 'second one']);
    assert.equal(fromAlice.lines[0]!.tags['msgid'], echo.tags['msgid']);
    assert.equal(fromAlice.lines[0]!.params[0], 'bob');
    const fromStock = await collectBatch(back, 'chathistory', (m) => m.params[2] === 'stock');
    assert.deepEqual(texts(fromStock.lines), ['from irssi']);
    // ...and they are in the conversation's history.
    back.send('CHATHISTORY LATEST alice * 10');
    assert.deepEqual(texts((await collectBatch(back, 'chathistory')).lines), ['are you there?', 'second one']);

    // Only once: the next connection of bob gets no replay.
    const again = await h.user('bob-laptop', { caps: MODERN_CAPS, sasl: { account: 'bob', password: 'bob-password' } });
    again.send('CHATHISTORY LATEST alice * 1');
    const hist = await collectBatch(again, 'chathistory');
    assert.equal(again.messages.filter((m) => m.command === 'BATCH' && m.params[1] === 'chathistory').length, 1, 'only the batch asked for');
    assert.deepEqual(texts(hist.lines), ['second one']);
  });

  it('a stock client without batch gets the queued DMs as plain PRIVMSGs on return', async () => {
    const carol = await newAccount(h, 'carol');
    await carol.close();
    const dave = await h.user('dave');
    dave.send('PRIVMSG carol :ping me when back');
    await dave.waitFor(RPL_AWAY);
    const back = await h.user('carol', { caps: ['server-time'], sasl: { account: 'carol', password: 'carol-password' } });
    const m = await back.waitFor('PRIVMSG');
    assert.equal(m.source?.split('!')[0], 'dave');
    assert.deepEqual(m.params, ['carol', 'ping me when back']);
    assert.ok(m.tags['time'], 'with its original server time');
  });

  it('an account connected under another nick gets the DM at once, and the sender no notice', async () => {
    const nora = await newAccount(h, 'nora');
    await nora.close();
    const elsewhere = await h.user('nora_', { caps: MODERN_CAPS, sasl: { account: 'nora', password: 'nora-password' } });
    const sender = await h.user('fred', { caps: MODERN_CAPS });
    sender.send('@label=n1 PRIVMSG nora :for the account');
    const got = await elsewhere.waitFor('PRIVMSG');
    assert.deepEqual(got.params, ['nora_', 'for the account']);
    const echo = await sender.waitFor((m) => m.tags['label'] === 'n1');
    assert.equal(echo.command, 'PRIVMSG', 'just the echo: no 301/NOTE');
  });

  it('a nick with no account and no connection gets 401', async () => {
    const a = await h.user('erin', { caps: MODERN_CAPS });
    a.send('PRIVMSG ghost :boo');
    const e = await a.waitFor(ERR_NOSUCHNICK);
    assert.equal(e.params[1], 'ghost');
  });
});
