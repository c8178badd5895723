// The bench's summary (bench/lib/report.ts): with --repeat, a peer's ratio to ours is the median of
// the per-round ratios, so load that drifts between rounds on a shared machine cancels out of it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSummary, medianOfRounds, type Measurement } from '../../bench/lib/report.ts';

function fanout(server: string, round: number, deliveriesPerSec: number): Measurement {
  return {
    run: 'r', time: '', scenario: 'fanout', server, version: '', phase: 'max-rate', round, status: 'ok',
    figures: { deliveriesPerSec }, latency: null, latencyOf: null, lost: 0, notes: [], genCpuMs: null, wallMs: null,
    pinned: '', load: null, params: {},
  };
}

const row = (summary: string) => summary.split('\n').find((l) => l.startsWith('fanout max deliveries/s')) ?? '';

test('with rounds, the ratio is the median of each round\'s ratio, not the ratio of the medians', () => {
  // Round by round the peer does ×2.0, ×0.5, ×1.5 of ours: the medians alone (20 vs 20) say ×1.
  const rounds = [fanout('ours', 0, 10), fanout('inspircd', 0, 20), fanout('ours', 1, 30), fanout('inspircd', 1, 15), fanout('ours', 2, 20), fanout('inspircd', 2, 30)];
  const medians = medianOfRounds(rounds);
  assert.match(row(formatSummary(medians, rounds)), /^fanout max deliveries\/s\s+20\s+20 \(×1\.50\)$/);
  assert.match(formatSummary(medians, rounds), /median of each round's ratio to ours/);
  assert.match(row(formatSummary(medians)), /20 \(×1\.00\)$/, 'without the rounds: the ratio of the medians');
});

test('a single round: the plain ratio, and no legend about rounds', () => {
  const one = [fanout('ours', 0, 10), fanout('inspircd', 0, 25)];
  const summary = formatSummary(one, one);
  assert.match(row(summary), /25 \(×2\.50\)$/);
  assert.doesNotMatch(summary, /each round's ratio/);
});
