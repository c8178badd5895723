// The memory scenario: which sizes it measures under an open-file ceiling, and a tiny real run that
// holds idle connections on our server started each way (no figure asserted, only that each way ran
// and held them: bench/README.md).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { plannedSizes, sizePhase } from '../../bench/memory.ts';

const outDir = mkdtempSync(join(os.tmpdir(), 'bench-memory-'));
after(() => rmSync(outDir, { recursive: true, force: true }));

test('sizes past the open-file ceiling are reported unreachable, and the most it allows is measured instead', () => {
  assert.deepEqual(plannedSizes([10_000, 50_000, 100_000], 1_048_576), { run: [10_000, 50_000, 100_000], unreachable: [], most: 1_048_000 });
  assert.deepEqual(plannedSizes([10_000, 50_000, 100_000], 20_000), { run: [10_000, 19_000], unreachable: [50_000, 100_000], most: 19_000 });
  assert.deepEqual(plannedSizes([100, 200], 20_000).unreachable, []);
  assert.equal(sizePhase(10_000), '10,000 connections');
});

test('npm run bench -- --only memory holds idle connections on our server started each way, from several generator processes', { timeout: 120_000 }, async () => {
  const args = ['bench/run.ts', '--quick', '--servers', 'ours', '--only', 'memory', '--memory-sizes', '10,20', '--memory-per-generator', '8', '--pings', '5', '--no-build', '--no-install', '--no-pin', '--out', outDir];
  const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /== memory/);
  const jsonl = readdirSync(outDir).find((f) => f.endsWith('.jsonl'))!;
  const rows = readFileSync(join(outDir, jsonl), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { server: string; phase: string; status: string; figures: Record<string, number>; notes: string[] });
  const labels = ['ours', 'ours (./dist/server.mjs)', 'ours (npm run server)', 'ours (Chat: Host)'];
  for (const phase of [sizePhase(10), sizePhase(20)]) {
    for (const label of labels) {
      const m = rows.find((x) => x.server === label && x.phase === phase);
      assert.ok(m, `no ${label} at ${phase}`);
      assert.equal(m.status, 'ok', `${label}: ${m.notes.join('; ')}`);
      assert.equal(m.figures.held, m.figures.connections, label);
      assert.ok(m.figures.rssBeforeKiB! > 0 && m.figures.rssAfterKiB! > 0, label);
      assert.equal(m.figures.generators, Math.ceil(m.figures.connections! / 8), `${label}: one generator per 8, each from its own address`);
    }
  }
});
