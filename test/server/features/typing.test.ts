// TAGMSG and client-only tags: relayed only to receivers with message-tags, with time/msgid/account;
// echo-message; `+typing` rate-limited per target (excess dropped silently, state changes pass);
// client tags (+draft/reply, +draft/react) relayed on PRIVMSG to those who asked and stored for history.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ERR_CANNOTSENDTOCHAN, ERR_NOSUCHCHANNEL, ERR_NOSUCHNICK } from '../../../src/protocol/numerics.ts';
import { harness, joinRoom, type Harness } from '../helpers.ts';
import { MODERN_CAPS, collectBatch, newAccount } from './helpers.ts';

describe('TAGMSG and +typing', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => {
    await h.stop();
  });

  it('relays typing in a room to message-tags clients only, with server tags', async () => {
    const typer = await newAccount(h, 'typer');
    const modern = await h.user('modern', { caps: MODERN_CAPS });
    const stock = await h.user('stock', { caps: [] });
    for (const c of [typer, modern, stock]) await joinRoom(c, '#t');
    typer.send('@+typing=active TAGMSG #t');
    const t = await modern.waitFor('TAGMSG');
    assert.deepEqual(t.params, ['#t']);
    assert.equal(t.tags['+typing'], 'active');
    assert.equal(t.tags['account'], 'typer');
    assert.ok(t.tags['msgid'] && t.tags['time']);
    const echo = await typer.waitFor('TAGMSG');
    assert.equal(echo.tags['msgid'], t.tags['msgid'], 'echo-message applies to TAGMSG');
    await stock.sync();
    assert.equal(stock.unreturned((m) => m.command === 'TAGMSG').length, 0, 'a client without message-tags would see an empty line');
  });

  it('drops repeated "active" within 2 s per target, lets state changes through', async () => {
    const a = await h.user('fasttyper', { caps: MODERN_CAPS });
    const b = await h.user('reader', { caps: MODERN_CAPS });
    for (let i = 0; i < 5; i++) a.send('@+typing=active TAGMSG reader');
    a.send('@+typing=paused TAGMSG reader');
    a.send('@+typing=paused TAGMSG reader');
    a.send('@+typing=done TAGMSG reader');
    // Other client tags are not rate-limited (a reaction needs a stored message: reactions.test.ts).
    a.send('@+example.com/ping=1 TAGMSG reader');
    const other = await b.waitFor((m) => m.command === 'TAGMSG' && m.tags['+example.com/ping'] !== undefined);
    assert.equal(other.tags['+example.com/ping'], '1');
    const states = b.messages.filter((m) => m.command === 'TAGMSG' && m.tags['+typing'] !== undefined).map((m) => m.tags['+typing']);
    assert.deepEqual(states, ['active', 'paused', 'done']);
  });

  it('errors as for PRIVMSG; an offline account is skipped silently', async () => {
    const a = await h.user('errs', { caps: MODERN_CAPS });
    a.send('@+typing=active TAGMSG nobody');
    assert.equal((await a.waitFor(ERR_NOSUCHNICK)).params[1], 'nobody');
    a.send('@+typing=active TAGMSG #none');
    await a.waitFor(ERR_NOSUCHCHANNEL);
    const op = await h.user('roomop', { caps: MODERN_CAPS });
    await joinRoom(op, '#closed');
    a.send('@+typing=active TAGMSG #closed');
    await a.waitFor(ERR_CANNOTSENDTOCHAN, 5000);
    const off = await newAccount(h, 'offacct');
    await off.close();
    a.send('@label=tg @+typing=active TAGMSG offacct'.replace(' @', ';'));
    const ack = await a.waitFor((m) => m.tags['label'] === 'tg');
    assert.equal(ack.command, 'ACK');
  });

  it('client tags on PRIVMSG go to message-tags clients and come back from history', async () => {
    const a = await newAccount(h, 'replier');
    const b = await h.user('tagsee', { caps: MODERN_CAPS });
    const c = await h.user('notags', { caps: ['server-time'] });
    for (const x of [a, b, c]) await joinRoom(x, '#tags');
    a.send('@+draft/reply=xyz PRIVMSG #tags :agreed');
    const seen = await b.waitFor('PRIVMSG');
    assert.equal(seen.tags['+draft/reply'], 'xyz');
    const plain = await c.waitFor('PRIVMSG');
    assert.equal(plain.tags['+draft/reply'], undefined);
    b.send('CHATHISTORY LATEST #tags * 1');
    const hist = await collectBatch(b, 'chathistory');
    assert.equal(hist.lines[0]!.tags['+draft/reply'], 'xyz');
  });
});
