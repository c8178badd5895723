// The one test command (`npm test`): type-check, build, then every test file under test/ in one
// node:test run, so CI reads a single summary. `--unit` skips the slow end-to-end suites
// (real VS Code, stock IRC clients and servers); `--e2e` runs only those.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const onlyUnit = args.has('--unit');
const onlyE2e = args.has('--e2e');

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', ...opts });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

console.log(`test runner on node ${process.version}`);
run('npm', ['run', '-s', 'typecheck']);
run('npm', ['run', '-s', 'build']);

// Slow suites live under test/e2e (VS Code) and test/interop (stock IRC software).
const isSlow = (f) => f.startsWith(join('test', 'e2e')) || f.startsWith(join('test', 'interop'));
let files = findTests('test');
if (onlyUnit) files = files.filter((f) => !isSlow(f));
if (onlyE2e) files = files.filter(isSlow);
if (!onlyUnit) {
  // Installs (once, cached) what the slow suites need: code-server, a browser, ngircd, irssi.
  run(process.execPath, ['test/setup/prepare.mjs']);
}
run(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=600000', ...files]);
