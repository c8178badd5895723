// Containment checks for paths that come from the network (snippet clicks) or from settings
// (the transcripts folder). Pure: the realpath lookups live in the caller (commands/openSnippet.ts).
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { cleanRelativePath } from './snippets.ts';

/** True when `candidate` is `folder` itself or lies below it (both absolute, already resolved). */
export function isInsideFolder(folder: string, candidate: string): boolean {
  const rel = relative(folder, candidate);
  if (rel === '') return true;
  return !isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`);
}

/**
 * A workspace-relative folder from a setting (chatroom.transcripts.folder): '/' or '\' separators,
 * no '..', not absolute. Returns its segments, or a sentence saying what is wrong.
 */
export function folderSetting(value: string): { ok: true; segments: string[] } | { ok: false; reason: string } {
  const trimmed = value.trim().replace(/\\/g, '/').replace(/\/+$/, '');
  if (trimmed === '' || trimmed === '.') return { ok: true, segments: [] };
  if (trimmed.startsWith('/') || /^[A-Za-z]:/.test(trimmed) || trimmed.startsWith('~')) {
    return { ok: false, reason: `"${value}" is an absolute path; use a folder inside the workspace, such as ".chat".` };
  }
  const normalized = trimmed.split('/').filter((s) => s !== '' && s !== '.').join('/');
  if (normalized.split('/').includes('..') || !cleanRelativePath(normalized)) {
    return { ok: false, reason: `"${value}" leaves the workspace (or is not a plain folder path); use a folder inside it, such as ".chat".` };
  }
  return { ok: true, segments: normalized.split('/') };
}

/**
 * A file named in a user setting (chatroom.tlsCertificate): absolute, or `~/…` (the home folder).
 * undefined for a relative path: resolved against the open workspace, it would let whatever
 * repository is open choose the certificate the chat trusts.
 */
export function userFilePath(value: string, home: string): string | undefined {
  const v = value.trim();
  if (v === '~' || v.startsWith('~/') || v.startsWith('~\\')) return join(home, v.slice(1));
  if (isAbsolute(v)) return resolve(v);
  return undefined;
}
