// Shapes shared by the bench's orchestrator (bench/run.ts) and its load generator process.

import type { Percentiles } from './histogram.ts';

export const SCENARIOS = ['fanout', 'bigroom', 'connect', 'idle', 'dm', 'history', 'search', 'durability', 'memory'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export const SERVERS = ['ours', 'ngircd', 'inspircd'] as const;
export type ServerName = (typeof SERVERS)[number];

/** Sizes and knobs, all settable from the command line (see bench/lib/options.ts). */
export type BenchOptions = {
  clients: number;
  senders: number;
  rate: number;
  duration: number;
  /** Seconds of fanout's fixed-rate phase: its p99 rests on the slowest 1 % of the messages sent. */
  rateSeconds: number;
  messages: number;
  window: number;
  size: number;
  connects: number;
  concurrency: number;
  idle: number;
  pings: number;
  pairs: number;
  historySize: number;
  seedSeconds: number;
  pages: number;
  timeoutMs: number;
  /** bigroom: members of the one room, and seconds of one message per second. */
  bigroomClients: number;
  bigroomSeconds: number;
};

/** What the orchestrator hands the generator process for one scenario on one server. */
export type Job = {
  scenario: Exclude<ScenarioName, 'durability' | 'memory'> | 'hold';
  server: string;
  host: string;
  port: number;
  serverPid: number;
  opts: BenchOptions;
  /** history, search: messages already stored before the server started (history with 0: the generator seeds over IRC). */
  seeded: number;
  /** hold (the memory scenario's generator processes): this process's share of the connections. */
  hold?: HoldShare;
};

/** One generator process's part of the memory scenario. */
export type HoldShare = {
  count: number;
  /** Source addresses (127.0.1.0, 127.0.1.1, …: fresh ones per run), taken in turn by the connections. */
  localAddresses: string[];
  nickPrefix: string;
  /** PING round trips to time once every process holds its share (0 for all but one process). */
  pings: number;
};

/** What a hold process reports between its steps; the orchestrator answers each with 'go'. */
export type HoldProgress = { stage: 'half' | 'held' | 'pinged'; registered: number; failures: number; retries: number; firstFailure?: string };

export type PhaseResult = {
  phase: string;
  /** Named figures; the unit is in the name (…PerSec, …Ms, …KiB, …Pct) or it is a count. */
  figures: Record<string, number>;
  /** Latency percentiles in ms, and what was timed. */
  latency?: Percentiles;
  latencyOf?: string;
};

export type ScenarioStatus = 'ok' | 'pending' | 'failed' | 'skipped';

export type ScenarioResult = {
  status: ScenarioStatus;
  phases: PhaseResult[];
  notes: string[];
  genCpuMs?: number;
  wallMs?: number;
};
