// draft/multiline: the capability value, a batch round trip (one msgid, lines and concat kept),
// fallback to separate PRIVMSGs for clients without it, one stored message replayed as a batch from
// history, labeled echo, the spec's FAIL codes, and unfinished batches that are dropped.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ERR_NOSUCHNICK, RPL_AWAY } from '../../../src/protocol/numerics.ts';
import type { IrcTestClient } from '../../helpers/index.ts';
import { harness, joinRoom, type Harness } from '../helpers.ts';
import { MODERN_CAPS, collectBatch, isFail, newAccount, texts } from './helpers.ts';

function sendBatch(c: IrcTestClient, ref: string, target: string, lines: string[], opts: { tags?: string; kind?: string } = {}): void {
  c.send(`${opts.tags ? `@${opts.tags} ` : ''}BATCH +${ref} draft/multiline ${target}`);
  for (const l of lines) {
    const concat = l.startsWith('\u0000');
    const text = concat ? l.slice(1) : l;
    c.send(`@batch=${ref}${concat ? ';draft/multiline-concat' : ''} ${opts.kind ?? 'PRIVMSG'} ${target} :${text}`);
  }
  c.send(`BATCH -${ref}`);
}

describe('draft/multiline', () => {
  let h: Harness;
  let dev: IrcTestClient;
  let peer: IrcTestClient;
  let stock: IrcTestClient;

  before(async () => {
    h = await harness();
    dev = await newAccount(h, 'dev');
    peer = await h.user('peer', { caps: MODERN_CAPS });
    stock = await h.user('stock', { caps: ['server-time', 'message-tags'] });
    for (const c of [dev, peer, stock]) await joinRoom(c, '#code');
  });
  after(async () => {
    await h.stop();
  });

  const SNIPPET = ['function add(a, b) {', '  return a + b;', '', '}', 'a long line that goes ', '\u0000on'];

  it('advertises max-bytes and max-lines', () => {
    assert.equal(dev.serverCaps.get('draft/multiline'), 'max-bytes=8192,max-lines=100');
  });

  it('relays a batch as one message to multiline clients, as lines to the others, echoing with the label', async () => {
    sendBatch(dev, 'snip1', '#code', SNIPPET, { tags: 'label=ml1;+draft/reply=abc' });
    const got = await collectBatch(peer, 'draft/multiline');
    assert.deepEqual(got.open.params.slice(1), ['draft/multiline', '#code']);
    assert.match(got.open.source!, /^dev!/);
    const msgid = got.open.tags['msgid'];
    assert.ok(msgid && got.open.tags['time'] && got.open.tags['account'] === 'dev');
    assert.equal(got.open.tags['+draft/reply'], 'abc', 'client tags of the BATCH + go with the message');
    assert.deepEqual(texts(got.lines), SNIPPET.map((l) => l.replace('\u0000', '')));
    assert.equal(got.lines[5]!.tags['draft/multiline-concat'], '');
    assert.equal(got.lines[4]!.tags['draft/multiline-concat'], undefined);

    const echo = await collectBatch(dev, 'draft/multiline');
    assert.equal(echo.open.tags['label'], 'ml1', 'label on the opening BATCH of the echo (spec)');
    assert.equal(echo.open.tags['msgid'], msgid);
    assert.equal(dev.unreturned((m) => m.command === 'ACK').length, 0);

    // Fallback: separate PRIVMSGs, no blank line, msgid only on the first.
    const fallback: string[] = [];
    const first = await stock.waitFor('PRIVMSG');
    assert.equal(first.tags['msgid'], msgid);
    fallback.push(first.params[1]!);
    for (let i = 0; i < 4; i++) {
      const m = await stock.waitFor('PRIVMSG');
      assert.equal(m.tags['msgid'], undefined);
      fallback.push(m.params[1]!);
    }
    assert.deepEqual(fallback, ['function add(a, b) {', '  return a + b;', '}', 'a long line that goes ', 'on']);
    await stock.sync();
    assert.equal(stock.unreturned((m) => m.command === 'PRIVMSG' || m.command === 'BATCH').length, 0);
  });

  it('stores the batch as ONE message and replays it as a batch from history', async () => {
    peer.send('CHATHISTORY LATEST #code * 1');
    const page = await collectBatch(peer, 'chathistory');
    const inner = page.all.filter((m) => m.command === 'BATCH');
    assert.equal(inner.length, 2, 'one nested multiline batch');
    assert.equal(inner[0]!.params[1], 'draft/multiline');
    assert.equal(inner[0]!.tags['batch'], page.open.params[0]!.slice(1), 'nested in the chathistory batch');
    const ref = inner[0]!.params[0]!.slice(1);
    const lines = page.all.filter((m) => m.tags['batch'] === ref);
    // Stored as the combined text; replayed one line per line break (concat parts joined).
    assert.deepEqual(texts(lines), ['function add(a, b) {', '  return a + b;', '', '}', 'a long line that goes on']);
    stock.send('CHATHISTORY LATEST #code * 1');
    const m1 = await stock.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'function add(a, b) {');
    assert.ok(m1.tags['msgid']);
    await stock.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'a long line that goes on');
  });

  it('continues a line that our longer source prefix would push past 512 bytes', async () => {
    const long = 'y'.repeat(470) + 'é'.repeat(5);
    sendBatch(dev, 'wide', '#code', ['short', long]);
    const got = await collectBatch(peer, 'draft/multiline');
    const ref = got.open.params[0]!.slice(1);
    for (const m of got.lines) {
      const body = `:${m.source} ${m.command} ${m.params[0]} :${m.params[1]}\r\n`;
      assert.ok(Buffer.byteLength(body) <= 512, `${Buffer.byteLength(body)} bytes`);
      assert.equal(m.tags['batch'], ref);
    }
    assert.equal(got.lines.length, 3);
    assert.equal(got.lines[2]!.tags['draft/multiline-concat'], '');
    assert.equal(got.lines[1]!.params[1]! + got.lines[2]!.params[1]!, long);
    await dev.waitFor((m) => m.command === 'BATCH' && m.params[0] === '-' + ref);
    dev.skipAll();
    stock.skipAll();
  });

  it('two full batches back to back pass flood control (a batch arrives all at once)', async () => {
    const paster = await h.user('paster', { caps: MODERN_CAPS });
    await joinRoom(paster, '#code');
    const lines = Array.from({ length: 100 }, (_, i) => `row ${i}`);
    sendBatch(paster, 'p1', '#code', lines);
    sendBatch(paster, 'p2', '#code', lines);
    const one = await collectBatch(peer, 'draft/multiline', (m) => m.source?.startsWith('paster!') === true);
    const two = await collectBatch(peer, 'draft/multiline', (m) => m.source?.startsWith('paster!') === true);
    assert.equal(one.lines.length, 100);
    assert.equal(two.lines.length, 100);
    assert.ok(paster.isOpen, 'not disconnected for flooding');
    stock.skipAll();
    dev.skipAll();
  });

  it('a DM batch to an offline account is stored and the sender told', async () => {
    const away = await newAccount(h, 'awayuser');
    await away.close();
    sendBatch(dev, 'dm1', 'awayuser', ['line one', 'line two']);
    await dev.waitFor((m) => m.command === RPL_AWAY && m.params[1] === 'awayuser');
    await dev.waitFor((m) => m.command === 'NOTE' && m.params[1] === 'STORED_OFFLINE');
    sendBatch(dev, 'dm2', 'ghost-nick', ['x']);
    await dev.waitFor(ERR_NOSUCHNICK);
  });

  it('a labeled batch answered with more than its echo: the echo nests in the labeled-response batch', async () => {
    sendBatch(dev, 'dm3', 'awayuser', ['nested one', 'nested two'], { tags: 'label=ml3' });
    const lr = await collectBatch(dev, 'labeled-response');
    assert.equal(lr.open.tags['label'], 'ml3');
    assert.deepEqual(
      lr.lines.map((m) => m.command),
      [RPL_AWAY, 'NOTE', 'BATCH', 'BATCH'],
      '301, NOTE and the echo\'s BATCH +/- are in the labeled-response batch',
    );
    const echoOpen = lr.lines[2]!;
    assert.deepEqual(echoOpen.params.slice(1), ['draft/multiline', 'awayuser']);
    assert.equal(echoOpen.tags['label'], undefined, 'the label is on the labeled-response batch only');
    const inner = lr.all.filter((m) => m.tags['batch'] === echoOpen.params[0]!.slice(1));
    assert.deepEqual(texts(inner), ['nested one', 'nested two']);
    assert.deepEqual(lr.lines[3]!.params, [`-${echoOpen.params[0]!.slice(1)}`]);
  });

  it('refuses misuse with the spec FAIL codes and drops the batch', async () => {
    dev.send('BATCH +bad2 draft/multiline #code');
    dev.send('@batch=bad2 PRIVMSG #other :hi');
    const t = await dev.waitFor(isFail('BATCH', 'MULTILINE_INVALID_TARGET'));
    assert.deepEqual(t.params.slice(2, 4), ['#code', '#other']);
    dev.send('BATCH -bad2');

    dev.send('BATCH +bad3 draft/multiline #code');
    dev.send('@batch=bad3;draft/multiline-concat PRIVMSG #code :');
    dev.send('BATCH -bad3');
    await dev.waitFor(isFail('BATCH', 'MULTILINE_INVALID'));

    sendBatch(dev, 'bad4', '#code', ['', '']);
    assert.match((await dev.waitFor(isFail('BATCH', 'MULTILINE_INVALID'))).params.at(-1)!, /blank/);

    dev.send('BATCH +bad5 draft/multiline #code');
    dev.send('@batch=bad5 PRIVMSG #code :a');
    dev.send('@batch=bad5 NOTICE #code :b');
    dev.send('BATCH -bad5');
    await dev.waitFor(isFail('BATCH', 'MULTILINE_INVALID'));

    const long = 'x'.repeat(400);
    sendBatch(dev, 'big', '#code', Array.from({ length: 21 }, () => long));
    const bytes = await dev.waitFor(isFail('BATCH', 'MULTILINE_MAX_BYTES'));
    assert.equal(bytes.params[2], '8192');

    sendBatch(dev, 'many', '#code', Array.from({ length: 101 }, (_, i) => `l${i}`));
    const lines = await dev.waitFor(isFail('BATCH', 'MULTILINE_MAX_LINES'));
    assert.equal(lines.params[2], '100');

    dev.send('@batch=nosuch PRIVMSG #code :orphan');
    await dev.waitFor(isFail('BATCH', 'MULTILINE_INVALID'));
    dev.send('BATCH -nosuch');
    await dev.waitFor(isFail('BATCH', 'MULTILINE_INVALID'));

    // None of these reached the room.
    await dev.sync();
    await peer.sync();
    assert.equal(peer.unreturned((m) => m.command === 'PRIVMSG' || m.command === 'BATCH').length, 0);
  });

  it('a batch needs the capability; an unfinished batch is dropped when its sender leaves', async () => {
    const nocap = await h.user('nocap', { caps: ['batch', 'standard-replies'] });
    nocap.send('BATCH +x draft/multiline #code');
    await nocap.waitFor(isFail('BATCH', 'MULTILINE_INVALID'));

    const quitter = await h.user('quitter', { caps: MODERN_CAPS });
    await joinRoom(quitter, '#code');
    quitter.send('BATCH +open draft/multiline #code');
    quitter.send('@batch=open PRIVMSG #code :never sent');
    await quitter.close();
    await peer.sync();
    assert.equal(peer.unreturned((m) => m.command === 'PRIVMSG' && m.params[1] === 'never sent').length, 0);
  });
});
