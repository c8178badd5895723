// A transcript is written inside the workspace folder only (src/extension/chat/transcriptFile.ts),
// on a real file system: links planted by a cloned repository lead nowhere else.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { OutsideWorkspaceError, writeNewFileInside } from '../../../src/extension/chat/transcriptFile.ts';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'chatroom-transcript-')));
after(() => rmSync(base, { recursive: true, force: true }));
let count = 0;
function fresh(): { ws: string; outside: string } {
  const dir = join(base, String(++count));
  const ws = join(dir, 'ws');
  const outside = join(dir, 'outside');
  mkdirSync(ws, { recursive: true });
  mkdirSync(outside);
  return { ws, outside };
}
const numbered = (n: number) => `t-${n}.md`;
const data = new TextEncoder().encode('# transcript\n');

test('creates the folders and the file; a taken name moves on to -2, never overwriting', async () => {
  const { ws } = fresh();
  const first = await writeNewFileInside(ws, ['.chat', 'dm'], 't.md', numbered, data);
  assert.equal(first, join(ws, '.chat', 'dm', 't.md'));
  writeFileSync(join(ws, '.chat', 'dm', 't-2.md'), 'mine');
  const third = await writeNewFileInside(ws, ['.chat', 'dm'], 't.md', numbered, data);
  assert.equal(third, join(ws, '.chat', 'dm', 't-3.md'));
  assert.equal(readFileSync(join(ws, '.chat', 'dm', 't-2.md'), 'utf8'), 'mine');
});

test('a folder that is a link to outside the workspace is refused, and nothing is written there', async () => {
  const { ws, outside } = fresh();
  symlinkSync(outside, join(ws, '.chat'));
  await assert.rejects(writeNewFileInside(ws, ['.chat'], 't.md', numbered, data), OutsideWorkspaceError);
  await assert.rejects(writeNewFileInside(ws, ['.chat', 'deeper'], 't.md', numbered, data), OutsideWorkspaceError);
  assert.deepEqual(readdirSync(outside), [], 'no file or folder created outside');
});

test('a link inside the workspace that stays inside is fine', async () => {
  const { ws } = fresh();
  mkdirSync(join(ws, 'notes'));
  symlinkSync(join(ws, 'notes'), join(ws, '.chat'));
  assert.equal(await writeNewFileInside(ws, ['.chat'], 't.md', numbered, data), join(ws, 'notes', 't.md'));
});

test('a dangling link named like the transcript is not followed: the next name is used', async () => {
  const { ws, outside } = fresh();
  mkdirSync(join(ws, '.chat'));
  symlinkSync(join(outside, 'planted.sh'), join(ws, '.chat', 't.md'));
  const written = await writeNewFileInside(ws, ['.chat'], 't.md', numbered, data);
  assert.equal(written, join(ws, '.chat', 't-2.md'));
  assert.equal(existsSync(join(outside, 'planted.sh')), false, 'the link target was not created');
});

test('a dangling folder link is refused', async () => {
  const { ws, outside } = fresh();
  symlinkSync(join(outside, 'missing'), join(ws, '.chat'));
  await assert.rejects(writeNewFileInside(ws, ['.chat'], 't.md', numbered, data), OutsideWorkspaceError);
  assert.deepEqual(readdirSync(outside), []);
});
