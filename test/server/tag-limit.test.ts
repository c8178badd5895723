// Bytes of client-only tags stored per message (--max-tag-bytes): a message whose tags would take
// more in storage than the bound is refused with 417, neither stored nor relayed. The wire limit
// (4096 bytes of tags) is not enough: JSON stores a control character as 6 bytes (\u0001).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERR_INPUTTOOLONG } from '../../src/protocol/numerics.ts';
import { harness, joinRoom } from './helpers.ts';
import { collectBatch, MODERN_CAPS, texts } from './features/helpers.ts';

describe('client tags stored per message', () => {
  it('refuses with 417 a message whose tags would be stored bigger than the bound; others pass with their tags', async () => {
    const h = await harness();
    try {
      const alice = await h.user('alice', { caps: MODERN_CAPS });
      const bob = await h.user('bob', { caps: MODERN_CAPS });
      await joinRoom(alice, '#room');
      await joinRoom(bob, '#room');

      // 1,000 bytes on the wire, 6,000 as stored.
      alice.send(`@+example.com/blob=${'\x01'.repeat(1000)} PRIVMSG #room :inflated`);
      const err = await alice.waitFor(ERR_INPUTTOOLONG);
      assert.match(err.params[1]!, /Message tags too long to store \(6\d{3} bytes, at most 4096\)/);

      alice.send('@+draft/reply=abc;+example.com/mood=fine PRIVMSG #room :tagged');
      const got = await bob.waitFor((m) => m.command === 'PRIVMSG');
      assert.equal(got.params[1], 'tagged', 'the refused message never reached bob; the next one did');
      assert.equal(got.tags['+draft/reply'], 'abc');

      bob.send('CHATHISTORY LATEST #room * 10');
      const history = await collectBatch(bob, 'chathistory');
      assert.deepEqual(texts(history.lines), ['tagged'], 'the refused message is not stored');
      assert.equal(history.lines[0]!.tags['+example.com/mood'], 'fine');
    } finally {
      await h.stop();
    }
  });

  it('applies --max-tag-bytes to PRIVMSG and multiline batches', async () => {
    const h = await harness({ args: ['--max-tag-bytes', '100'] });
    try {
      const alice = await h.user('alice', { caps: MODERN_CAPS });
      await joinRoom(alice, '#room');
      alice.send(`@+example.com/note=${'x'.repeat(120)} PRIVMSG #room :too much`);
      const err = await alice.waitFor(ERR_INPUTTOOLONG);
      assert.match(err.params[1]!, /at most 100\)/);
      alice.send(`@+example.com/note=${'x'.repeat(120)} BATCH +ml draft/multiline #room`);
      const fail = await alice.waitFor((m) => m.command === 'FAIL' && m.params[0] === 'BATCH');
      assert.equal(fail.params[1], 'MULTILINE_INVALID');
      assert.match(fail.params.at(-1)!, /Message tags too long to store/);
      alice.send(`@+example.com/note=${'x'.repeat(40)};label=ok PRIVMSG #room :fits`);
      const echo = await alice.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'fits');
      assert.equal(echo.tags['+example.com/note'], 'x'.repeat(40));
    } finally {
      await h.stop();
    }
  });
});
