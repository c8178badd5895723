// `npm start` / `npm run server` run the bundle through scripts/serverCommand.mjs: this Node and the
// script (the server adds its runtime flags itself: test/server/runtime.test.ts), Ctrl+C / SIGTERM forwarded.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { serverCommand } from '../../scripts/serverCommand.mjs';
import { lineListener } from '../helpers/lines.ts';
import { ROOT, tempDir } from '../helpers/index.ts';

describe('npm run server', () => {
  it('runs dist/server.mjs with this Node', () => {
    const [command, args] = serverCommand(ROOT, ['--port', '0']);
    assert.equal(command, process.execPath);
    assert.deepEqual(args, [join(ROOT, 'dist', 'server.mjs'), '--port', '0']);
  });

  it('starts the server in the foreground and stops it cleanly on SIGTERM (exit code 0)', async () => {
    const data = tempDir();
    try {
      const child = spawn(process.execPath, [join(ROOT, 'scripts', 'server.mjs'), '--port', '0', '--data-dir', data.path], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const listening = new Promise<void>((resolve) => {
        child.stdout.on('data', lineListener((line) => {
          output += `${line}\n`;
          if (/listening on 127\.0\.0\.1:\d+/.test(line)) resolve();
        }));
      });
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await Promise.race([listening, exited.then(() => assert.fail(`exited before listening:\n${output}`))]);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, output);
    } finally {
      data.remove();
    }
  });
});
