// The server runs with its runtime flags (src/server/runtime.ts) however it is started (issue 15):
// real child processes started each way report the same flags through --print-runtime, and a
// server started plainly is, by its /proc command line, the re-executed process with the same pid.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { SERVER_NODE_FLAGS } from '../../src/extension/host/serverProcess.ts';
import { missingRuntimeFlags, RUNTIME_FLAGS } from '../../src/server/runtime.ts';
import { IrcTestClient, ROOT, SERVER_JS, startServer } from '../helpers/index.ts';

interface Printed {
  pid: number;
  execArgv: string[];
  flags: 'given' | 'added' | 'missing';
  missing: string[];
  why?: string;
}

/** Runs `command args... --print-runtime` and parses what it prints. */
function printRuntime(command: string, args: string[], env: NodeJS.ProcessEnv): Printed {
  const r = spawnSync(command, [...args, '--print-runtime'], { cwd: ROOT, env, encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, `${command} ${args.join(' ')}: ${r.stderr}`);
  const line = r.stdout.trim().split('\n').at(-1)!;
  return JSON.parse(line) as Printed;
}

const NODE_DIR = dirname(process.execPath);
const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  const e: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete e.NODE_OPTIONS;
  return e;
};

describe('runtime flags', () => {
  it('are found missing by name, so an operator\'s own value or negation is kept', () => {
    assert.deepEqual(missingRuntimeFlags([]), [...RUNTIME_FLAGS]);
    assert.deepEqual(missingRuntimeFlags([...RUNTIME_FLAGS]), []);
    assert.deepEqual(missingRuntimeFlags(['--max_semi_space_size=16', '--concurrent-recompilation']), []);
    assert.deepEqual(missingRuntimeFlags(['--inspect'], '--max-semi-space-size=1'), ['--no-concurrent-recompilation']);
    assert.deepEqual(missingRuntimeFlags(['--max-semi-space-size-x=1']), [...RUNTIME_FLAGS]);
  });

  it('are the same whichever way the server is started', { skip: process.platform === 'win32' && 'no execve on Windows' }, () => {
    const launches: Record<string, [string, string[], NodeJS.ProcessEnv]> = {
      'node dist/server.mjs': [process.execPath, [SERVER_JS], env()],
      './dist/server.mjs (its first line: the node on the PATH)': [SERVER_JS, [], env({ PATH: `${NODE_DIR}:${process.env.PATH ?? ''}` })],
      'npm start / npm run server (scripts/server.mjs)': [process.execPath, [join(ROOT, 'scripts', 'server.mjs')], env()],
      'Chat: Host (execPath, ELECTRON_RUN_AS_NODE=1, the flags given)': [process.execPath, [...SERVER_NODE_FLAGS, SERVER_JS], env({ ELECTRON_RUN_AS_NODE: '1' })],
      'a systemd unit (absolute paths, a bare environment)': [process.execPath, [SERVER_JS], {}],
      'NODE_OPTIONS naming one of them': [process.execPath, [SERVER_JS], env({ NODE_OPTIONS: RUNTIME_FLAGS[0] })],
    };
    for (const [how, [command, args, e]] of Object.entries(launches)) {
      const r = printRuntime(command, args, e);
      assert.notEqual(r.flags, 'missing', `${how}: ${JSON.stringify(r)}`);
      const fromOptions = e.NODE_OPTIONS?.split(' ') ?? [];
      assert.deepEqual([...r.execArgv, ...fromOptions].sort(), [...RUNTIME_FLAGS].sort(), how);
      assert.equal(r.flags, how.startsWith('Chat: Host') ? 'given' : 'added', how);
    }
  });

  it('keep an operator\'s own setting', () => {
    const r = printRuntime(process.execPath, ['--max-semi-space-size=8', SERVER_JS], env());
    assert.ok(r.execArgv.includes('--max-semi-space-size=8'), JSON.stringify(r));
    assert.ok(!r.execArgv.includes('--max-semi-space-size=2'), JSON.stringify(r));
  });

  it('are added once: a re-executed server that still lacks them runs on and says why', () => {
    const r = printRuntime(process.execPath, [SERVER_JS], env({ CHATROOM_RUNTIME_REEXEC: '1' }));
    assert.equal(r.flags, 'missing');
    assert.deepEqual(r.missing, [...RUNTIME_FLAGS]);
    assert.match(r.why ?? '', /still missing/);
  });

  it('a server started as `node dist/server.mjs` serves as the same process (pid), with the flags', async (t) => {
    if (!existsSync('/proc/self/cmdline')) return t.skip('needs /proc');
    const srv = await startServer();
    try {
      const argv = readFileSync(`/proc/${srv.proc.pid}/cmdline`, 'utf8').split('\0');
      const script = argv.findIndex((a) => a.endsWith('server.mjs'));
      assert.deepEqual(argv.slice(1, script).sort(), [...RUNTIME_FLAGS].sort(), argv.join(' '));
      const c = await IrcTestClient.connect(srv.port);
      await c.register('flagged');
      await c.close();
      assert.doesNotMatch(srv.output(), /running without/);
    } finally {
      assert.equal(await srv.stop(), 0);
    }
  });
});
