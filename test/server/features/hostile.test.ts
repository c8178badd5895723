// Hostile or malformed use of the modern commands: every line gets an answer or is ignored, no
// handler throws (that would be FAIL ... INTERNAL_ERROR), and the server keeps serving.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, joinRoom, type Harness } from '../helpers.ts';
import { MODERN_CAPS, newAccount } from './helpers.ts';

const LINES = [
  'CHATHISTORY LATEST',
  'CHATHISTORY LATEST * * 10',
  'CHATHISTORY LATEST #room msgid= 10',
  'CHATHISTORY LATEST #room timestamp=2026-13-45T99:99:99.999Z 10',
  'CHATHISTORY BETWEEN #room * * 10',
  'CHATHISTORY BETWEEN #room timestamp=2026-01-01T00:00:00.000Z msgid=x 99999999999',
  `CHATHISTORY LATEST ${'x'.repeat(300)} * 10`,
  'CHATHISTORY TARGETS timestamp=x timestamp=y 10',
  'CHATHISTORY :',
  'MONITOR',
  'MONITOR +',
  'MONITOR + ,,,,',
  'MONITOR - nobody',
  'MONITOR X',
  `MONITOR + ${Array.from({ length: 60 }, (_, i) => `n${i}`).join(',')}`,
  'MARKREAD',
  'MARKREAD :',
  'MARKREAD #room timestamp=',
  `MARKREAD ${'y'.repeat(200)} timestamp=2026-01-01T00:00:00.000Z`,
  'TAGMSG',
  'TAGMSG :',
  '@+typing=active TAGMSG ,',
  '@+typing=' + 'z'.repeat(3000) + ' TAGMSG #room',
  'BATCH',
  'BATCH +',
  'BATCH -',
  'BATCH x',
  'BATCH +r1 draft/multiline',
  'BATCH +r2 chathistory #room',
  'BATCH +' + 'r'.repeat(100) + ' draft/multiline #room',
  '@batch= PRIVMSG #room :x',
  '@batch=r9 JOIN #x',
  'BATCH +ok draft/multiline #room',
  '@batch=ok TOPIC #room :x',
  'BATCH -ok',
  'AWAY :' + '[busy]'.repeat(100),
  'MODE hostile +BBBB',
  'MODE hostile -B+B-B+B',
];

describe('modern commands under hostile input', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ args: ['--flood-control', 'off'] });
  });
  after(async () => {
    await h.stop();
  });

  it('answers or ignores every malformed line, never fails internally', async () => {
    const c = await newAccount(h, 'hostile');
    await joinRoom(c, '#room');
    const other = await h.user('other', { caps: MODERN_CAPS });
    await joinRoom(other, '#room');
    for (const line of LINES) c.send(line);
    await c.sync();
    const internal = c.messages.filter((m) => m.params.includes('INTERNAL_ERROR'));
    assert.deepEqual(internal, [], 'a handler threw');
    assert.ok(c.isOpen);
    c.send('PRIVMSG #room :still here');
    const m = await other.waitFor((x) => x.command === 'PRIVMSG' && x.params[1] === 'still here');
    assert.equal(m.tags['bot'], '', 'the +B from the MODE lines above');
    assert.doesNotMatch(h.srv.output(), /ERROR .*handler|hook listener failed/);
  });
});
