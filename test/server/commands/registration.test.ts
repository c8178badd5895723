// Connection registration over real TCP against the built server: NICK/USER, CAP, PASS, PING/PONG,
// the welcome burst with an honest ISUPPORT, MOTD, QUIT, and the errors for each.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ERR_ALREADYREGISTERED,
  ERR_ERRONEUSNICKNAME,
  ERR_NEEDMOREPARAMS,
  ERR_NICKNAMEINUSE,
  ERR_NOMOTD,
  ERR_NONICKNAMEGIVEN,
  ERR_NOTREGISTERED,
  ERR_PASSWDMISMATCH,
  ERR_UNKNOWNCOMMAND,
  RPL_ENDOFMOTD,
  RPL_ISUPPORT,
  RPL_LUSERCLIENT,
  RPL_MOTD,
  RPL_MYINFO,
  RPL_WELCOME,
} from '../../../src/protocol/numerics.ts';
import { IrcTestClient, startServer, tempDir, type RunningServer } from '../../helpers/index.ts';

describe('registration', () => {
  let srv: RunningServer;
  const clients: IrcTestClient[] = [];
  const connect = async () => {
    const c = await IrcTestClient.connect(srv.port);
    clients.push(c);
    return c;
  };
  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await srv.stop();
  });

  it('welcomes a plain client with 001-005, LUSERS and 422 without a MOTD', async () => {
    const c = await connect();
    await c.register('plain', { noCap: true });
    await c.waitFor(RPL_MYINFO);
    const isupport = (await c.collectUntil(ERR_NOMOTD)).filter((m) => m.command === RPL_ISUPPORT).flatMap((m) => m.params.slice(1, -1));
    for (const tok of ['CASEMAPPING=rfc1459', 'CHANTYPES=#', 'PREFIX=(ov)@+', 'CHANMODES=b,k,l,imnst', 'UTF8ONLY']) {
      assert.ok(isupport.includes(tok), `ISUPPORT has ${tok}: ${isupport.join(' ')}`);
    }
    assert.ok(isupport.some((t) => t.startsWith('NICKLEN=')));
    assert.ok(c.messages.some((m) => m.command === RPL_LUSERCLIENT));
  });

  it('negotiates capabilities with CAP LS 302 / REQ / LIST / END', async () => {
    const c = await connect();
    await c.register('capper', { caps: ['server-time', 'message-tags'] });
    assert.ok(c.serverCaps.has('sasl'), 'sasl offered');
    assert.equal(c.serverCaps.get('sasl'), 'PLAIN');
    c.send('CAP LIST');
    const list = await c.waitFor((m) => m.command === 'CAP' && m.params[1] === 'LIST');
    assert.deepEqual(list.params.at(-1)!.split(' ').sort(), ['cap-notify', 'message-tags', 'server-time']);
    c.send('CAP REQ :no-such-cap');
    const nak = await c.waitFor((m) => m.command === 'CAP' && m.params[1] === 'NAK');
    assert.equal(nak.params[2], 'no-such-cap');
  });

  it('takes commands in any case (RFC 1459 §2.3): nick/user/privmsg in lower case work', async () => {
    const c = await connect();
    c.send('nick lower');
    c.send('user lower 0 * :Lower Case');
    await c.waitFor(RPL_WELCOME);
    c.send('Privmsg lower :hello me');
    const got = await c.waitFor('PRIVMSG');
    assert.equal(got.params[1], 'hello me');
    c.send('bogus');
    const unknown = await c.waitFor(ERR_UNKNOWNCOMMAND);
    assert.equal(unknown.params[1], 'BOGUS');
  });

  it('holds registration until CAP END', async () => {
    const c = await connect();
    c.send('CAP LS 302');
    c.send('NICK waiter');
    c.send('USER w 0 * :W');
    await c.waitFor((m) => m.command === 'CAP' && m.params[1] === 'LS');
    await c.sync();
    assert.equal(c.messages.filter((m) => m.command === RPL_WELCOME).length, 0, 'no 001 before CAP END');
    c.send('CAP END');
    await c.waitFor(RPL_WELCOME);
  });

  it('refuses bad, missing and taken nicks and commands before registration', async () => {
    const a = await connect();
    await a.register('taken');
    const b = await connect();
    b.send('PRIVMSG taken :hi');
    await b.waitFor(ERR_NOTREGISTERED);
    b.send('NICK');
    await b.waitFor(ERR_NONICKNAMEGIVEN);
    b.send('NICK 1bad');
    await b.waitFor(ERR_ERRONEUSNICKNAME);
    b.send('NICK TAKEN'); // rfc1459 casemapping: same nick
    await b.waitFor(ERR_NICKNAMEINUSE);
    b.send('USER x');
    await b.waitFor(ERR_NEEDMOREPARAMS);
    b.send('USER u 0 * :');
    assert.deepEqual((await b.waitFor(ERR_NEEDMOREPARAMS)).params.slice(1), ['USER', 'Not enough parameters']);
    b.send('USER : 0 * :real');
    await b.waitFor(ERR_NEEDMOREPARAMS);
    b.send('FOOBAR');
    await b.waitFor(ERR_UNKNOWNCOMMAND);
    b.send('NICK fine');
    b.send('USER u 0 * :real');
    await b.waitFor(RPL_WELCOME);
    b.send('USER u 0 * :again');
    await b.waitFor(ERR_ALREADYREGISTERED);
  });

  it('renames and tells room peers', async () => {
    const a = await connect();
    await a.register('renamer');
    const b = await connect();
    await b.register('watcher');
    a.send('JOIN #rename');
    await a.waitFor('366');
    b.send('JOIN #rename');
    await b.waitFor('366');
    a.send('NICK renamed');
    const self = await a.waitFor('NICK');
    assert.equal(self.params[0], 'renamed');
    const seen = await b.waitFor('NICK');
    assert.ok(seen.source?.startsWith('renamer!'));
    assert.equal(seen.params[0], 'renamed');
  });

  it('answers PING and closes on QUIT with ERROR, telling peers', async () => {
    const a = await connect();
    await a.register('quitter');
    const b = await connect();
    await b.register('stayer');
    a.send('JOIN #q');
    await a.waitFor('366');
    b.send('JOIN #q');
    await b.waitFor('366');
    a.send('PING :tok123');
    const pong = await a.waitFor('PONG');
    assert.equal(pong.params.at(-1), 'tok123');
    a.send('QUIT :bye now');
    await a.waitFor('ERROR');
    await a.closed;
    const q = await b.waitFor('QUIT');
    assert.ok(q.source?.startsWith('quitter!'));
    assert.equal(q.params[0], 'Quit: bye now');
  });
});

describe('registration options', () => {
  it('requires the server password when one is set', async () => {
    const srv = await startServer({ args: ['--server-password', 's3cret'] });
    try {
      const bad = await IrcTestClient.connect(srv.port);
      await assert.rejects(bad.register('nopass', { noCap: true }), /464|ERROR/);
      await bad.closed;
      const bad2 = await IrcTestClient.connect(srv.port);
      bad2.send('PASS wrong');
      await bad2.waitFor(ERR_PASSWDMISMATCH);
      await bad2.closed;
      const good = await IrcTestClient.connect(srv.port);
      await good.register('haspass', { password: 's3cret' });
      await good.close();
    } finally {
      await srv.stop();
    }
  });

  it('sends the MOTD file', async () => {
    const dir = tempDir('chatroom-motd-');
    const file = join(dir.path, 'motd.txt');
    writeFileSync(file, 'Hello team\nSecond line\n');
    const srv = await startServer({ args: ['--motd', file] });
    try {
      const c = await IrcTestClient.connect(srv.port);
      await c.register('reader');
      const lines = (await c.collectUntil(RPL_ENDOFMOTD)).filter((m) => m.command === RPL_MOTD).map((m) => m.params.at(-1));
      assert.deepEqual(lines, ['- Hello team', '- Second line']);
      await c.close();
    } finally {
      await srv.stop();
      dir.remove();
    }
  });

  it('pings idle clients and drops those that do not answer', async () => {
    const srv = await startServer({ args: ['--ping-interval', '1', '--ping-timeout', '1'] });
    try {
      const c = await IrcTestClient.connect(srv.port);
      await c.register('sleepy');
      // The test client answers PINGs itself; a raw socket that never answers is dropped.
      const ping = await c.waitFor('PING');
      assert.ok(ping.params[0]);
      const { connect } = await import('node:net');
      const raw = connect(srv.port, '127.0.0.1');
      let got = '';
      raw.setEncoding('utf8');
      raw.on('data', (d: string) => (got += d));
      raw.write('NICK silent\r\nUSER s 0 * :s\r\n');
      await new Promise<void>((resolve) => raw.once('close', () => resolve()));
      assert.match(got, /PING/);
      assert.match(got, /ERROR :Closing Link: .*Ping timeout/);
      assert.ok(c.isOpen, 'the answering client stays');
      await c.close();
    } finally {
      await srv.stop();
    }
  });

  it('drops a connection that never registers', async () => {
    const srv = await startServer({ args: ['--registration-timeout', '1'] });
    try {
      const c = await IrcTestClient.connect(srv.port);
      c.send('NICK lazy');
      const err = await c.waitFor('ERROR');
      assert.match(err.params[0]!, /Registration timed out/);
      await c.closed;
    } finally {
      await srv.stop();
    }
  });
});
