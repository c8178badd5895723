// writeToSocket (src/server/socketWrite.ts): write(2) straight to the descriptor when the socket's
// queue is empty, the stream otherwise. What a client would notice if it went wrong: bytes missing,
// out of order, or a dead peer crashing the server.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { writeToSocket } from '../../src/server/socketWrite.ts';

/** A connected pair on loopback: `ours` is the server side (written to), `peer` the client. */
async function socketPair(server: Server): Promise<{ ours: Socket; peer: Socket }> {
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  const peer = connect(address.port, '127.0.0.1');
  const [[ours]] = await Promise.all([accepted, once(peer, 'connect')]);
  return { ours, peer };
}

/** Everything `peer` receives until `bytes` have arrived. */
function receive(peer: Socket, bytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let got = 0;
  return new Promise((resolve, reject) => {
    peer.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      got += chunk.length;
      if (got >= bytes) resolve(Buffer.concat(parts));
    });
    peer.once('error', reject);
  });
}

/** `n` bytes of a pattern that shows reordering: every 4-byte word is its own offset. */
function pattern(n: number, start = 0): Buffer {
  const buf = Buffer.alloc(n);
  for (let i = 0; i + 4 <= n; i += 4) buf.writeUInt32BE((start + i) >>> 0, i);
  return buf;
}

describe('writeToSocket', () => {
  let server: Server;
  before(async () => {
    server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  after(() => server.close());

  it('writes a line straight to the descriptor when nothing is queued, and the peer gets it', async (t) => {
    if (process.platform === 'win32') t.skip('sockets have no file descriptor on Windows');
    const { ours, peer } = await socketPair(server);
    const line = Buffer.from(':alice!a@127.0.0.1 PRIVMSG #team :hello\r\n');
    const got = receive(peer, line.length);
    assert.equal(writeToSocket(ours, line, true), 'direct');
    assert.equal(ours.writableLength, 0, 'nothing left in the stream');
    assert.deepEqual(await got, line);
    ours.destroy();
    peer.destroy();
  });

  it('goes through the stream when told to (TLS) or when bytes are already queued, in order', async () => {
    const { ours, peer } = await socketPair(server);
    // Far more than the kernel buffers take while the peer is not reading: most of it queues.
    const big = pattern(32 * 1024 * 1024);
    const tail = pattern(4096, big.length);
    peer.pause();
    const first = writeToSocket(ours, big, true);
    assert.ok(first === 'partial' || first === 'stream', `a write larger than the socket buffer queues the rest (was ${first})`);
    assert.ok(ours.writableLength > 0);
    assert.equal(writeToSocket(ours, tail, true), 'stream', 'while bytes are queued, later writes queue behind them');
    assert.equal(writeToSocket(ours, Buffer.from('x'), false), 'stream');
    const got = receive(peer, big.length + tail.length + 1);
    peer.resume();
    const all = await got;
    assert.equal(all.length, big.length + tail.length + 1);
    assert.ok(all.subarray(0, big.length).equals(big), 'the large write arrived whole and in order');
    assert.ok(all.subarray(big.length, big.length + tail.length).equals(tail), 'the queued write came after it');
    assert.equal(all.at(-1), 'x'.charCodeAt(0));
    ours.destroy();
    peer.destroy();
  });

  it('a peer that is gone is reported on the socket, not thrown', async () => {
    const { ours, peer } = await socketPair(server);
    let reported: Error | null = null;
    ours.on('error', (err) => (reported = err)); // as the server's Connection listens for it
    const closed = new Promise((r) => ours.once('close', r));
    peer.resetAndDestroy();
    await once(peer, 'close');
    // The RST may not have reached our side yet: keep writing until the kernel reports it.
    for (let i = 0; i < 1000 && !ours.destroyed; i++) {
      assert.doesNotThrow(() => writeToSocket(ours, Buffer.from('PING :x\r\n'), true));
      await new Promise((r) => setImmediate(r));
    }
    await closed;
    assert.match(String((reported as Error | null)?.message), /EPIPE|ECONNRESET/);
  });
});
