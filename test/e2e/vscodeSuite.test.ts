// Runs the extension-host suite (test/vscode/suite/index.cjs, the one `npm run test:vscode` runs in a
// downloaded VS Code) inside code-server's extension host, against the installed .vsix.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, VsCode } from './harness.ts';

test('the extension-host suite passes in code-server', { timeout: 300_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'chatroom-suite-'));
  const resultFile = join(out, 'result.json');
  const vsc = await VsCode.start({
    env: { CHATROOM_SUITE_RESULT: resultFile },
    extensionTestsPath: join(repoRoot, 'test/vscode/suite/index.cjs'),
  });
  try {
    // The suite writes its result file when done; wait for it (the timeout is only a safety net).
    const deadline = Date.now() + 180_000;
    while (!existsSync(resultFile)) {
      if (Date.now() > deadline) {
        await vsc.screenshot('e2e-failure-vscode-suite');
        assert.fail(`the suite never finished; code-server output:\n${vsc.serverOutput().slice(-3000)}`);
      }
      await vsc.page.waitForTimeout(250); // polling interval
    }
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as { passed: number; failures: string[]; log: string[] };
    assert.deepEqual(result.failures, [], result.log.join('\n'));
    assert.ok(result.passed >= 5, result.log.join('\n'));
  } finally {
    await vsc.close();
    rmSync(out, { recursive: true, force: true });
  }
});
