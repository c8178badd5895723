// The bench itself works: a tiny `npm run bench -- --quick` against our server only completes,
// prints a table per scenario and writes one JSON line per measurement with no message lost.
// No timing is asserted (figures are for people to read; see bench/README.md).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const outDir = mkdtempSync(join(os.tmpdir(), 'bench-smoke-'));
after(() => rmSync(outDir, { recursive: true, force: true }));

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bench/run.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('npm run bench -- --quick runs against our server and records its figures', { timeout: 60_000 }, async () => {
  const r = await runBench([
    '--quick', '--servers', 'ours', '--only', 'fanout,bigroom,connect,dm',
    '--clients', '6', '--senders', '2', '--duration', '0.3', '--rate-seconds', '0.3', '--messages', '100', '--connects', '10', '--pairs', '2', '--bigroom-clients', '8', '--bigroom-seconds', '1',
    '--no-build', '--no-install', '--no-pin', '--out', outDir,
  ]);
  assert.equal(r.code, 0, `bench exited with ${r.code}\n${r.stdout}\n${r.stderr}`);
  for (const title of ['== fanout', '== bigroom', '== connect', '== dm']) assert.ok(r.stdout.includes(title), `no ${title} table in:\n${r.stdout}`);
  assert.match(r.stdout, /^deliveriesPerSec\s+\S+/m);
  assert.match(r.stdout, /^latency p99 ms\s+\S+/m);

  const jsonl = readdirSync(outDir).filter((f) => f.endsWith('.jsonl'));
  assert.equal(jsonl.length, 1);
  const rows = readFileSync(join(outDir, jsonl[0]!), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const fanout = rows.filter((m) => m.scenario === 'fanout');
  assert.deepEqual(fanout.map((m) => m.phase), ['fixed-rate', 'max-rate', 'flat-out']);
  for (const m of rows) {
    assert.equal(m.server, 'ours');
    assert.equal(m.status, 'ok', `${String(m.scenario)}: ${JSON.stringify(m.notes)}`);
    for (const field of ['run', 'time', 'version', 'figures', 'latency', 'params', 'pinned']) assert.ok(field in m, `no ${field} in ${JSON.stringify(m)}`);
  }
  for (const m of [...fanout, ...rows.filter((x) => x.scenario === 'bigroom' || x.scenario === 'dm')]) {
    const figures = m.figures as Record<string, number>;
    assert.ok((figures.peakRssKiB ?? 0) > 0, `${String(m.scenario)} ${String(m.phase)}: no peak RSS`);
    assert.equal(m.lost, 0);
    assert.equal(figures.lost, 0);
    assert.ok(figures.messages ?? figures.roundTrips, 'messages were sent');
    assert.equal(typeof (m.latency as { p99: number }).p99, 'number');
  }
  for (const m of fanout) {
    const { serverCpuUsPerDelivery: cpu = NaN, serverSysUsPerDelivery: sys = NaN } = m.figures as Record<string, number>;
    assert.ok(Number.isFinite(cpu) && Number.isFinite(sys) && sys >= 0 && sys <= cpu, `kernel share ${sys} of ${cpu} µs`);
  }
  assert.ok(readdirSync(outDir).some((f) => f.endsWith('-latency.svg')), 'no SVG chart written');
});
