// chatroom-server: parses the flags, opens storage, starts the listeners and prints
// `listening on HOST:PORT` (and `listening (tls) on HOST:PORT`) once ready. Usage errors: one line
// on stderr, exit 2. SIGTERM/SIGINT: graceful shutdown, exit 0.
// First import: re-executes the process with its runtime flags when they are missing (runtime.ts).
import { runtimeState } from './reexec.ts';
import { loadSecrets, parseArgs, readMotd } from './config/index.ts';
import { ChatServer } from './server.ts';
import { openStore } from './storage/index.ts';
import { describeRuntime } from './runtime.ts';
import { loadTlsFiles } from './tls/index.ts';

function fail(message: string, code = 2): never {
  process.stderr.write(`chatroom-server: ${message}\n`);
  process.exit(code);
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

// Signal handlers go in first: a SIGTERM that arrives while we start (e.g. right after the
// `listening` line) must still shut down gracefully, not kill us with the default action.
let server: ChatServer | undefined;
let stopRequested = false;
function stop(): void {
  stopRequested = true;
  if (!server) return; // still starting: main() calls stop() again once the server exists
  void server.shutdown().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

async function main(): Promise<void> {
  if (process.argv.includes('--print-runtime')) {
    process.stdout.write(`${JSON.stringify(describeRuntime(runtimeState))}\n`);
    process.exit(0);
  }
  if (runtimeState.flags === 'missing') {
    process.stderr.write(`chatroom-server: note: running without ${runtimeState.missing.join(' ')} (${runtimeState.why}): more memory per connection\n`);
  }
  const args = parseArgs(process.argv.slice(2));
  if ('help' in args) {
    process.stdout.write(`${args.help}\n`);
    process.exit(0);
  }
  if ('error' in args) fail(args.error);
  const withSecrets = loadSecrets(args);
  if ('error' in withSecrets) fail(withSecrets.error);
  const config = withSecrets;

  let motd: string[] | null = null;
  if (config.motdFile !== null) {
    const r = readMotd(config.motdFile);
    if ('error' in r) fail(r.error);
    motd = r.lines;
  }
  let tls: { cert: Buffer; key: Buffer } | null = null;
  if (config.tls) {
    const r = loadTlsFiles(config.tls.certFile, config.tls.keyFile);
    if (!r.ok) fail(r.error);
    tls = { cert: r.options.cert, key: r.options.key };
  }

  let store;
  try {
    store = openStore(config.dataDir);
  } catch (err) {
    fail(`cannot open the data folder '${config.dataDir}': ${err instanceof Error ? err.message : String(err)}`, 1);
  }
  server = new ChatServer({ config, store, motd, tls });
  let addrs;
  try {
    addrs = await server.listen();
  } catch (err) {
    store.close();
    fail(`cannot listen on ${config.host}:${config.port}: ${err instanceof Error ? err.message : String(err)}`, 1);
  }
  process.stdout.write(`listening on ${formatHost(addrs.host)}:${addrs.port}\n`);
  if (addrs.tlsPort !== undefined) process.stdout.write(`listening (tls) on ${formatHost(addrs.host)}:${addrs.tlsPort}\n`);

  if (stopRequested) stop();
  if (config.exitWithParent) {
    // The parent holds our stdin pipe; when it dies (even by kill -9) the pipe closes.
    process.stdin.on('end', stop);
    process.stdin.on('error', stop);
    process.stdin.resume();
  }
  // A bug in one handler is caught by the dispatcher; anything that still escapes is logged, and the
  // server keeps serving the other clients rather than dropping everyone.
  const log = server.log;
  process.on('uncaughtException', (err) => log.error('uncaught exception', err));
  process.on('unhandledRejection', (err) => log.error('unhandled rejection', err));
}

void main();
