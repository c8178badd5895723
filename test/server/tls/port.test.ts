// TLS on its own port (node:tls), same protocol: a TLS client and a plain client talk to each other.
// The certificate is generated for the test (openssl), never committed.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { IrcTestClient, makeTestCert } from '../../helpers/index.ts';
import { harness, joinRoom } from '../helpers.ts';

describe('TLS', () => {
  it('serves the same protocol over TLS and survives plain text on the TLS port', async () => {
    const cert = await makeTestCert();
    const h = await harness({ args: ['--tls-port', '0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile] });
    try {
      assert.ok(h.srv.tlsPort, `TLS port printed: ${h.srv.output()}`);
      // Plain text (and then nothing) on the TLS port: a failed handshake, not a crash.
      const junk = connect(h.srv.tlsPort!, '127.0.0.1');
      junk.on('error', () => undefined);
      await new Promise<void>((r) => junk.once('connect', () => r()));
      junk.end('NICK plain\r\nUSER p 0 * :p\r\n');
      await new Promise<void>((r) => junk.once('close', () => r()).resume());

      const secure = await IrcTestClient.connect(h.srv.tlsPort!, { tls: { ca: cert.cert } });
      await secure.register('secure');
      const plain = await h.user('plainuser');
      await joinRoom(secure, '#mixed');
      await joinRoom(plain, '#mixed');
      secure.send('PRIVMSG #mixed :over TLS');
      await plain.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'over TLS');
      plain.send('PRIVMSG #mixed :over TCP');
      await secure.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'over TCP');
      // WHOIS tells who is on TLS (671 RPL_WHOISSECURE), and only them.
      plain.send('WHOIS secure');
      const secureWhois = await plain.collectUntil((m) => m.command === '318');
      assert.ok(secureWhois.some((m) => m.command === '671' && m.params[1] === 'secure'));
      plain.send('WHOIS plainuser');
      const plainWhois = await plain.collectUntil((m) => m.command === '318' && m.params[1] === 'plainuser');
      assert.ok(!plainWhois.some((m) => m.command === '671'));
      await secure.close();
    } finally {
      await h.stop();
      cert.remove();
    }
  });
});
