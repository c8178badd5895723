// The load generator: a separate process (pinned to its own core by bench/run.ts) that runs one
// scenario against one server and sends the figures back over IPC, with its own CPU time.

import { statusKiB } from './lib/proc.ts';
import type { Job, ScenarioResult } from './lib/types.ts';
import { runBigroom } from './scenarios/bigroom.ts';
import { runConnect } from './scenarios/connect.ts';
import { runDm } from './scenarios/dm.ts';
import { runFanout } from './scenarios/fanout.ts';
import { runHistory } from './scenarios/history.ts';
import { runHold } from './scenarios/hold.ts';
import { runIdle } from './scenarios/idle.ts';
import { runSearch } from './scenarios/search.ts';

const RUNNERS: Record<Job['scenario'], (job: Job) => Promise<ScenarioResult>> = {
  fanout: runFanout,
  bigroom: runBigroom,
  connect: runConnect,
  idle: runIdle,
  dm: runDm,
  history: runHistory,
  search: runSearch,
  hold: runHold,
};

process.once('message', (job: Job) => {
  void run(job);
});
// The orchestrator going away ends the generator too.
process.on('disconnect', () => process.exit(0));

async function run(job: Job): Promise<void> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let result: ScenarioResult;
  try {
    result = await RUNNERS[job.scenario](job);
  } catch (err) {
    result = { status: 'failed', phases: [], notes: [(err as Error).message] };
  }
  // The server's peak resident memory (VmHWM) beside its other figures: phases that measure
  // their own window (fanout) set it; the others get the peak since the server started (a fresh
  // server per scenario).
  const peak = statusKiB(job.serverPid, 'VmHWM');
  if (Number.isFinite(peak)) for (const p of result.phases) p.figures.peakRssKiB ??= peak;
  const cpu = process.cpuUsage(cpu0);
  result.genCpuMs = Math.round((cpu.user + cpu.system) / 1000);
  result.wallMs = Math.round(performance.now() - t0);
  process.send!(result, () => process.exit(0));
}
