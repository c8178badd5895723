// The batch helper (src/server/batches.ts) and the Reply that uses it: nested batches inside a
// labeled response, unique ids, plain lines for a client without `batch`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BATCH_TYPE, CAP } from '../../src/protocol/caps.ts';
import { parseMessage, type IrcMessage } from '../../src/protocol/message.ts';
import { BatchWriter } from '../../src/server/batches.ts';
import type { Client } from '../../src/server/client.ts';
import { Outgoing } from '../../src/server/outgoing.ts';
import { Reply } from '../../src/server/reply.ts';

/** Just what Reply uses of a Client; `lines` is what reached its socket. */
function fakeClient(...caps: string[]) {
  const lines: IrcMessage[] = [];
  const client = {
    nick: 'me',
    caps: new Set(caps),
    has: (cap: string) => client.caps.has(cap),
    send: (out: Outgoing) => lines.push(parseMessage(out.lineFor(client).replace(/\r\n$/, ''))),
  };
  return { client: client as unknown as Client, lines };
}

const privmsg = (text: string) => new Outgoing({ tags: {}, source: 'a!a@h', command: 'PRIVMSG', params: ['#r', text] });

/** A multiline message rendered ahead of time, as replay.ts does for every receiver at once. */
function multiline(...texts: string[]): Outgoing[] {
  const out: Outgoing[] = [];
  const w = new BatchWriter((l) => out.push(l), { source: 'a!a@h' });
  w.openBatch(BATCH_TYPE.multiline, ['#r']);
  for (const t of texts) w.send(privmsg(t));
  w.closeBatch();
  return out;
}

const ALL = [CAP.batch, CAP.labeledResponse, CAP.messageTags];

describe('batches', () => {
  it('nests a prepared batch and a server batch inside the labeled-response batch of a labeled reply', () => {
    const { client, lines } = fakeClient(...ALL);
    const reply = new Reply(client, 'irc.test', 'L1');
    reply.server('NOTE', 'PRIVMSG', 'STORED_OFFLINE', 'bob', 'stored');
    const hist = reply.openBatch(BATCH_TYPE.chathistory, ['#r']);
    reply.send(privmsg('one'));
    reply.sendBatch(multiline('two', 'three'));
    reply.closeBatch();
    reply.flush();

    const [open, note, histOpen, one, mlOpen, two, three, mlClose, histClose, close] = lines;
    assert.equal(lines.length, 10);
    const lr = open!.params[0]!.slice(1);
    assert.deepEqual(open!.params, [`+${lr}`, 'labeled-response']);
    assert.equal(open!.tags['label'], 'L1');
    assert.deepEqual(close!.params, [`-${lr}`]);
    // Only the labeled-response batch's BATCH + carries the label.
    assert.equal(lines.filter((l) => l.tags['label'] !== undefined).length, 1);
    assert.equal(note!.tags['batch'], lr);
    assert.deepEqual(histOpen!.params, [`+${hist}`, 'chathistory', '#r']);
    assert.equal(histOpen!.tags['batch'], lr);
    assert.equal(one!.tags['batch'], hist);
    const ml = mlOpen!.params[0]!.slice(1);
    assert.deepEqual(mlOpen!.params, [`+${ml}`, 'draft/multiline', '#r']);
    assert.equal(mlOpen!.tags['batch'], hist);
    assert.equal(two!.tags['batch'], ml);
    assert.equal(three!.tags['batch'], ml);
    assert.deepEqual(mlClose!.params, [`-${ml}`]);
    assert.equal(mlClose!.tags['batch'], hist);
    assert.deepEqual(histClose!.params, [`-${hist}`]);
    assert.equal(histClose!.tags['batch'], lr);
    assert.equal(new Set([lr, hist, ml]).size, 3);
  });

  it('puts the label on the BATCH + of an answer that is one batch, without a labeled-response batch', () => {
    for (const build of [
      (r: Reply) => {
        r.openBatch(BATCH_TYPE.search);
        r.send(privmsg('hit'));
        r.closeBatch();
      },
      (r: Reply) => r.sendBatch(multiline('a', 'b')),
    ]) {
      const { client, lines } = fakeClient(...ALL);
      const reply = new Reply(client, 'irc.test', 'L2');
      build(reply);
      reply.flush();
      assert.equal(lines[0]!.command, 'BATCH');
      assert.equal(lines[0]!.tags['label'], 'L2');
      assert.equal(lines[0]!.tags['batch'], undefined);
      assert.ok(!lines.some((l) => l.params[1] === 'labeled-response'));
      assert.equal(lines.at(-1)!.params[0], `-${lines[0]!.params[0]!.slice(1)}`);
    }
  });

  it('gives every batch its own id', () => {
    const ids = new Set<string>();
    const w = new BatchWriter(() => {}, { source: 'irc.test' });
    for (let i = 0; i < 1000; i++) {
      ids.add(w.openBatch('x')!);
      if (i % 3 === 0) w.closeBatch();
    }
    assert.equal(ids.size, 1000);
  });

  it('sends a client without batch plain lines: no BATCH, no batch tags, the label on the first line', () => {
    const { client, lines } = fakeClient(CAP.labeledResponse, CAP.messageTags);
    const reply = new Reply(client, 'irc.test', 'L3');
    assert.equal(reply.openBatch(BATCH_TYPE.chathistory, ['#r']), undefined);
    reply.send(privmsg('one'));
    reply.send(privmsg('two'));
    reply.closeBatch();
    reply.flush();
    assert.deepEqual(
      lines.map((l) => [l.command, l.params[1], l.tags['label'], l.tags['batch']]),
      [
        ['PRIVMSG', 'one', 'L3', undefined],
        ['PRIVMSG', 'two', undefined, undefined],
      ],
    );
  });

  it('closes a batch left open when the reply is flushed', () => {
    const { client, lines } = fakeClient(CAP.batch);
    const reply = new Reply(client, 'irc.test');
    const id = reply.openBatch(BATCH_TYPE.search);
    reply.send(privmsg('hit'));
    reply.flush();
    assert.deepEqual(
      lines.map((l) => [l.command, l.params[0], l.tags['batch']]),
      [
        ['BATCH', `+${id}`, undefined],
        ['PRIVMSG', '#r', id],
        ['BATCH', `-${id}`, undefined],
      ],
    );
  });

  it('writes straight to one client outside a Reply (offline replay), inside an outer batch when given one', () => {
    const sent: Outgoing[] = [];
    const w = new BatchWriter((l) => sent.push(l), { source: 'irc.test', outer: 'OUT' });
    w.send(privmsg('top'));
    const id = w.openBatch(BATCH_TYPE.chathistory, ['bob']);
    w.send(privmsg('in'));
    w.closeBatch();
    const tags = sent.map((o) => parseMessage(o.lineFor({ caps: new Set([CAP.batch]) }).trim()).tags['batch']);
    assert.deepEqual(tags, ['OUT', 'OUT', id, 'OUT']);
  });
});
