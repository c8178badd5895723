// A client that stops reading is disconnected with "SendQ exceeded" once its unsent output passes
// --sendq, while the other members of the room keep receiving everything.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { harness, joinRoom } from './helpers.ts';

describe('send queue', () => {
  it('cuts off a slow reader and keeps serving the others', async () => {
    const h = await harness({ args: ['--sendq', '65536', '--flood-control', 'off'] });
    try {
      const talker = await h.user('talker');
      const reader = await h.user('reader');
      await joinRoom(talker, '#busy');
      await joinRoom(reader, '#busy');

      // The slow client: registers and joins, then never reads again.
      const slow = connect(h.srv.port, '127.0.0.1');
      await new Promise<void>((r) => slow.once('connect', () => r()));
      slow.on('error', () => undefined);
      slow.write('NICK slowpoke\r\nUSER s 0 * :s\r\nJOIN #busy\r\n');
      await reader.waitFor((m) => m.command === 'JOIN' && m.source?.startsWith('slowpoke!') === true);
      slow.pause();

      // Talk in batches until the room sees the slow client leave; the reader must get every line.
      const text = 'x'.repeat(400);
      let sent = 0;
      let quit: { params: string[] } | undefined;
      while (!quit && sent < 200_000) {
        for (let i = 0; i < 500; i++) talker.send(`PRIVMSG #busy :${sent++} ${text}`);
        const last = `${sent - 1} ${text}`;
        await reader.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === last, 60_000);
        quit = reader.messages.find((m) => m.command === 'QUIT' && m.source?.startsWith('slowpoke!') === true);
      }
      assert.ok(quit, 'the slow reader was disconnected');
      assert.match(quit.params[0]!, /SendQ exceeded/);
      const got = reader.messages.filter((m) => m.command === 'PRIVMSG').length;
      assert.equal(got, sent, 'the reader received every message');
      slow.destroy();
    } finally {
      await h.stop();
    }
  });
});
