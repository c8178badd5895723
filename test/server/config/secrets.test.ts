// Issue 11: operator credentials and the server password can come from a file or the environment,
// so they do not show in `ps` (the command line is readable by every user of the box).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ERR_PASSWDMISMATCH, RPL_WELCOME, RPL_YOUREOPER } from '../../../src/protocol/numerics.ts';
import { isArgsError, loadSecrets, parseArgs, type ServerConfig } from '../../../src/server/config/index.ts';
import { IrcTestClient, startServer, tempDir } from '../../helpers/index.ts';

function config(argv: string[]): ServerConfig {
  const r = parseArgs(argv);
  if (isArgsError(r) || 'help' in r) throw new Error(JSON.stringify(r));
  return r;
}

describe('config: secrets from files and the environment', () => {
  it('reads NAME:PASSWORD lines from --oper-file and CHATROOM_OPERS, adding to --oper', () => {
    const t = tempDir();
    try {
      const file = join(t.path, 'opers');
      writeFileSync(file, '# admins\nalice:pw:with:colons\r\n\nbob:second pw\n', { mode: 0o600 });
      const r = loadSecrets(config(['--oper', 'cli:x1', '--oper-file', file]), { CHATROOM_OPERS: 'carol:c-pw\ndave:d-pw' });
      assert.ok(!('error' in r));
      assert.deepEqual(r.opers, [
        { name: 'cli', password: 'x1' },
        { name: 'alice', password: 'pw:with:colons' },
        { name: 'bob', password: 'second pw' },
        { name: 'carol', password: 'c-pw' },
        { name: 'dave', password: 'd-pw' },
      ]);
    } finally {
      t.remove();
    }
  });

  it('takes the server password from the first line of --server-password-file, else from CHATROOM_SERVER_PASSWORD', () => {
    const t = tempDir();
    try {
      const file = join(t.path, 'pass');
      writeFileSync(file, 'from-the-file\nignored\n');
      const fromFile = loadSecrets(config(['--server-password-file', file]), { CHATROOM_SERVER_PASSWORD: 'from-env' });
      assert.equal(!('error' in fromFile) && fromFile.serverPassword, 'from-the-file');
      const fromEnv = loadSecrets(config([]), { CHATROOM_SERVER_PASSWORD: 'from-env' });
      assert.equal(!('error' in fromEnv) && fromEnv.serverPassword, 'from-env');
      const flagWins = loadSecrets(config(['--server-password', 'from-flag']), { CHATROOM_SERVER_PASSWORD: 'from-env' });
      assert.equal(!('error' in flagWins) && flagWins.serverPassword, 'from-flag');
      assert.match((parseArgs(['--server-password', 'a', '--server-password-file', file]) as { error: string }).error, /not both/);
    } finally {
      t.remove();
    }
  });

  it('names the file and line of a problem, never the password', () => {
    const t = tempDir();
    try {
      const file = join(t.path, 'opers');
      writeFileSync(file, 'good:secret-one\nno-colon-secret-two\n');
      const bad = loadSecrets(config(['--oper-file', file]), {});
      assert.ok('error' in bad);
      assert.match(bad.error, /--oper-file '.*opers' line 2 must be NAME:PASSWORD/);
      assert.doesNotMatch(bad.error, /secret/);
      const dup = loadSecrets(config(['--oper', 'good:x2', '--oper-file', file.replace('opers', 'none')]), {});
      assert.ok('error' in dup && /cannot read --oper-file/.test(dup.error));
      const twice = loadSecrets(config(['--oper', 'same:one']), { CHATROOM_OPERS: 'same:two' });
      assert.ok('error' in twice && /'same' is given twice/.test(twice.error));
      assert.doesNotMatch((parseArgs(['--oper', 'name-only-hunter2']) as { error: string }).error, /hunter2/);
    } finally {
      t.remove();
    }
  });

  it('parses the other password flags, with their defaults and bounds', () => {
    const d = config([]);
    assert.deepEqual([d.allowPlaintextPasswords, d.minPasswordLength, d.maxAccountsPerIp], [false, 8, 20]);
    const c = config(['--allow-plaintext-passwords', '--min-password-length', '12', '--max-accounts-per-ip=3']);
    assert.deepEqual([c.allowPlaintextPasswords, c.minPasswordLength, c.maxAccountsPerIp], [true, 12, 3]);
    assert.match((parseArgs(['--min-password-length', '0']) as { error: string }).error, /^--min-password-length must be an integer from 1 to 300, got '0'/);
    assert.match((parseArgs(['--max-accounts-per-ip', 'many']) as { error: string }).error, /^--max-accounts-per-ip must be an integer/);
  });

  it('the real server uses them, and neither shows on its command line', async () => {
    const t = tempDir();
    try {
      const file = join(t.path, 'opers');
      writeFileSync(file, 'admin:file-oper-password\n', { mode: 0o600 });
      const srv = await startServer({ args: ['--oper-file', file], env: { CHATROOM_SERVER_PASSWORD: 'env-server-password' } });
      try {
        const cmdline = readFileSync(`/proc/${srv.proc.pid}/cmdline`, 'utf8');
        assert.doesNotMatch(cmdline, /file-oper-password|env-server-password/);
        const c = await IrcTestClient.connect(srv.port);
        await c.register('admin1', { password: 'env-server-password' });
        assert.ok(c.messages.some((m) => m.command === RPL_WELCOME));
        c.send('OPER admin file-oper-password');
        await c.waitFor(RPL_YOUREOPER);
        c.destroy();
        const wrong = await IrcTestClient.connect(srv.port);
        wrong.send('PASS not-it');
        await wrong.waitFor(ERR_PASSWDMISMATCH);
        wrong.destroy();
      } finally {
        await srv.stop();
      }
    } finally {
      t.remove();
    }
  });
});
