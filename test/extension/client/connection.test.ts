// Connection behaviour over real loopback sockets against a scripted server: timeouts, abrupt
// closes, keepalive, TLS certificate checks, and reconnecting without sending anything twice.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ClientError, IrcClient } from '../../../src/extension/client/ircClient.ts';
import { makeTestCert, type TestCert } from '../../helpers/index.ts';
import { startFakeServer, welcome, type FakeServer } from './support/fakeServer.ts';
import { nextEvent } from './support/wait.ts';

const cleanup: Array<() => unknown> = [];
after(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

async function server(script: Parameters<typeof startFakeServer>[0], tls?: { cert: string; key: string }): Promise<FakeServer> {
  const s = await startFakeServer(script, tls);
  cleanup.push(() => s.close());
  return s;
}

function client(port: number, extra: Partial<ConstructorParameters<typeof IrcClient>[0]> = {}): IrcClient {
  const c = new IrcClient({ host: '127.0.0.1', port, nick: 'me', backoff: { baseMs: 20, capMs: 100 }, ...extra });
  cleanup.push(() => c.dispose());
  return c;
}

test('a server that never answers registration: timeout', async () => {
  const s = await server(() => {});
  const c = client(s.port, { registrationTimeoutMs: 200 });
  await assert.rejects(c.connect(), (e: unknown) => e instanceof ClientError && e.code === 'timeout');
  assert.equal(c.state, 'disconnected');
});

test('a server that hangs up during registration: closed', async () => {
  const s = await server((conn, line) => {
    if (line.startsWith('USER')) conn.socket.destroy();
  });
  const c = client(s.port);
  await assert.rejects(c.connect(), (e: unknown) => e instanceof ClientError && e.code === 'closed');
});

test('a silent link after registration is dropped by the keepalive and reconnected', async () => {
  const s = await server(welcome);
  const c = client(s.port, { pingIntervalMs: 100 });
  await c.connect();
  await s.waitLine(/^PING keepalive/, 'keepalive PING');
  const err = await nextEvent(c.onDidError, () => true, 'ping timeout');
  assert.equal(err.code, 'timeout');
  await nextEvent(c.onDidChangeState, (st) => st === 'registered', 'reconnected');
  assert.equal(s.connections.length, 2);
});

test('reconnect rejoins each room once, re-sends our status, and resends no message', async () => {
  const s = await server((conn, line) => {
    welcome(conn, line);
    const join = /^JOIN (\S+)/.exec(line);
    if (join) conn.send(`:me!u@127.0.0.1 JOIN ${join[1]}`);
  });
  const c = client(s.port);
  await c.connect();
  const joined = nextEvent(c.onDidChangeRoom, (r) => r.reason === 'joined', 'joined');
  c.join('#a');
  await joined;
  c.setStatus('away', 'lunch');
  c.sendMessage('#a', 'unconfirmed');
  await s.waitLine(/^PRIVMSG #a/, 'message');
  const failed = nextEvent(c.onDidChangeMessageState, (m) => m.state === 'failed', 'failed on drop');
  s.connections[0]!.socket.destroy();
  assert.match((await failed).reason ?? '', /connection was lost/);
  await nextEvent(c.onDidChangeRoom, (r) => r.reason === 'joined', 'rejoined');
  const second = s.connections[1]!;
  assert.deepEqual(second.lines.filter((l) => l.startsWith('JOIN')), ['JOIN #a']);
  assert.ok(second.lines.includes('AWAY lunch'));
  assert.equal(second.lines.filter((l) => l.startsWith('PRIVMSG')).length, 0);
  c.disconnect();
  assert.equal(c.state, 'disconnected');
});

test('TLS: a self-signed certificate is refused unless trusted or checks are off', async () => {
  let cert: TestCert;
  try {
    cert = await makeTestCert();
  } catch (e) {
    return assert.fail(String(e));
  }
  cleanup.push(() => cert.remove());
  const { readFileSync } = await import('node:fs');
  const s = await server(welcome, { cert: cert.cert, key: readFileSync(cert.keyFile, 'utf8') });
  const strict = client(s.port, { tls: true });
  await assert.rejects(strict.connect(), (e: unknown) => e instanceof ClientError && e.code === 'tls');
  const trusting = client(s.port, { tls: true, rejectUnauthorized: false });
  await trusting.connect();
  const pinned = client(s.port, { tls: true, ca: cert.cert });
  await pinned.connect();
  assert.equal(pinned.state, 'registered');
});

test('quit() sends QUIT and settles once the server closes', async () => {
  const s = await server((conn, line) => {
    welcome(conn, line);
    if (line.startsWith('QUIT')) {
      conn.send('ERROR :Closing Link');
      conn.socket.end();
    }
  });
  const c = client(s.port);
  const states: string[] = [];
  c.onDidChangeState((st) => states.push(st));
  await c.connect();
  await c.quit('bye');
  assert.ok(s.connections[0]!.lines.includes('QUIT bye'));
  assert.deepEqual(states, ['connecting', 'registered', 'disconnected']);
});

test('after a reconnect under nick_ (ghost still there), the chosen nick is taken back once free', async () => {
  let ghost = false;
  const nickOf = new Map<unknown, string>();
  const gotUser = new Set<unknown>();
  const registeredConns = new Set<unknown>();
  const s = await server((conn, line) => {
    if (line.startsWith('CAP LS')) conn.send(':fake CAP * LS :');
    if (line.startsWith('USER')) gotUser.add(conn);
    const nick = /^NICK (\S+)$/.exec(line)?.[1];
    if (nick === 'me' && ghost) return conn.send(`:fake 433 ${nickOf.get(conn) ?? '*'} me :Nickname is already in use`);
    if (nick && registeredConns.has(conn)) {
      conn.send(`:${nickOf.get(conn)}!u@127.0.0.1 NICK ${nick}`);
      nickOf.set(conn, nick);
      return;
    }
    if (nick) nickOf.set(conn, nick);
    if (!registeredConns.has(conn) && gotUser.has(conn) && nickOf.has(conn)) {
      registeredConns.add(conn);
      conn.send(`:fake 001 ${nickOf.get(conn)} :Welcome`);
      conn.send(`:fake 376 ${nickOf.get(conn)} :End of MOTD`);
    }
  });
  const c = client(s.port, { nickRegainIntervalMs: 50 });
  await c.connect();
  ghost = true;
  s.connections[0]!.socket.destroy();
  await nextEvent(c.onDidChangeState, (st) => st === 'registered', 'reconnected');
  assert.equal(c.nick, 'me_');
  const notices: string[] = [];
  c.onDidNotice((n) => notices.push(n.text));
  await s.waitLine(/^NICK me$/, 'a regain attempt');
  ghost = false;
  await nextEvent(c.onDidChangeNick, (n) => n === 'me', 'nick back');
  assert.equal(c.nick, 'me');
  assert.deepEqual(notices, [], 'failed attempts are not shown to the user');
});
