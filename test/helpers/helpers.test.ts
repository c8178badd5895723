// The shared test helpers themselves: IrcTestClient against a scripted fake server, startServer's
// failure reporting, and the throwaway certificate.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { IrcTestClient } from './ircClient.ts';
import { startServer } from './server.ts';
import { makeTestCert } from './tls.ts';

/** A fake IRC server that answers each line with a scripted reply (or nothing). */
function fakeServer(reply: (line: string, sock: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer((sock) => {
    sock.setEncoding('utf8');
    let buf = '';
    sock.on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        reply(line, sock);
      }
    });
  });
  return new Promise((res) => server.listen(0, '127.0.0.1', () => res({ server, port: (server.address() as { port: number }).port })));
}

describe('helpers: IrcTestClient', () => {
  let fake: { server: Server; port: number };
  before(async () => {
    fake = await fakeServer((line, sock) => {
      if (line === 'CAP LS 302') sock.write(':srv CAP * LS * :sasl=PLAIN message-tags\r\n:srv CAP * LS :echo-message server-time\r\n');
      else if (line.startsWith('CAP REQ')) sock.write(`:srv CAP * ${line.includes('bogus') ? 'NAK' : 'ACK'} :${line.slice(9)}\r\n`);
      else if (line === 'CAP END') sock.write(':srv 001 me :Welcome\r\n');
      else if (line.startsWith('PING ')) sock.write(`:srv PONG srv :${line.slice(5)}\r\n`);
      else if (line === 'BURST') sock.write(':srv 375 me :start\r\n:srv 372 me :- one\r\n:srv 372 me :- two\r\n:srv 376 me :end\r\n');
      else if (line === 'SERVERPING') sock.write('PING :are-you-there\r\n');
      else if (line === 'GARBAGE') sock.write('\x00\x01 not irc\r\n:srv NOTICE me :after garbage\r\n');
      else if (line === 'BYE') sock.end('ERROR :Closing link\r\n');
    });
  });
  after(() => fake.server.close());

  it('registers with CAP LS 302 (multi-line), REQ and END, and records server caps', async () => {
    const c = await IrcTestClient.connect(fake.port);
    const welcome = await c.register('me', { caps: ['message-tags'] });
    assert.equal(welcome.command, '001');
    assert.deepEqual([...c.serverCaps.keys()], ['sasl', 'message-tags', 'echo-message', 'server-time']);
    assert.equal(c.serverCaps.get('sasl'), 'PLAIN');
    assert.deepEqual(c.sent.slice(0, 4), ['CAP LS 302', 'NICK me', 'USER me 0 * :me (test)', 'CAP REQ :message-tags']);
    c.destroy();
  });

  it('fails registration with the transcript when the server NAKs', async () => {
    const c = await IrcTestClient.connect(fake.port);
    await assert.rejects(c.register('me', { caps: ['bogus'] }), /server refused capabilities: bogus[\s\S]*last received/);
    c.destroy();
  });

  it('returns each message once, earliest match first, keeping non-matching ones', async () => {
    const c = await IrcTestClient.connect(fake.port);
    c.send('BURST');
    const end = await c.waitFor('376');
    assert.equal(end.params[1], 'end');
    const first = await c.waitFor('372');
    const second = await c.waitFor((m) => m.command === '372');
    assert.deepEqual([first.params[1], second.params[1]], ['- one', '- two']);
    c.send('BURST');
    const all = await c.collectUntil('376');
    assert.deepEqual(all.map((m) => m.command), ['375', '375', '372', '372', '376'], 'includes the first burst\'s unreturned 375');
    await c.sync();
    assert.deepEqual(c.unreturned(), []);
    c.destroy();
  });

  it('answers server PINGs and skips unparseable lines', async () => {
    const c = await IrcTestClient.connect(fake.port);
    c.send('SERVERPING');
    c.send('GARBAGE');
    const n = await c.waitFor('NOTICE');
    assert.equal(n.params[1], 'after garbage');
    assert.ok(c.sent.includes('PONG :are-you-there'));
    assert.ok(c.lines.some((l) => l.includes('not irc')));
    c.destroy();
  });

  it('rejects a wait at once when the connection closes, and on timeout with what was received', async () => {
    const c = await IrcTestClient.connect(fake.port);
    const waiting = c.waitFor('PRIVMSG');
    c.send('BYE');
    await assert.rejects(waiting, /connection closed before 'PRIVMSG'[\s\S]*ERROR :Closing link/);
    await c.closed;
    const d = await IrcTestClient.connect(fake.port);
    await assert.rejects(d.waitFor('PRIVMSG', 50), /no 'PRIVMSG' within 50 ms/);
    assert.throws(() => d.send('A\r\nB'), /CR\/LF/);
    await d.close();
  });

  it('reports a refused connection clearly', async () => {
    const s = await fakeServer(() => undefined);
    const port = s.port;
    await new Promise((r) => s.server.close(r));
    await assert.rejects(IrcTestClient.connect(port), new RegExp(`cannot connect to 127\\.0\\.0\\.1:${port}`));
  });
});

describe('helpers: startServer and makeTestCert', () => {
  it('rejects with the server output when the server exits before listening', async () => {
    await assert.rejects(startServer({ args: ['--no-such-flag'] }), /server exited \(2\) before it was listening[\s\S]*unknown flag '--no-such-flag'/);
  });

  it('makes a certificate and key, and removes them', async () => {
    const c = await makeTestCert();
    assert.match(c.cert, /-----BEGIN CERTIFICATE-----/);
    assert.ok(existsSync(c.keyFile));
    c.remove();
    assert.equal(existsSync(c.dir), false);
  });
});
