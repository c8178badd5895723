// A list of servers (ClientOptions.servers, the extension's chatroom.servers): tried in order on
// connect and on each reconnect, every failure reported with its reason (onDidFailServer). Real
// sockets: a port nobody listens on, then our own server (dist/server.mjs, `npm run build` first).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ClientError, IrcClient, type ServerAddress } from '../../../src/extension/client/ircClient.ts';
import { freePort, startServer, type RunningServer } from '../../helpers/index.ts';
import { nextEvent } from './support/wait.ts';

const cleanup: Array<() => unknown> = [];
after(async () => {
  for (const fn of cleanup.reverse()) await fn();
});


async function ourServer(): Promise<RunningServer> {
  const s = await startServer();
  cleanup.push(() => s.stop());
  return s;
}

function client(servers: ServerAddress[], nick: string): { c: IrcClient; failures: { server: ServerAddress; error: ClientError }[] } {
  const c = new IrcClient({ host: '203.0.113.1', port: 1, servers, nick, backoff: { baseMs: 50, capMs: 200 }, connectTimeoutMs: 2000 });
  cleanup.push(() => c.dispose());
  const failures: { server: ServerAddress; error: ClientError }[] = [];
  c.onDidFailServer((f) => failures.push(f));
  return { c, failures };
}

test('connect: a refused server is passed over for the next one, and the reason is kept', async () => {
  const dead = await freePort();
  const live = await ourServer();
  const { c, failures } = client([{ host: '127.0.0.1', port: dead }, { host: '127.0.0.1', port: live.port }], 'walker');
  await c.connect();
  assert.equal(c.state, 'registered');
  assert.deepEqual(c.server, { host: '127.0.0.1', port: live.port, tls: false });
  assert.equal(failures.length, 1);
  assert.equal(failures[0]!.server.port, dead);
  assert.equal(failures[0]!.error.code, 'refused');
  assert.match(failures[0]!.error.message, new RegExp(`127\\.0\\.0\\.1:${dead} was refused`));
});

test('connect: every server refused, the last reason rejects connect()', async () => {
  const a = await freePort();
  const b = await freePort();
  const { c, failures } = client([{ host: '127.0.0.1', port: a }, { host: '127.0.0.1', port: b }], 'nobody');
  await assert.rejects(c.connect(), (e: unknown) => e instanceof ClientError && e.code === 'refused' && e.message.includes(`:${b}`));
  assert.deepEqual(
    failures.map((f) => f.server.port),
    [a, b],
  );
  assert.equal(c.state, 'disconnected');
});

test('reconnect: the first server gone, the client moves to the next one with the reason the first one failed', async () => {
  const first = await startServer();
  const second = await ourServer();
  const { c, failures } = client([{ host: '127.0.0.1', port: first.port }, { host: '127.0.0.1', port: second.port }], 'mover');
  await c.connect();
  assert.equal(c.server?.port, first.port);
  const moved = nextEvent(c.onDidChangeState, (s) => s === 'registered', 'registered again');
  await first.stop();
  await moved;
  assert.equal(c.server?.port, second.port);
  assert.ok(
    failures.some((f) => f.server.port === first.port),
    `the first server's failure is reported: ${JSON.stringify(failures.map((f) => [f.server.port, f.error.message]))}`,
  );
});
