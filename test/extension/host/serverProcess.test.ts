// Hosting the bundled server (src/extension/host/serverProcess.ts) with real child processes: the
// real dist/server.mjs, and small stand-in scripts for the ways a start can fail.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findFreePort, isPortInUse, SERVER_NODE_FLAGS, ServerStartError, startServer } from '../../../src/extension/host/serverProcess.ts';
import { RUNTIME_FLAGS } from '../../../src/server/runtime.ts';
import { IrcTestClient, ROOT, tempDir } from '../../helpers/index.ts';

/** An extension folder whose dist/server.mjs is `source`. */
function fakeExtension(dir: string, source: string): string {
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'server.mjs'), source);
  return dir;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('hosting the bundled server', () => {
  const cleanups: (() => unknown)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('starts dist/server.mjs, reports its address from the "listening on" line, and stops it', async () => {
    const data = tempDir();
    cleanups.push(() => data.remove());
    const port = await findFreePort('127.0.0.1');
    const log: string[] = [];
    const server = await startServer({ extensionPath: ROOT, host: '127.0.0.1', port, dataDir: data.path, log: (l) => log.push(l) });
    cleanups.push(() => server.dispose());
    assert.equal(server.port, port);
    assert.ok(log.some((l) => l.includes(`listening on 127.0.0.1:${port}`)), log.join('\n'));
    const c = await IrcTestClient.connect(port);
    await c.register('hostcheck');
    await c.close();
    server.dispose();
    assert.match(await server.exited, /signal SIGTERM|exit code 0/);
    assert.equal(await isPortInUse('127.0.0.1', port), false);
  });

  it('runs the server with the small-memory V8 flags, the server\'s own RUNTIME_FLAGS (no re-execution needed)', async (t) => {
    assert.deepEqual(SERVER_NODE_FLAGS, RUNTIME_FLAGS);
    if (!existsSync('/proc/self/cmdline')) return t.skip('needs /proc to read the child\'s command line');
    const data = tempDir();
    cleanups.push(() => data.remove());
    const port = await findFreePort('127.0.0.1');
    const server = await startServer({ extensionPath: ROOT, host: '127.0.0.1', port, dataDir: data.path, log: () => {} });
    cleanups.push(() => server.dispose());
    const argv = readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0');
    const script = argv.findIndex((a) => a.endsWith('server.mjs'));
    assert.deepEqual(argv.slice(1, script), [...SERVER_NODE_FLAGS], argv.join(' '));
    server.dispose();
    await server.exited;
  });

  it('a runtime that refuses the V8 flags still runs the server, without them', async () => {
    const data = tempDir();
    cleanups.push(() => data.remove());
    const port = await findFreePort('127.0.0.1');
    const log: string[] = [];
    const server = await startServer({
      extensionPath: ROOT, host: '127.0.0.1', port, dataDir: data.path, log: (l) => log.push(l),
      nodeFlags: ['--no-such-runtime-flag'],
    });
    cleanups.push(() => server.dispose());
    assert.ok(log.some((l) => /bad option: --no-such-runtime-flag/.test(l)), log.join('\n'));
    assert.ok(log.some((l) => /refused --no-such-runtime-flag; starting the server without them/.test(l)), log.join('\n'));
    const c = await IrcTestClient.connect(port);
    await c.register('flagless');
    await c.close();
  });

  it('a killed parent (kill -9 of the extension host) leaves no orphan: the server exits with it', async () => {
    const data = tempDir();
    cleanups.push(() => data.remove());
    const port = await findFreePort('127.0.0.1');
    // The parent stands in for the extension host: it starts the server the way the extension does.
    const parentScript = join(data.path, 'parent.ts');
    writeFileSync(
      parentScript,
      `import { startServer } from ${JSON.stringify(join(ROOT, 'src/extension/host/serverProcess.ts'))};
const s = await startServer({ extensionPath: ${JSON.stringify(ROOT)}, host: '127.0.0.1', port: ${port}, dataDir: ${JSON.stringify(join(data.path, 'db'))}, log: () => {} });
console.log('server pid ' + s.pid);
setInterval(() => {}, 1000);
`,
    );
    const parent = spawn(process.execPath, [parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => parent.kill('SIGKILL'));
    const pid = await new Promise<number>((resolve, reject) => {
      let out = '';
      parent.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /server pid (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      parent.once('exit', (code) => reject(new Error(`parent exited (${code}): ${out}`)));
    });
    assert.equal(await isPortInUse('127.0.0.1', port), true);
    parent.kill('SIGKILL');
    // The server's stdin pipe closes with its parent (--exit-with-parent): wait for it to be gone.
    const deadline = Date.now() + 15_000;
    while (alive(pid)) {
      assert.ok(Date.now() < deadline, `server ${pid} outlived its parent`);
      await new Promise((r) => setTimeout(r, 100)); // polling interval
    }
    assert.equal(await isPortInUse('127.0.0.1', port), false);
  });

  it('refuses a port another program holds, before spawning anything', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => holder.close(r)));
    const port = (holder.address() as { port: number }).port;
    const data = tempDir();
    cleanups.push(() => data.remove());
    await assert.rejects(
      startServer({ extensionPath: ROOT, host: '127.0.0.1', port, dataDir: data.path, log: () => undefined }),
      (e: unknown) => e instanceof ServerStartError && e.kind === 'port-in-use' && e.message.includes(String(port)),
    );
  });

  it('refuses a TLS port another program holds, naming chatroom.server.tlsPort, before spawning anything', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => holder.close(r)));
    const tlsPort = (holder.address() as { port: number }).port;
    const data = tempDir();
    cleanups.push(() => data.remove());
    const port = await findFreePort('127.0.0.1');
    const log: string[] = [];
    await assert.rejects(
      startServer({ extensionPath: ROOT, host: '127.0.0.1', port, dataDir: data.path, tls: { port: tlsPort, certFile: 'c.pem', keyFile: 'k.pem' }, log: (l) => log.push(l) }),
      (e: unknown) => e instanceof ServerStartError && e.kind === 'tls-port-in-use' && e.message.includes(`TLS port ${tlsPort}`) && e.message.includes('chatroom.server.tlsPort'),
    );
    assert.deepEqual(log, [], 'nothing was started');
  });

  it('a server that exits early is an "exited" error carrying its last words', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const ext = fakeExtension(dir.path, "console.error('cannot open the database: disk full'); process.exit(3);\n");
    const port = await findFreePort('127.0.0.1');
    await assert.rejects(
      startServer({ extensionPath: ext, host: '127.0.0.1', port, dataDir: dir.path, log: () => undefined }),
      (e: unknown) => e instanceof ServerStartError && e.kind === 'exited' && /exit code 3/.test(e.message) && /disk full/.test(e.message),
    );
  });

  it('a runtime without node:sqlite is named as the cause', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const ext = fakeExtension(dir.path, "console.error('Error [ERR_UNKNOWN_BUILTIN_MODULE]: No such built-in module: node:sqlite'); process.exit(1);\n");
    const port = await findFreePort('127.0.0.1');
    await assert.rejects(
      startServer({ extensionPath: ext, host: '127.0.0.1', port, dataDir: dir.path, log: () => undefined }),
      (e: unknown) => e instanceof ServerStartError && e.kind === 'exited' && /no SQLite module/.test(e.message) && /Update VS Code/.test(e.message),
    );
  });

  it('a server that dies with EADDRINUSE is a "port-in-use" error', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const ext = fakeExtension(dir.path, "console.error('Error: listen EADDRINUSE: address already in use'); process.exit(1);\n");
    const port = await findFreePort('127.0.0.1');
    await assert.rejects(
      startServer({ extensionPath: ext, host: '127.0.0.1', port, dataDir: dir.path, log: () => undefined }),
      (e: unknown) => e instanceof ServerStartError && e.kind === 'port-in-use',
    );
  });

  it('a server that never says it is listening is a "timeout" error', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const ext = fakeExtension(dir.path, "console.log('thinking…'); setInterval(() => {}, 1000);\n");
    const port = await findFreePort('127.0.0.1');
    await assert.rejects(
      startServer({ extensionPath: ext, host: '127.0.0.1', port, dataDir: dir.path, log: () => undefined, startTimeoutMs: 1500 }),
      (e: unknown) => e instanceof ServerStartError && e.kind === 'timeout',
    );
  });
});
