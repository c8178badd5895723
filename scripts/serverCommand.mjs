// How npm scripts run the bundled server: this Node (process.execPath) with the flags the bundle's
// first line names (`#!/usr/bin/env -S node --flag …`, written by scripts/build.mjs). Running the file
// itself would need `env -S` (not in busybox) and a shebang-aware OS (not Windows).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The Node flags on the first line of the bundle at `script` (none when it has no such line). */
export function bundleNodeFlags(script) {
  const first = readFileSync(script, 'utf8').split('\n', 1)[0];
  const m = /^#!\S*env -S node((?: --\S+)*)\s*$/.exec(first);
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : [];
}

/** [command, args] that run `<root>/dist/server.mjs` with `serverArgs`. */
export function serverCommand(root, serverArgs) {
  const script = resolve(root, 'dist', 'server.mjs');
  return [process.execPath, [...bundleNodeFlags(script), script, ...serverArgs]];
}

/** Runs the server in the foreground with inherited stdio; forwards SIGINT/SIGTERM and its exit code. */
export function runForeground(root, serverArgs) {
  const [command, args] = serverCommand(root, serverArgs);
  const server = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (server.exitCode === null) server.kill(signal);
    });
  }
  server.on('exit', (code, signal) => {
    process.exit(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1));
  });
  return server;
}
