// Replies go through one place (src/server/reply.ts), which applies labeled-response: no reply ->
// ACK, one line -> labelled, several -> a labeled-response batch.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from './helpers.ts';

describe('labeled-response', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => {
    await h.stop();
  });

  it('labels single replies, batches several, ACKs none', async () => {
    const c = await h.user('labels', { caps: ['labeled-response', 'batch', 'echo-message', 'message-tags'] });
    c.send('@label=one PING :x');
    const pong = await c.waitFor('PONG');
    assert.equal(pong.tags['label'], 'one');
    c.send('@label=two PRIVMSG #nowhere :hi');
    assert.equal((await c.waitFor('403')).tags['label'], 'two');
    c.send('@label=three JOIN #labelled');
    const start = await c.waitFor('BATCH');
    assert.equal(start.tags['label'], 'three');
    assert.equal(start.params[1], 'labeled-response');
    const id = start.params[0]!.slice(1);
    const inside = await c.collectUntil((m) => m.command === 'BATCH' && m.params[0] === `-${id}`);
    const cmds = inside.filter((m) => m.tags['batch'] === id).map((m) => m.command);
    assert.deepEqual(cmds, ['JOIN', '353', '366']);
    c.send('@label=four AWAY');
    const r = await c.waitFor('305');
    assert.equal(r.tags['label'], 'four');
    c.send('@label=five PONG :nothing');
    const ack = await c.waitFor('ACK');
    assert.equal(ack.tags['label'], 'five');
  });

  it('answers an unknown verb, even one the grammar refuses, with 421 naming it, labeled', async () => {
    const c = await h.user('unknowns', { caps: ['labeled-response', 'batch'] });
    c.send('@label=deadbeef NONEXISTENT_COMMAND');
    const r = await c.waitFor('421');
    assert.deepEqual(r.params, ['unknowns', 'NONEXISTENT_COMMAND', 'Unknown command']);
    assert.equal(r.tags['label'], 'deadbeef');
    c.send('@label=cafe FROBNICATE x');
    const r2 = await c.waitFor('421');
    assert.deepEqual(r2.params, ['unknowns', 'FROBNICATE', 'Unknown command']);
    assert.equal(r2.tags['label'], 'cafe');
  });

  it('labels the NICK line of a labeled rename itself, with no ACK after it', async () => {
    const c = await h.user('renlabel', { caps: ['labeled-response', 'batch'] });
    c.send('@label=abc NICK renlabel2');
    const nick = await c.waitFor('NICK');
    assert.equal(nick.tags['label'], 'abc');
    assert.equal(nick.params[0], 'renlabel2');
    await c.sync();
    assert.deepEqual(c.unreturned((m) => m.command === 'ACK'), []);
  });

  for (const echo of [true, false]) {
    it(`a labeled message to oneself ${echo ? 'with' : 'without'} echo-message: the delivery unlabeled${echo ? ', the echo labeled' : ', then an ACK'}`, async () => {
      const nick = echo ? 'selfecho' : 'selfquiet';
      const c = await h.user(nick, { caps: ['labeled-response', 'batch', 'message-tags', ...(echo ? ['echo-message'] : [])] });
      await c.sync();
      c.skipAll();
      for (const [i, line] of [`PRIVMSG ${nick} :hi`, `NOTICE ${nick} :note`, `@+draft/react=x TAGMSG ${nick}`].entries()) {
        const command = line.split(' ').find((w) => /^[A-Z]+$/.test(w))!;
        c.send(`@label=l${i}${line.startsWith('@') ? ';' + line.slice(1) : ' ' + line}`);
        await c.sync();
        const got = c.unreturned((m) => m.command === command || m.command === 'ACK' || m.command === 'BATCH');
        c.skipAll();
        const summary = got.map((m) => `${m.command}${m.tags['label'] ? ` label=${m.tags['label']}` : ''}`);
        assert.deepEqual(summary, echo ? [command, `${command} label=l${i}`] : [command, `ACK label=l${i}`], line);
      }
    });
  }

  it('sends no labels to clients without the capability', async () => {
    const c = await h.user('nolabels');
    c.send('@label=x PING :y');
    const pong = await c.waitFor('PONG');
    assert.deepEqual(pong.tags, {});
  });
});
