// The Node runtime settings the server needs, whoever starts it (issue 15): `node dist/server.mjs`,
// `./dist/server.mjs`, `npm start`, Chat: Host (VS Code's Electron as Node) or a systemd unit.
//
// V8 reads these flags once, while it sets up the heap and the compiler, before any of our code
// runs: `v8.setFlagsFromString` after start changes nothing measurable (README "Performance"). So
// a server started without them replaces itself, before it opens anything, with the same program
// plus the flags: process.execve (Node 22.15+/23.11+, POSIX) keeps the pid, stdin/stdout/stderr,
// the arguments and the environment, so whoever started it (a shell, systemd, the extension, a
// test) sees one process. Where execve is missing (Windows, an older Electron) the server runs on
// without the flags and says so; launchers that can pass the flags themselves (the extension)
// still do, which saves the second start.

/**
 * A 2 MiB young generation instead of V8's default (which grows to 16 MiB semi-spaces while many
 * clients register) and optimizing compiles on the main thread (background compiles leave ~8 MiB
 * in malloc arenas that are never given back): an idle server stays small.
 */
export const RUNTIME_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--no-concurrent-recompilation'];

/** Set in the environment of the re-executed server, so it never re-executes itself twice. */
const REEXEC_MARK = 'CHATROOM_RUNTIME_REEXEC';

export interface RuntimeState {
  /** given: the launcher passed every flag; added: this process re-executed itself with them; missing: it runs without some. */
  readonly flags: 'given' | 'added' | 'missing';
  /** The RUNTIME_FLAGS this process runs without (empty unless `flags` is missing). */
  readonly missing: readonly string[];
  /** Why they are missing (e.g. no process.execve in this runtime). */
  readonly why?: string;
}

/** A Node/V8 flag's name: `--no-foo_bar=1` and `--foo-bar` are both `foo-bar`. */
function flagName(arg: string): string {
  const eq = arg.indexOf('=');
  return (eq < 0 ? arg : arg.slice(0, eq)).replace(/^--(no-)?/, '').replaceAll('_', '-');
}

/**
 * The RUNTIME_FLAGS that neither the command line nor NODE_OPTIONS names. Matched by name, so an
 * operator's own `--max-semi-space-size=8` or `--concurrent-recompilation` is respected.
 */
export function missingRuntimeFlags(execArgv: readonly string[], nodeOptions = ''): string[] {
  const named = new Set([...execArgv, ...nodeOptions.split(/\s+/)].filter((a) => a.startsWith('--')).map(flagName));
  return RUNTIME_FLAGS.filter((f) => !named.has(flagName(f)));
}

type Execve = (file: string, args: string[], env: NodeJS.ProcessEnv) => never;

/**
 * Makes sure this process runs with RUNTIME_FLAGS: returns at once when it does, else re-executes
 * itself with them (and does not return), or returns why it cannot. Call it first thing, before
 * any file or socket is opened: execve keeps nothing but stdin, stdout and stderr.
 */
export function ensureRuntimeFlags(): RuntimeState {
  const reexecuted = process.env[REEXEC_MARK] !== undefined;
  delete process.env[REEXEC_MARK]; // not inherited by anything we start
  const missing = missingRuntimeFlags(process.execArgv, process.env.NODE_OPTIONS);
  if (missing.length === 0) return { flags: reexecuted ? 'added' : 'given', missing };
  const execve = (process as unknown as { execve?: Execve }).execve;
  let why: string;
  if (reexecuted) why = 'still missing after re-executing with them';
  else if (typeof execve !== 'function') why = `this runtime (Node ${process.version}) has no process.execve`;
  // An IPC channel (fork()) is a descriptor execve would close under the parent's feet.
  else if (process.channel !== undefined || process.env.NODE_CHANNEL_FD !== undefined) why = 'started with an IPC channel';
  else why = reexecute(execve, missing);
  return { flags: 'missing', missing, why };
}

/** Replaces this process with itself plus `missing`; returns only when that failed, with why. */
function reexecute(execve: Execve, missing: readonly string[]): string {
  try {
    execve(process.execPath, [process.execPath, ...missing, ...process.execArgv, ...process.argv.slice(1)], { ...process.env, [REEXEC_MARK]: '1' });
  } catch (err) {
    return `re-executing failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  return 're-executing failed';
}

/** What `--print-runtime` prints: the runtime and the settings this process really runs with. */
export function describeRuntime(state: RuntimeState): Record<string, unknown> {
  return {
    pid: process.pid,
    node: process.version,
    execPath: process.execPath,
    execArgv: process.execArgv,
    runtimeFlags: RUNTIME_FLAGS,
    ...state,
  };
}
