// Command-line options of `npm run bench`. Sizes default to the figures; --quick is a
// small smoke run (seconds, tens of connections) that still exercises every path.

import { OURS_LAUNCHES, type OursLaunch } from './servers.ts';
import { SCENARIOS, SERVERS, type BenchOptions, type ScenarioName, type ServerName } from './types.ts';

export type CliOptions = BenchOptions & {
  only: ScenarioName[];
  servers: ServerName[];
  quick: boolean;
  pin: boolean;
  build: boolean;
  install: boolean;
  outDir: string;
  /** Profile our server (node --cpu-prof) in each scenario and print its hottest functions. */
  profile: boolean;
  /** Rounds per scenario; servers take turns going first and tables show medians. */
  repeat: number;
  /** Extra flags for our server in the durability run's "commit path bypassed" half (auto-detected when empty). */
  oursNoDurableArgs: string[];
  /** Node/V8 flags for our server; null: none (it adds its runtime flags itself). */
  oursNodeArgs: string[] | null;
  /** Another build's server.mjs, run beside ours as "ours (baseline)" (e.g. before a round of features). */
  oursBaseline: string | null;
  /** memory: idle connections held, one measurement each (sizes past the open-file limit are reported unreachable). */
  memorySizes: number[];
  /** memory: the ways our server is started, one column each. */
  oursLaunches: OursLaunch[];
  /** memory: connections per generator process (0: as many as its open files allow). */
  memoryPerGenerator: number;
  /** memory: seconds the connections sit idle before the server's RSS is read. */
  memorySettle: number;
};

const MEMORY_SIZES = [10_000, 50_000, 100_000];
const QUICK_MEMORY_SIZES = [100, 200];

export const DEFAULTS: BenchOptions = {
  clients: 1000,
  senders: 10,
  rate: 100,
  duration: 5,
  rateSeconds: 20,
  messages: 200_000,
  window: 50,
  size: 64,
  connects: 2000,
  concurrency: 100,
  idle: 10_000,
  pings: 200,
  pairs: 50,
  historySize: 1_000_000,
  seedSeconds: 600,
  pages: 200,
  timeoutMs: 20_000,
  bigroomClients: 10_000,
  bigroomSeconds: 30,
};

export const QUICK: BenchOptions = {
  clients: 20,
  senders: 2,
  rate: 100,
  duration: 1,
  rateSeconds: 1,
  messages: 2000,
  window: 10,
  size: 64,
  connects: 50,
  concurrency: 10,
  idle: 100,
  pings: 20,
  pairs: 5,
  historySize: 1000,
  seedSeconds: 20,
  pages: 10,
  timeoutMs: 10_000,
  bigroomClients: 50,
  bigroomSeconds: 3,
};

const NUMERIC: Record<string, keyof BenchOptions> = {
  '--clients': 'clients',
  '--senders': 'senders',
  '--rate': 'rate',
  '--duration': 'duration',
  '--rate-seconds': 'rateSeconds',
  '--messages': 'messages',
  '--window': 'window',
  '--size': 'size',
  '--connects': 'connects',
  '--concurrency': 'concurrency',
  '--idle': 'idle',
  '--pings': 'pings',
  '--pairs': 'pairs',
  '--history-size': 'historySize',
  '--seed-seconds': 'seedSeconds',
  '--pages': 'pages',
  '--timeout-ms': 'timeoutMs',
  '--bigroom-clients': 'bigroomClients',
  '--bigroom-seconds': 'bigroomSeconds',
};

export const USAGE = `usage: npm run bench -- [options]
  --only fanout,bigroom,connect,idle,dm,history,search,durability,memory   scenarios to run (default: all)
  --servers ours,ngircd,inspircd                     servers to compare (default: all)
  --quick                 small smoke run (sizes below shrink; flags given still win)
  --clients N             fanout room members (${DEFAULTS.clients})
  --senders N             fanout senders (${DEFAULTS.senders})
  --rate N                fanout fixed-rate phase, messages/s in total (${DEFAULTS.rate})
  --duration S            seconds per phase (${DEFAULTS.duration})
  --rate-seconds S        fanout fixed-rate phase: seconds (${DEFAULTS.rateSeconds}; its p99 rests on the slowest 1 % of messages)
  --messages N            cap on messages per phase (fanout, dm round trips) (${DEFAULTS.messages})
  --window N              fanout max-rate phase: messages in flight (${DEFAULTS.window})
  --size N                payload bytes per message (${DEFAULTS.size})
  --connects N            connect scenario registrations (${DEFAULTS.connects})
  --concurrency N         registrations in flight (${DEFAULTS.concurrency})
  --idle N                idle connections (${DEFAULTS.idle})
  --pings N               PING round trips while idle (${DEFAULTS.pings})
  --pairs N               dm pairs (${DEFAULTS.pairs})
  --history-size N        stored messages for history and search (${DEFAULTS.historySize})
  --seed-seconds S        time limit for seeding history (${DEFAULTS.seedSeconds})
  --pages N               CHATHISTORY / SEARCH requests per phase (${DEFAULTS.pages})
  --timeout-ms N          per-step timeout (${DEFAULTS.timeoutMs})
  --bigroom-clients N     bigroom: members of the one room (${DEFAULTS.bigroomClients})
  --bigroom-seconds S     bigroom: seconds of one message per second (${DEFAULTS.bigroomSeconds})
  --ours-nodurable-args "ARGS"  our server's flags that bypass the SQLite commit path (durability)
  --ours-node-args "ARGS" Node/V8 flags for our server (default: none; it adds its runtime flags itself)
  --ours-baseline FILE    also run another build of our server (its dist/server.mjs) as "ours (baseline)"
  --memory-sizes N,N,…   memory: idle connections held, one measurement each (${MEMORY_SIZES.join(',')}; --quick ${QUICK_MEMORY_SIZES.join(',')})
  --memory-per-generator N  memory: connections per generator process (default: what its open files allow)
  --memory-settle S       memory: seconds the connections sit idle before the server's RSS is read (10; --quick 0)
  --ours-launches L,…     memory: how our server is started, a column each: ${OURS_LAUNCHES.join(',')} (all)
  --repeat N              rounds per scenario, servers taking turns first; tables show medians (1)
  --profile               CPU-profile our server (node --cpu-prof) and print its hottest functions
  --no-pin                do not pin server and generator to separate cores
  --no-build              do not run the build before starting our server
  --no-install            do not apt-get install missing peers
  --out DIR               results directory (bench/results)`;

export function parseArgs(argv: string[]): CliOptions {
  const quick = argv.includes('--quick');
  const opts: CliOptions = {
    ...(quick ? QUICK : DEFAULTS),
    only: [...SCENARIOS],
    servers: [...SERVERS],
    quick,
    pin: true,
    build: true,
    install: true,
    outDir: 'bench/results',
    repeat: 1,
    profile: false,
    oursNoDurableArgs: [],
    oursNodeArgs: null,
    oursBaseline: null,
    memorySizes: quick ? QUICK_MEMORY_SIZES : MEMORY_SIZES,
    oursLaunches: [...OURS_LAUNCHES],
    memoryPerGenerator: 0,
    memorySettle: quick ? 0 : 10,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const key = NUMERIC[flag];
    if (key !== undefined) {
      const n = Number(value());
      if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a non-negative number`);
      opts[key] = n;
    } else if (flag === '--only') opts.only = listOf(value(), SCENARIOS, flag);
    else if (flag === '--servers') opts.servers = listOf(value(), SERVERS, flag);
    else if (flag === '--quick') continue;
    else if (flag === '--no-pin') opts.pin = false;
    else if (flag === '--profile') opts.profile = true;
    else if (flag === '--no-build') opts.build = false;
    else if (flag === '--no-install') opts.install = false;
    else if (flag === '--out') opts.outDir = value();
    else if (flag === '--repeat') {
      opts.repeat = Number(value());
      if (!Number.isInteger(opts.repeat) || opts.repeat < 1) throw new Error('--repeat needs a whole number ≥ 1');
    }
    else if (flag === '--ours-nodurable-args') opts.oursNoDurableArgs = value().split(' ').filter(Boolean);
    else if (flag === '--ours-node-args') opts.oursNodeArgs = value().split(' ').filter(Boolean);
    else if (flag === '--ours-baseline') opts.oursBaseline = value();
    else if (flag === '--memory-settle') {
      opts.memorySettle = Number(value());
      if (!Number.isFinite(opts.memorySettle) || opts.memorySettle < 0) throw new Error('--memory-settle needs a non-negative number of seconds');
    } else if (flag === '--memory-per-generator') {
      opts.memoryPerGenerator = Number(value());
      if (!Number.isInteger(opts.memoryPerGenerator) || opts.memoryPerGenerator < 1) throw new Error('--memory-per-generator needs a whole number ≥ 1');
    } else if (flag === '--ours-launches') opts.oursLaunches = listOf(value(), OURS_LAUNCHES, flag);
    else if (flag === '--memory-sizes') {
      opts.memorySizes = value().split(',').map(Number);
      if (opts.memorySizes.some((n) => !Number.isInteger(n) || n < 2)) throw new Error('--memory-sizes needs whole numbers ≥ 2, comma-separated');
    }
    else if (flag === '--help' || flag === '-h') throw new HelpRequested();
    else throw new Error(`unknown option ${arg}`);
  }
  return opts;
}

export class HelpRequested extends Error {}

function listOf<T extends string>(raw: string, allowed: readonly T[], flag: string): T[] {
  const out: T[] = [];
  for (const item of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(allowed as readonly string[]).includes(item)) throw new Error(`${flag}: unknown "${item}" (one of ${allowed.join(', ')})`);
    out.push(item as T);
  }
  return out;
}
