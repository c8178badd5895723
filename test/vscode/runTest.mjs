// `npm run test:vscode`: the extension-host suite in a downloaded VS Code, the way
// @vscode/test-electron runs it (https://code.visualstudio.com/api/working-with-extensions/testing-extension).
// For machines that can download VS Code; @vscode/test-electron is not a dependency of the project
// (it only downloads), so install it first: npm i --no-save @vscode/test-electron
// The same suite runs in code-server in `npm test` (test/e2e/vscodeSuite.test.ts), no download needed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

let testElectron;
try {
  testElectron = await import('@vscode/test-electron');
} catch {
  console.error(
    'test:vscode needs @vscode/test-electron, which downloads VS Code and is not installed by default.\n' +
      'Install it for this checkout with:  npm i --no-save @vscode/test-electron\n' +
      'On machines without downloads, `npm test` runs the same suite in code-server instead.',
  );
  process.exit(1);
}

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const workspace = mkdtempSync(join(tmpdir(), 'chatroom-vscode-'));
try {
  await testElectron.runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'test/vscode/suite/index.cjs'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (e) {
  console.error(`test:vscode failed: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
