// The socket side of a client (src/server/connection.ts): how a connection that goes away without
// QUIT is reported to the people in its rooms, and that the server closes its side.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { harness, joinRoom, type Harness } from './helpers.ts';

describe('connection', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ args: ['--flood-control', 'off'] });
  });
  after(async () => {
    const code = await h.stop();
    assert.equal(code, 0, `server exited cleanly; output:\n${h.srv.output().slice(-2000)}`);
  });

  /** A raw socket registered as `nick` and joined to `room` (waits for the end of NAMES). */
  async function rawMember(nick: string, room: string): Promise<Socket> {
    const s = connect(h.srv.port, '127.0.0.1');
    await new Promise<void>((r) => s.once('connect', () => r()));
    let seen = '';
    const joined = new Promise<void>((r) => {
      s.on('data', (d: Buffer) => {
        seen += d.toString('utf8');
        if (new RegExp(` 366 ${nick} ${room} `, 'i').test(seen)) r();
      });
    });
    s.write(`NICK ${nick}\r\nUSER ${nick} 0 * :${nick}\r\nJOIN ${room}\r\n`);
    await joined;
    return s;
  }

  it('a client that half-closes (FIN, no QUIT) quits with "Connection closed" and is closed by the server', async () => {
    const watcher = await h.user('watcher1');
    await joinRoom(watcher, '#half');
    const half = await rawMember('halfway', '#half');
    await watcher.waitFor((m) => m.command === 'JOIN' && m.source?.startsWith('halfway!') === true);
    const closed = new Promise<void>((r) => half.once('close', () => r()));
    half.end();
    half.resume();
    const quit = await watcher.waitFor((m) => m.command === 'QUIT' && m.source?.startsWith('halfway!') === true);
    assert.match(quit.params[0] ?? '', /Connection closed/);
    await closed; // the server finished its side too
  });

  it('a client whose socket is reset quits and leaves the room', async () => {
    const watcher = await h.user('watcher2');
    await joinRoom(watcher, '#reset');
    const gone = await rawMember('resetter', '#reset');
    await watcher.waitFor((m) => m.command === 'JOIN' && m.source?.startsWith('resetter!') === true);
    gone.resetAndDestroy();
    await watcher.waitFor((m) => m.command === 'QUIT' && m.source?.startsWith('resetter!') === true);
    watcher.send('NAMES #reset');
    const names = await watcher.waitFor('353');
    assert.doesNotMatch(names.params.at(-1) ?? '', /resetter/);
  });
});
