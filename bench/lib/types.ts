// Shapes shared by the bench's orchestrator (bench/run.ts) and its load generator process.

import type { Percentiles } from './histogram.ts';

export const SCENARIOS = ['fanout', 'bigroom', 'connect', 'idle', 'dm', 'history', 'search', 'durability'] as const;
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
  scenario: Exclude<ScenarioName, 'durability'>;
  server: string;
  host: string;
  port: number;
  serverPid: number;
  opts: BenchOptions;
  /** history, search: messages already stored before the server started (history with 0: the generator seeds over IRC). */
  seeded: number;
};

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
