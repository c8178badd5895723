// Tests mirror src/, so the tests of a module are found next to its path. The rule, checked here:
//
// - A test file (`*.test.ts`) under test/server, test/extension, test/protocol or test/webview sits
//   in a folder that exists under src/ with the same path: test/server/storage/history.test.ts is
//   fine because src/server/storage/ exists; test/server/misc/x.test.ts is not. The file's own name
//   is free (usually the module it tests; tests of the whole server over sockets, such as restart
//   or shutdown, sit at the top of test/server).
// - Helpers (files not ending in .test.ts, e.g. test/extension/client/support/) may sit anywhere.
// - Every other folder directly under test/ is one of OTHER_FOLDERS: suites that test no single
//   part of src/ (end to end, interop, benchmarks) or the tools the tests share.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';

const ROOT = join(import.meta.dirname, '..');
const MIRRORED = ['server', 'extension', 'protocol', 'webview'];
const OTHER_FOLDERS = ['bench', 'e2e', 'helpers', 'interop', 'setup', 'vscode'];

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

test('every test file under a mirrored folder sits in a folder that exists under src/', () => {
  const misplaced: string[] = [];
  for (const top of MIRRORED) {
    const dir = join(ROOT, 'test', top);
    if (!existsSync(dir)) continue;
    for (const file of testFiles(dir)) {
      const folder = relative(join(ROOT, 'test'), join(file, '..'));
      const src = join(ROOT, 'src', folder);
      if (!existsSync(src) || !statSync(src).isDirectory()) misplaced.push(`${relative(ROOT, file).split(sep).join('/')} (no src/${folder.split(sep).join('/')}/)`);
    }
  }
  assert.deepEqual(misplaced, [], 'move these tests into the test/ folder that mirrors the src/ folder of what they test');
});

test('every folder directly under test/ mirrors src/ or is a known non-mirrored one', () => {
  const unknown = readdirSync(join(ROOT, 'test'))
    .filter((name) => statSync(join(ROOT, 'test', name)).isDirectory())
    .filter((name) => !MIRRORED.includes(name) && !OTHER_FOLDERS.includes(name));
  assert.deepEqual(unknown, [], 'put these tests under the folder mirroring src/ (or add the folder to OTHER_FOLDERS with a reason)');
});
