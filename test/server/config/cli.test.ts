// The flag contract through the real binary: --help prints helpText, bad flags exit 2 with one line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { helpText } from '../../../src/server/config/index.ts';
import { SERVER_JS } from '../../helpers/server.ts';

function run(...args: string[]) {
  return spawnSync(process.execPath, [SERVER_JS, ...args], { encoding: 'utf8', timeout: 20_000 });
}

describe('config: chatroom-server command line', () => {
  it('--help prints every flag with its default and exits 0', () => {
    const r = run('--help');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${helpText}\n`);
  });

  it('an unknown flag or a bad value: one line on stderr, exit code 2, nothing started', () => {
    for (const [args, message] of [
      [['--bogus'], "unknown flag '--bogus' (see --help)"],
      [['--port', 'abc'], "--port must be an integer from 0 to 65535, got 'abc'"],
      [['--tls-port', '6697'], '--tls-port, --tls-cert and --tls-key must be given together (or none of them)'],
      [['--flood-control=sometimes'], "--flood-control must be 'on' or 'off', got 'sometimes'"],
    ] as const) {
      const r = run(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.ok(r.stderr.includes(message), `${args.join(' ')} -> ${r.stderr}`);
    }
  });
});
