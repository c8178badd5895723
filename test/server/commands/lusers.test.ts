// LUSERS figures follow registrations, +i, OPER and disconnects (the server keeps counters instead
// of counting every client per welcome burst).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RPL_GLOBALUSERS, RPL_LOCALUSERS, RPL_LUSERCLIENT, RPL_LUSERME, RPL_LUSEROP, RPL_LUSERUNKNOWN, RPL_YOUREOPER } from '../../../src/protocol/numerics.ts';
import type { IrcTestClient } from '../../helpers/index.ts';
import { harness, type Harness } from '../helpers.ts';

async function lusers(c: IrcTestClient): Promise<{ client: string; ops: string; unknown: string; me: string }> {
  await c.sync();
  c.skipAll(); // the welcome burst's LUSERS and earlier replies
  c.send('LUSERS');
  const client = (await c.waitFor(RPL_LUSERCLIENT)).params[1]!;
  const ops = (await c.waitFor(RPL_LUSEROP)).params[1]!;
  const unknown = (await c.waitFor(RPL_LUSERUNKNOWN)).params[1]!;
  const me = (await c.waitFor(RPL_LUSERME)).params[1]!;
  return { client, ops, unknown, me };
}

describe('LUSERS counters', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ args: ['--oper', 'root:rootpass'] });
  });
  after(async () => {
    await h.stop();
  });

  it('counts users, invisible users, operators and unregistered connections as they change', async () => {
    const a = await h.user('lua');
    assert.deepEqual(await lusers(a), { client: 'There are 1 users and 0 invisible on 1 servers', ops: '0', unknown: '0', me: 'I have 1 clients and 0 servers' });
    const b = await h.user('lub');
    const pending = await h.connect(); // connected, not registered
    b.send('MODE lub +i');
    await b.waitFor((m) => m.command === 'MODE' && m.params[1] === '+i');
    b.send('OPER root rootpass');
    await b.waitFor(RPL_YOUREOPER);
    assert.deepEqual(await lusers(a), { client: 'There are 1 users and 1 invisible on 1 servers', ops: '1', unknown: '1', me: 'I have 2 clients and 0 servers' });
    b.send('MODE lub -o');
    await b.waitFor((m) => m.command === 'MODE' && m.params[1] === '-o');
    assert.equal((await lusers(a)).ops, '0');
    b.send('OPER root rootpass');
    await b.waitFor(RPL_YOUREOPER);
    b.send('QUIT :bye');
    await b.closed;
    pending.destroy();
    await pending.closed;
    // The server sees the close a moment later; LUSERS is answered after it processed both.
    let figures = await lusers(a);
    while (figures.unknown !== '0' || figures.me !== 'I have 1 clients and 0 servers') figures = await lusers(a);
    assert.deepEqual(figures, { client: 'There are 1 users and 0 invisible on 1 servers', ops: '0', unknown: '0', me: 'I have 1 clients and 0 servers' });
  });

  it('265/266 give the current count and the highest since start', async () => {
    const a = await h.user('peaka');
    const b = await h.user('peakb');
    await a.sync();
    a.skipAll();
    const counts = async (): Promise<number[][]> => {
      a.send('LUSERS');
      const local = (await a.waitFor(RPL_LOCALUSERS)).params.slice(1, 3).map(Number);
      const global = (await a.waitFor(RPL_GLOBALUSERS)).params.slice(1, 3).map(Number);
      return [local, global];
    };
    const [before] = await counts();
    assert.ok(before![1]! >= before![0]!, `max ${before![1]} >= current ${before![0]}`);
    b.send('QUIT :bye');
    await b.closed;
    let [local, global] = await counts();
    while (local![0] === before![0]) [local, global] = await counts();
    assert.deepEqual(local, [before![0]! - 1, before![1]], 'the max stays at the peak after a user leaves');
    assert.deepEqual(global, local);
  });
});
