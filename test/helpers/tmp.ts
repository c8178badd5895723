// Temporary folders for tests, removed by the caller (or at process exit as a safety net).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const leftovers = new Set<string>();
process.on('exit', () => {
  for (const d of leftovers) rmSync(d, { recursive: true, force: true });
});

/** Creates a fresh temp folder; call `remove()` when done. */
export function tempDir(prefix = 'chatroom-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  leftovers.add(path);
  return {
    path,
    remove() {
      leftovers.delete(path);
      rmSync(path, { recursive: true, force: true });
    },
  };
}
