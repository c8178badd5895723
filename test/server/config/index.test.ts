import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULTS, helpText, isArgsError, isArgsHelp, parseArgs, readMotd } from '../../../src/server/config/index.ts';
import type { ParseArgsResult, ServerConfig } from '../../../src/server/config/index.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

function ok(r: ParseArgsResult): ServerConfig {
  if ('error' in r) assert.fail(`expected a config, got error: ${r.error}`);
  if ('help' in r) assert.fail('expected a config, got help');
  return r;
}

function error(argv: string[]): string {
  const r = parseArgs(argv);
  assert.ok(isArgsError(r), `expected an error for ${JSON.stringify(argv)}, got ${JSON.stringify(r)}`);
  assert.doesNotMatch(r.error, /\n/, 'errors are one line');
  return r.error;
}

describe('config: parseArgs', () => {
  it('gives the documented defaults with no flags', () => {
    const c = ok(parseArgs([]));
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.port, 6667);
    assert.equal(c.dataDir, resolve('./.data'));
    assert.equal(c.serverName, 'chatroom.local');
    assert.equal(c.tls, null);
    assert.deepEqual(c.opers, []);
    assert.equal(c.serverPassword, null);
    assert.equal(c.requireLogin, false);
    assert.equal(c.registerBeforeConnect, false);
    assert.equal(c.motdFile, null);
    assert.equal(c.limits.historyDays, null, 'history is kept for ever unless --history-days is given');
    assert.equal(c.floodControl, true);
    assert.equal(c.durability, true);
    assert.deepEqual(c.limits, DEFAULTS.limits);
  });

  it('accepts --flag value and --flag=value alike', () => {
    const a = ok(parseArgs(['--port', '7000', '--host', '::1', '--server-name', 'chat.example.org']));
    const b = ok(parseArgs(['--port=7000', '--host=::1', '--server-name=chat.example.org']));
    assert.deepEqual(a, b);
    assert.equal(a.port, 7000);
    assert.equal(a.host, '::1');
  });

  it('allows port 0 (ephemeral, for tests)', () => {
    assert.equal(ok(parseArgs(['--port', '0'])).port, 0);
  });

  it('parses every flag', () => {
    const c = ok(
      parseArgs([
        '--data-dir', '/tmp/x', '--tls-port', '6697', '--tls-cert', 'c.pem', '--tls-key', 'k.pem',
        '--oper', 'admin:s3cret', '--oper=root:a:b', '--server-password', 'letmein', '--require-login',
        '--register-before-connect', '--motd', 'motd.txt', '--flood-control', 'off', '--durability', 'off', '--max-clients-per-ip', '5',
        '--sendq', '65536', '--flood-rate', '2', '--flood-burst', '10', '--flood-queue', '20', '--ping-interval', '30',
        '--ping-timeout', '15', '--registration-timeout', '10', '--nick-length', '16', '--channel-length', '32',
        '--topic-length', '200', '--max-channels-per-client', '20', '--max-clients', '300', '--tls-timeout', '3',
        '--history-days', '30', '--max-rooms-per-account', '7', '--max-tag-bytes', '512',
      ]),
    );
    assert.equal(c.dataDir, '/tmp/x');
    assert.deepEqual(c.tls, { port: 6697, certFile: 'c.pem', keyFile: 'k.pem' });
    assert.deepEqual(c.opers, [{ name: 'admin', password: 's3cret' }, { name: 'root', password: 'a:b' }]);
    assert.equal(c.serverPassword, 'letmein');
    assert.equal(c.requireLogin, true);
    assert.equal(c.registerBeforeConnect, true);
    assert.equal(c.motdFile, 'motd.txt');
    assert.equal(c.floodControl, false);
    assert.equal(c.durability, false);
    assert.deepEqual(c.limits, {
      maxClientsPerIp: 5, maxClients: 300, tlsHandshakeTimeoutSec: 3, historyDays: 30, maxRoomsPerAccount: 7, maxStoredTagBytes: 512, sendqBytes: 65536, floodRate: 2, floodBurst: 10, floodMaxQueued: 20, pingIntervalSec: 30,
      pingTimeoutSec: 15, registrationTimeoutSec: 10, nickLength: 16, channelLength: 32, topicLength: 200, maxChannelsPerClient: 20,
    });
  });

  it('lets a later flag override an earlier one', () => {
    assert.equal(ok(parseArgs(['--port', '1', '--port', '2'])).port, 2);
    assert.equal(ok(parseArgs(['--flood-control', 'off', '--flood-control', 'on'])).floodControl, true);
    assert.equal(ok(parseArgs(['--durability=off', '--durability', 'on'])).durability, true);
  });

  it('gives a specific one-line error for each bad value', () => {
    assert.equal(error(['--port', 'abc']), "--port must be an integer from 0 to 65535, got 'abc'");
    assert.equal(error(['--port', '65536']), "--port must be an integer from 0 to 65535, got '65536'");
    assert.equal(error(['--port=-1']), "--port must be an integer from 0 to 65535, got '-1'");
    assert.equal(error(['--port', '1.5']), "--port must be an integer from 0 to 65535, got '1.5'");
    assert.match(error(['--tls-port', 'x', '--tls-cert', 'a', '--tls-key', 'b']), /^--tls-port must be an integer/);
    assert.equal(error(['--flood-control', 'maybe']), "--flood-control must be 'on' or 'off', got 'maybe'");
    assert.equal(error(['--durability', 'fast']), "--durability must be 'on' or 'off', got 'fast'");
    assert.match(error(['--oper', 'nopassword']), /^--oper must be NAME:PASSWORD/);
    assert.match(error(['--oper', ':pw']), /^--oper must be NAME:PASSWORD/);
    assert.match(error(['--oper', 'name:']), /^--oper must be NAME:PASSWORD/);
    assert.match(error(['--oper', 'a:1', '--oper', 'a:2']), /^--oper 'a' given twice/);
    assert.match(error(['--server-name', 'nodot']), /^--server-name must be a host-style name with a dot/);
    assert.match(error(['--host', 'bad host']), /^--host must be an IP address or host name/);
    assert.match(error(['--server-password=']), /^--server-password must be a non-empty password/);
    assert.match(error(['--max-clients-per-ip', '0']), /^--max-clients-per-ip must be an integer from 1/);
    assert.match(error(['--sendq', '10']), /^--sendq must be an integer from 4096/);
    for (const f of ['flood-rate', 'flood-burst', 'ping-interval', 'ping-timeout', 'registration-timeout', 'nick-length', 'channel-length', 'topic-length', 'max-channels-per-client']) {
      assert.match(error([`--${f}`, 'lots']), new RegExp(`^--${f} must be an integer from \\d+ to \\d+, got 'lots'$`));
    }
  });

  it('rejects unknown flags, stray arguments, missing values and values on boolean flags', () => {
    assert.equal(error(['--prot', '6667']), "unknown flag '--prot' (see --help)");
    assert.match(error(['6667']), /^unexpected argument '6667'/);
    assert.match(error(['-p', '6667']), /^unexpected argument '-p'/);
    assert.equal(error(['--port']), '--port needs a value (PORT)');
    assert.equal(error(['--motd', '--require-login']), '--motd needs a value (FILE)');
    assert.equal(error(['--require-login=yes']), "--require-login takes no value, got 'yes'");
  });

  it('requires the three TLS flags together', () => {
    const msg = '--tls-port, --tls-cert and --tls-key must be given together (or none of them)';
    assert.equal(error(['--tls-port', '6697']), msg);
    assert.equal(error(['--tls-cert', 'c', '--tls-key', 'k']), msg);
    assert.equal(error(['--tls-port', '6697', '--tls-key', 'k']), msg);
    assert.match(error(['--port', '7000', '--tls-port', '7000', '--tls-cert', 'c', '--tls-key', 'k']), /must differ/);
    assert.ok(ok(parseArgs(['--port', '0', '--tls-port', '0', '--tls-cert', 'c', '--tls-key', 'k'])).tls);
  });

  it('answers --help with text listing every flag and its default', () => {
    const r = parseArgs(['--port', 'abc', '--help']);
    assert.ok(isArgsHelp(r));
    assert.equal(r.help, helpText);
    for (const flag of [
      'host', 'port', 'data-dir', 'server-name', 'tls-port', 'tls-cert', 'tls-key', 'oper', 'server-password', 'require-login',
      'register-before-connect', 'motd', 'flood-control', 'durability', 'max-clients-per-ip', 'sendq', 'flood-rate', 'flood-burst',
      'flood-queue', 'ping-interval', 'ping-timeout', 'registration-timeout', 'nick-length', 'channel-length', 'topic-length',
      'max-channels-per-client', 'max-clients', 'tls-timeout', 'max-tag-bytes', 'max-rooms-per-account', 'history-days', 'help',
    ]) {
      assert.match(helpText, new RegExp(`^  --${flag}\\b`, 'm'), `help lists --${flag}`);
    }
    assert.match(helpText, /--port PORT .*\(default: 6667\)/);
    assert.match(helpText, /--max-clients-per-ip N .*\(default: 50\)/);
    assert.match(helpText, /--max-clients N .*\(default: 10000\)/);
    assert.match(helpText, /--tls-timeout SECONDS .*\(default: 10\)/);
    assert.match(helpText, /--history-days N .*\(default: keep everything\)/);
    assert.match(helpText, /--max-rooms-per-account N .*\(default: 50\)/);
    assert.match(helpText, /--max-tag-bytes BYTES .*\(default: 4096\)/);
    assert.match(helpText, /--sendq BYTES .*\(default: 1048576\)/);
    assert.match(helpText, /--durability on\|off .*benchmarks only.*\(default: on\)/);
  });
});

describe('config: readMotd', () => {
  it('reads lines, strips control characters and CR, caps line length', () => {
    const t = tempDir();
    try {
      const f = join(t.path, 'motd.txt');
      writeFileSync(f, `Welcome\r\nline\x07two\n${'x'.repeat(1000)}\n`);
      const r = readMotd(f);
      assert.ok('lines' in r);
      assert.deepEqual(r.lines.slice(0, 2), ['Welcome', 'linetwo']);
      assert.equal(r.lines[2]?.length, 400);
      assert.equal(r.lines.length, 3);
    } finally {
      t.remove();
    }
  });

  it('reports a missing file clearly', () => {
    const r = readMotd('/nonexistent/motd.txt');
    assert.ok('error' in r);
    assert.equal(r.error, "cannot read --motd file '/nonexistent/motd.txt': no such file");
  });
});
