// Writes a transcript file inside a workspace folder and nowhere else. A cloned repository may
// hold `.chat` as a symbolic link to somewhere else, or a dangling link named like the next
// transcript: each folder is checked after its links are resolved, and the file is created with
// O_EXCL ('wx'), which never follows a link nor overwrites a file (a taken name moves on to -2, -3…).
import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isInsideFolder } from './paths.ts';

/** The folder (or a link in it) leads outside the workspace folder. */
export class OutsideWorkspaceError extends Error {}

/** Names tried before giving up (a folder full of -2…-N would be odd, not a reason to loop). */
const MAX_NAMES = 1000;

/**
 * Creates `root/segments…/name` (or the first free `numbered(n)`) with `data`; returns its path.
 * Folders are created one by one, each checked to stay inside `root` once resolved.
 */
export async function writeNewFileInside(
  root: string,
  segments: readonly string[],
  name: string,
  numbered: (n: number) => string,
  data: Uint8Array,
): Promise<string> {
  const realRoot = await realpath(root);
  let dir = realRoot;
  for (const segment of segments) {
    const next = join(dir, segment);
    await mkdir(next).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    const real = await realpath(next).catch(() => undefined);
    if (real === undefined || !isInsideFolder(realRoot, real)) {
      throw new OutsideWorkspaceError(`${segments.join('/')} leads outside the workspace folder (a symbolic link?)`);
    }
    dir = real;
  }
  for (let n = 1; n <= MAX_NAMES; n++) {
    const path = join(dir, n === 1 ? name : numbered(n));
    try {
      await writeFile(path, data, { flag: 'wx' });
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new Error(`${MAX_NAMES} transcripts named ${name} already exist`);
}
