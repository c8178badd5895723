// Hostile input never crashes the server and always gets an answer: random bytes, a 10 MB line
// without a newline, lines over 512+8191 bytes (417), invalid UTF-8 (FAIL ... INVALID_UTF8),
// commands before registration (451), unknown commands (421), missing parameters (461),
// half-open sockets. After each, the server still serves everyone.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  ERR_INPUTTOOLONG,
  ERR_NEEDMOREPARAMS,
  ERR_NOTREGISTERED,
  ERR_UNKNOWNCOMMAND,
  RPL_WELCOME,
} from '../../src/protocol/numerics.ts';
import { harness, joinRoom, type Harness } from './helpers.ts';

describe('hostile input', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ args: ['--flood-control', 'off'] });
  });
  after(async () => {
    const code = await h.stop();
    assert.equal(code, 0, `server exited cleanly; output:\n${h.srv.output().slice(-2000)}`);
  });

  /** The server still registers a new client and relays a message. */
  async function stillServing(tag: string): Promise<void> {
    const a = await h.user(`ok${tag}a`);
    const b = await h.user(`ok${tag}b`);
    await joinRoom(a, `#alive${tag}`);
    await joinRoom(b, `#alive${tag}`);
    a.send(`PRIVMSG #alive${tag} :still here`);
    await b.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'still here');
    await a.close();
    await b.close();
  }

  it('answers commands before registration with 451 and unknown ones with 421', async () => {
    const c = await h.connect();
    for (const cmd of ['JOIN #x', 'PRIVMSG x :y', 'WHO x', 'MODE x', 'OPER a b', 'KILL x']) c.send(cmd);
    for (let i = 0; i < 6; i++) await c.waitFor(ERR_NOTREGISTERED);
    c.send('NICK early');
    c.send('USER e 0 * :e');
    await c.waitFor(RPL_WELCOME);
    c.send('NOSUCHVERB a b c');
    assert.equal((await c.waitFor(ERR_UNKNOWNCOMMAND)).params[1], 'NOSUCHVERB');
    c.send('123 numeric from a client');
    await c.waitFor(ERR_UNKNOWNCOMMAND);
    for (const cmd of ['JOIN', 'KICK #x', 'TOPIC', 'OPER a', 'INVITE', 'WHOIS', 'WHO', 'USER']) {
      c.send(cmd);
      if (cmd === 'INVITE' || cmd === 'USER') continue;
      const e = await c.waitFor(ERR_NEEDMOREPARAMS);
      assert.equal(e.params[1], cmd.split(' ')[0]);
    }
    c.send(':fake!source@spoof PRIVMSG early :prefix from a client is ignored');
    await c.waitFor((m) => m.command === 'PRIVMSG' && m.source?.startsWith('early!') === true);
  });

  it('echoes hostile names in error replies without breaking the line', async () => {
    const c = await h.user('echoer');
    c.send('PART :#a b');
    const part = await c.waitFor('403');
    assert.equal(part.params.length, 3, 'the bad name stays one parameter');
    c.send('WHOIS :has space');
    await c.waitFor('401');
    c.send('MODE #nochan +o :x y');
    await c.waitFor('403');
    c.send('KICK #nochan2 :y z');
    await c.waitFor('403');
    await c.sync();
    assert.deepEqual(c.messages.filter((m) => m.command === 'FAIL'), [], 'no internal errors');
  });

  it('refuses overlong lines with 417 and keeps the connection', async () => {
    const c = await h.user('longliner');
    c.send(`PRIVMSG longliner :${'x'.repeat(9000)}`);
    await c.waitFor(ERR_INPUTTOOLONG);
    c.sendRaw(`@${'a'.repeat(9000)}=b PRIVMSG longliner :tags too long\r\n`);
    await c.waitFor(ERR_INPUTTOOLONG);
    // Within the buffer limit but over RFC 1459's 512 bytes (tags excluded): also 417.
    c.send(`PRIVMSG longliner :${'y'.repeat(600)}`);
    await c.waitFor(ERR_INPUTTOOLONG);
    c.sendRaw(`@+tag=${'v'.repeat(5000)} PRIVMSG longliner :client tags over 4096 bytes\r\n`);
    await c.waitFor(ERR_INPUTTOOLONG);
    c.send(`@+ok=${'v'.repeat(3000)} PRIVMSG longliner :${'z'.repeat(400)}`);
    await c.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'z'.repeat(400));
    c.send('PRIVMSG longliner :short again');
    await c.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'short again');
  });

  it('survives a 10 MB line with no newline', async () => {
    const c = await h.user('bigline');
    const chunk = Buffer.alloc(1024 * 1024, 0x41);
    for (let i = 0; i < 10; i++) c.sendRaw(chunk);
    await c.waitFor(ERR_INPUTTOOLONG);
    c.sendRaw('\r\n');
    await c.sync();
    await stillServing('big');
  });

  it('rejects invalid UTF-8 with FAIL INVALID_UTF8 and relays nothing', async () => {
    const a = await h.user('utfa');
    const b = await h.user('utfb');
    a.sendRaw(Buffer.concat([Buffer.from('PRIVMSG utfb :bad '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('\r\n')]));
    const fail = await a.waitFor('FAIL');
    assert.deepEqual(fail.params.slice(0, 2), ['PRIVMSG', 'INVALID_UTF8']);
    a.send('PRIVMSG utfb :good é ü 日本');
    const got = await b.waitFor('PRIVMSG');
    assert.equal(got.params[1], 'good é ü 日本', 'the first PRIVMSG never arrived, the valid one did');
  });

  it('survives random bytes, NULs, bare CRs and malformed tags from many sockets', async () => {
    const sockets = await Promise.all(
      Array.from({ length: 8 }, () => h.connect()),
    );
    for (const [i, s] of sockets.entries()) {
      for (let k = 0; k < 20; k++) s.sendRaw(randomBytes(512 + k * 97 + i));
      s.sendRaw(Buffer.from('\0\0\0\r\n@;;==;; PING x\r\n@a=b\r\n:only-a-prefix\r\n   \r\n\r\rNICK\r\n'));
      s.sendRaw(Buffer.from('PRIVMSG\0 :x\r\n'));
    }
    await stillServing('rand');
  });

  it('drops half-open and silent sockets without affecting others', async () => {
    // A socket that connects and half-closes, and one that vanishes mid-line.
    const half = connect(h.srv.port, '127.0.0.1');
    await new Promise<void>((r) => half.once('connect', () => r()));
    half.end('NICK half\r\nUSER h 0 * :h\r\n');
    const gone = connect(h.srv.port, '127.0.0.1');
    await new Promise<void>((r) => gone.once('connect', () => r()));
    gone.write('NICK gone\r\nUSER g 0 * :g\r\nPRIVMSG gone :partial line with no end');
    gone.destroy();
    await new Promise<void>((r) => half.once('close', () => r()).resume());
    await stillServing('half');
  });
});
