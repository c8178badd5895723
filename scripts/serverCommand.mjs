// How npm scripts run the bundled server: this Node (process.execPath) with the script. The server
// adds the runtime flags it needs itself (src/server/runtime.ts re-executes it with them, same pid),
// so nothing here names them; running the file itself would need a shebang-aware OS (not Windows).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** [command, args] that run `<root>/dist/server.mjs` with `serverArgs`. */
export function serverCommand(root, serverArgs) {
  return [process.execPath, [resolve(root, 'dist', 'server.mjs'), ...serverArgs]];
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
