// Backpressure from a room's output to its senders (src/server/roomBackpressure.ts): while most of
// a room's members do not read, the server stops reading the client that talks to it (its lines
// wait in its own socket buffers) and reads it again once they catch up; nothing is lost. Members
// that never read are still cut off by their sendq, and the room goes on without them.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { harness, joinRoom } from './helpers.ts';

const TEXT = 'x'.repeat(400);
const BATCH = 100;

/** A member on a raw socket: joins, then reads only when told to, counting the room's PRIVMSGs. */
class RawMember {
  readonly socket: Socket;
  privmsgs = 0;
  text = '';
  #tail = '';
  #waiters: Array<() => void> = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: string) => {
      const lines = (this.#tail + chunk).split('\r\n');
      this.#tail = lines.pop()!;
      for (const line of lines) {
        if (/^:\S+ PRIVMSG /.test(line)) this.privmsgs++;
        else this.text += `${line}\n`;
      }
      for (const w of this.#waiters) w();
    });
  }

  static async join(port: number, nick: string, room: string): Promise<RawMember> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    const m = new RawMember(socket);
    socket.write(`NICK ${nick}\r\nUSER ${nick} 0 * :${nick}\r\nJOIN ${room}\r\n`);
    await m.until(() => / 366 /.test(m.text));
    return m;
  }

  /** Resolves once `cond` holds, checked after every read. */
  until(cond: () => boolean): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (!cond()) return;
        this.#waiters = this.#waiters.filter((w) => w !== check);
        resolve();
      };
      this.#waiters.push(check);
    });
  }
}

/** Polls `cond` every 10 ms (the server's output has no event of its own); never keeps the test alive. */
function until(cond: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (!cond()) return;
      clearInterval(timer);
      resolve();
    }, 10);
    timer.unref();
  });
}

describe('room backpressure', () => {
  it('stops reading a sender while most members are behind, and loses nothing', async () => {
    // A sendq far above what the test sends: nobody is cut off, so only backpressure can stop the talker.
    const h = await harness({ args: ['--sendq', String(64 * 1024 * 1024), '--flood-control', 'off'] });
    const members: RawMember[] = [];
    try {
      for (const nick of ['m1', 'm2', 'm3']) members.push(await RawMember.join(h.srv.port, nick, '#busy'));
      const talker = await RawMember.join(h.srv.port, 'talker', '#busy');
      for (const m of members) m.socket.pause();

      // Talk until the server says it stopped reading the talker. Without backpressure it would
      // read all of it into the members' queues (64 MiB each).
      const held = /#busy: most members are behind on their output; not reading talker/;
      const most = 64 * 1024 * 1024;
      let sent = 0;
      while (!held.test(h.srv.output()) && sent * TEXT.length < most) {
        let lines = '';
        for (let i = 0; i < BATCH; i++) lines += `PRIVMSG #busy :${sent++} ${TEXT}\r\n`;
        // Waits while the talker's socket is full: the server may be holding it already.
        if (!talker.socket.write(lines)) await Promise.race([new Promise((r) => talker.socket.once('drain', r)), until(() => held.test(h.srv.output()))]);
        else await new Promise((r) => setImmediate(r));
      }
      assert.match(h.srv.output(), held, `the server kept reading the talker (${sent} messages sent)`);

      // The members catch up: every message reaches every member, and the talker is read again.
      talker.socket.write('PING :after\r\n');
      for (const m of members) m.socket.resume();
      await Promise.all(members.map((m) => m.until(() => m.privmsgs >= sent)));
      await talker.until(() => /PONG \S+ :?after/.test(talker.text));
      for (const m of members) {
        assert.equal(m.privmsgs, sent, 'a member received every message once');
        assert.doesNotMatch(m.text, /QUIT|ERROR/, 'nobody was disconnected');
      }
    } finally {
      for (const m of members) m.socket.destroy();
      await h.stop();
    }
  });

  it('still cuts off members that never read, even most of the room, and the room goes on', async () => {
    const h = await harness({ args: ['--sendq', String(256 * 1024), '--flood-control', 'off'] });
    const sleepers: RawMember[] = [];
    try {
      const talker = await h.user('talker');
      const reader = await h.user('reader');
      await joinRoom(talker, '#busy');
      await joinRoom(reader, '#busy');
      for (const nick of ['s1', 's2']) sleepers.push(await RawMember.join(h.srv.port, nick, '#busy'));
      for (const s of sleepers) s.socket.pause();

      // Two of the talker's three listeners never read again: the room is held for a while, then
      // they are left to their sendq. The reader must get every line meanwhile.
      const quits = (): number => reader.messages.filter((m) => m.command === 'QUIT' && /^s\d!/.test(m.source ?? '')).length;
      let sent = 0;
      while (quits() < sleepers.length && sent < 200_000) {
        for (let i = 0; i < 500; i++) talker.send(`PRIVMSG #busy :${sent++} ${TEXT}`);
        const last = `${sent - 1} ${TEXT}`;
        await reader.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === last, 60_000);
      }
      const reasons = reader.messages.filter((m) => m.command === 'QUIT' && /^s\d!/.test(m.source ?? '')).map((m) => m.params[0]);
      assert.deepEqual(reasons, ['SendQ exceeded', 'SendQ exceeded']);
      assert.equal(reader.messages.filter((m) => m.command === 'PRIVMSG').length, sent, 'the reader received every message');
    } finally {
      for (const s of sleepers) s.socket.destroy();
      await h.stop();
    }
  });
});
