// A room larger than one flush slice (connection.ts writes FLUSH_SLICE sockets per event-loop
// turn): every member gets every message, in the order it was sent, while other traffic goes on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { harness, joinRoom } from './helpers.ts';

const MEMBERS = 300;
const MESSAGES = 5;

describe('broadcast to a large room', () => {
  it(`${MEMBERS} members each get all ${MESSAGES} messages in order; a DM sent meanwhile arrives too`, async () => {
    const h = await harness({ args: ['--max-clients-per-ip', String(MEMBERS + 10), '--flood-control', 'off'] });
    try {
      const members = [];
      for (let i = 0; i < MEMBERS; i++) {
        const c = await h.user(`m${i}`);
        await joinRoom(c, '#big');
        members.push(c);
      }
      const sender = members[0]!;
      const lastMember = members[MEMBERS - 1]!;
      for (let i = 0; i < MESSAGES; i++) sender.send(`PRIVMSG #big :announcement ${i}`);
      // A DM between two members while the room's writes are still going out.
      members[1]!.send(`PRIVMSG m${MEMBERS - 1} :just you`);
      await lastMember.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'just you');
      await Promise.all(members.slice(1).map((c) => c.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === `announcement ${MESSAGES - 1}`)));
      for (const c of members.slice(1)) {
        const got = c.messages.filter((m) => m.command === 'PRIVMSG' && m.params[0] === '#big').map((m) => m.params[1]);
        assert.deepEqual(got, Array.from({ length: MESSAGES }, (_, i) => `announcement ${i}`), `${c.nick} got them all, in order`);
      }
    } finally {
      await h.stop();
    }
  });
});
