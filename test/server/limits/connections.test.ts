// Connections are counted before they cost (issue 11): a TLS connection counts from TCP accept,
// an unfinished handshake is closed in seconds, --max-clients caps the total, IPv6 counts per /64.
// Real server, real sockets; 127.0.0.2 is another "host" on the loopback network.
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { describe, it } from 'node:test';
import { IrcTestClient, makeTestCert, startServer } from '../../helpers/index.ts';
import { harness } from '../helpers.ts';

/** A TCP connection that never says anything (no TLS ClientHello either). */
function silentSocket(port: number, host = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host }, () => resolve(s));
    s.on('error', reject);
  });
}

/** Resolves once `s` is closed (by the server). */
function closedOf(s: Socket): Promise<void> {
  return new Promise((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));
}

/** A TLS connection attempt: 'secure' if the handshake completed, else 'closed'. */
function tlsAttempt(port: number, ca: string): Promise<'secure' | 'closed'> {
  return new Promise((resolve) => {
    const s = tlsConnect({ port, host: '127.0.0.1', ca, servername: 'localhost' }, () => {
      s.destroy();
      resolve('secure');
    });
    s.on('error', () => undefined);
    s.once('close', () => resolve('closed'));
  });
}

/** Whether this machine has an IPv6 loopback (containers may not). */
function hasIpv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(0, '::1', () => s.close(() => resolve(true)));
  });
}

describe('connection limits', () => {
  it('counts TLS connections at TCP accept: silent sockets on the TLS port fill the per-IP limit', async () => {
    const cert = await makeTestCert();
    const h = await harness({ args: ['--max-clients-per-ip', '3', '--tls-port', '0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile] });
    const silent: Socket[] = [];
    try {
      for (let i = 0; i < 3; i++) silent.push(await silentSocket(h.srv.tlsPort!));
      // A client from another address on the same listener: once it is welcomed, the server has
      // accepted the silent sockets queued before it.
      const other = await IrcTestClient.connect(h.srv.tlsPort!, { tls: { ca: cert.cert }, localAddress: '127.0.0.2' });
      await other.register('other');

      const plain = await IrcTestClient.connect(h.srv.port);
      const err = await plain.waitFor('ERROR');
      assert.match(err.params[0]!, /Too many connections from your IP \(at most 3\)/);
      await plain.closed;
      assert.equal(await tlsAttempt(h.srv.tlsPort!, cert.cert), 'closed', 'a TLS connection over the limit gets no handshake');
      other.destroy();
    } finally {
      for (const s of silent) s.destroy();
      await h.stop();
      cert.remove();
    }
  });

  it('closes a TLS handshake that does not finish in time, and gives its slot back', async () => {
    const cert = await makeTestCert();
    const h = await harness({
      args: ['--max-clients-per-ip', '1', '--tls-timeout', '1', '--tls-port', '0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile],
    });
    try {
      const silent = await silentSocket(h.srv.tlsPort!);
      await closedOf(silent); // the server hangs up (node:tls alone would wait 120 s)
      const after = await h.user('after'); // the one slot of this IP is free again
      after.send('PING :still');
      await after.waitFor((m) => m.command === 'PONG');
      assert.equal(await tlsAttempt(h.srv.tlsPort!, cert.cert), 'closed', 'the slot is taken by the registered client');
    } finally {
      await h.stop();
      cert.remove();
    }
  });

  it('refuses connections past --max-clients with an ERROR naming the reason, whatever the address', async () => {
    const h = await harness({ args: ['--max-clients', '2'] });
    try {
      await h.user('one');
      const two = await IrcTestClient.connect(h.srv.port, { localAddress: '127.0.0.2' });
      await two.register('two');
      const three = await IrcTestClient.connect(h.srv.port, { localAddress: '127.0.0.3' });
      const err = await three.waitFor('ERROR');
      assert.match(err.params[0]!, /Server is full \(at most 2 connections\)/);
      await three.closed;
      // The operator learns of it: the first refusal at once, the next ones summed up later.
      await h.srv.waitForOutput(/refused a connection from 127\.0\.0\.3: Server is full \(at most 2 connections\)/);
      const four = await IrcTestClient.connect(h.srv.port, { localAddress: '127.0.0.4' });
      await four.waitFor('ERROR');
      await four.closed;
      const five = await IrcTestClient.connect(h.srv.port, { localAddress: '127.0.0.5' });
      await five.waitFor('ERROR');
      await five.closed;
      assert.equal(h.srv.output().match(/refused a connection/g)?.length, 1, 'one line, not one per refusal');
      two.destroy();
    } finally {
      await h.stop();
    }
  });

  it('applies the per-IP limit over IPv6 (::1)', async (t) => {
    if (!(await hasIpv6Loopback())) return t.skip('no IPv6 loopback on this machine');
    const srv = await startServer({ args: ['--host', '::1', '--max-clients-per-ip', '1'] });
    try {
      const first = await IrcTestClient.connect(srv.port, { host: '::1' });
      await first.register('first');
      const second = await IrcTestClient.connect(srv.port, { host: '::1' });
      const err = await second.waitFor('ERROR');
      assert.match(err.params[0]!, /Too many connections from your IP/);
      first.destroy();
    } finally {
      await srv.stop();
    }
  });
});
