// Shared code snippets on the wire: one chat message holding a Markdown fenced block whose opening
// line names the language, the workspace-relative path and the lines:
//
//   ```ts src/app/main.ts:12-20
//   <code lines>
//   ```
//
// Stock IRC clients show it as readable text; we show a code block that opens file:line on click.
// Pure (no vscode): formatting, parsing and the size cap are unit-tested.
import type { SnippetView } from '../../webview/messages.ts';

/**
 * Cap on what one snippet may carry. Our server's draft/multiline limit is max-lines=100 and
 * max-bytes=8192 (src/server/features/multiline.ts); long lines are split into `concat` parts that
 * count as lines too, so stay well below both. Past the cap a server without multiline would get
 * one PRIVMSG per line and flood control would hold them back.
 */
export const MAX_SNIPPET_LINES = 80;
export const MAX_SNIPPET_BYTES = 6000;
/** Longest path we put on (or accept from) the wire; the webview contract allows 512. */
export const MAX_SNIPPET_PATH = 400;

// The opening line may end with ` @<commit>` (`+dirty` when the file differed from it): where the
// code was when shared, so a click finds it later (issue 13). Older messages simply lack it.
const FENCE_OPEN = /^(`{3,})([A-Za-z0-9_+#.-]+) (.+?):(\d{1,7})(?:-(\d{1,7}))?(?: @([0-9a-f]{7,40})(\+dirty)?)?$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

/**
 * A workspace-relative path safe to name: '/' separators, no empty, '.' or '..' segment, not
 * absolute, no drive letter, no backslash, no control characters. Returns undefined otherwise.
 */
export function cleanRelativePath(path: string): string | undefined {
  if (path.length === 0 || path.length > MAX_SNIPPET_PATH || CONTROL.test(path) || path.includes('\\')) return undefined;
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes(':')) return undefined;
  const segments = path.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.trim() !== s)) return undefined;
  return path;
}

/** A language label the opening line can carry (a VS Code language id or the file extension). */
export function snippetLanguage(languageId: string | undefined, path: string): string {
  const clean = (s: string | undefined) => (s ?? '').replace(/[^A-Za-z0-9_+#.-]/g, '');
  const fromId = clean(languageId);
  if (fromId && fromId !== 'plaintext') return fromId;
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1];
  return clean(ext) || 'text';
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return longest;
}

/** The message text for a snippet. The fence grows past any backtick run inside the code. */
export function formatSnippet(s: SnippetView): string {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(s.code) + 1));
  const range = s.endLine > s.startLine ? `${s.startLine}-${s.endLine}` : String(s.startLine);
  const at = s.commit !== undefined && /^[0-9a-f]{7,40}$/.test(s.commit) ? ` @${s.commit}${s.dirty ? '+dirty' : ''}` : '';
  return `${fence}${s.language} ${s.path}:${range}${at}\n${s.code}\n${fence}`;
}

/** Reads a message as a snippet; undefined for anything that is not exactly one well-formed block. */
export function parseSnippet(text: string): SnippetView | undefined {
  if (text.length > MAX_SNIPPET_BYTES * 2) return undefined;
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.length < 3) return undefined;
  const open = FENCE_OPEN.exec(lines[0]!);
  if (!open) return undefined;
  const [, fence = '', language = '', rawPath = '', start = '', end, commit, dirty] = open;
  if (lines[lines.length - 1] !== fence) return undefined;
  const code = lines.slice(1, -1);
  // A shorter or equal fence inside would have closed the block in Markdown: not one block.
  if (code.some((l) => new RegExp(`^\\s{0,3}${fence}\`*\\s*$`).test(l))) return undefined;
  const path = cleanRelativePath(rawPath);
  if (!path) return undefined;
  const startLine = Number(start);
  const endLine = end === undefined ? startLine : Number(end);
  if (startLine < 1 || endLine < startLine) return undefined;
  return { path, startLine, endLine, language, code: code.join('\n'), ...(commit !== undefined ? { commit, ...(dirty ? { dirty: true } : {}) } : {}) };
}

/** How far from its old place a moved snippet is looked for (lines each way). */
export const SNIPPET_SEARCH_LINES = 2000;

/**
 * Where a shared snippet's code is in the file now (1-based first line), or undefined: the exact
 * lines (trailing spaces ignored) nearest its old place; else the window of the snippet's size
 * where most non-blank lines match (at least 60 %), nearest first. Edits above it move it; edits
 * inside it are tolerated; code that is gone is not found.
 */
export function locateSnippet(fileText: string, code: string, oldStart: number): number | undefined {
  const norm = (l: string) => l.replace(/\s+$/, '');
  const file = fileText.replace(/\r\n/g, '\n').split('\n').map(norm);
  const want = code.replace(/\r\n/g, '\n').split('\n').map(norm);
  if (want.every((l) => l.trim() === '')) return undefined;
  const n = want.length;
  const from = Math.max(0, oldStart - 1 - SNIPPET_SEARCH_LINES);
  const to = Math.min(file.length - n, oldStart - 1 + SNIPPET_SEARCH_LINES);
  const byDistance = (a: number, b: number) => Math.abs(a - (oldStart - 1)) - Math.abs(b - (oldStart - 1));
  const starts: number[] = [];
  for (let i = from; i <= to; i++) starts.push(i);
  starts.sort(byDistance);
  // Exact: the first line matches, then all of them.
  for (const i of starts) {
    if (file[i] !== want[0]) continue;
    let ok = true;
    for (let k = 1; k < n && ok; k++) ok = file[i + k] === want[k];
    if (ok) return i + 1;
  }
  // Edited inside: most of its non-blank lines (trimmed) still there, in order, at their offsets.
  const meaningful = want.map((l, k) => [l.trim(), k] as const).filter(([l]) => l !== '');
  let best: { at: number; score: number } | undefined;
  for (const i of starts) {
    let hits = 0;
    for (const [l, k] of meaningful) if (file[i + k]?.trim() === l) hits++;
    const score = hits / meaningful.length;
    if (score >= 0.6 && (!best || score > best.score)) best = { at: i, score };
  }
  return best ? best.at + 1 : undefined;
}

export interface SnippetSelection {
  readonly path: string;
  readonly languageId?: string;
  /** 1-based first line of `text`. */
  readonly startLine: number;
  /** The selected text, whole lines. */
  readonly text: string;
}

export type SnippetResult =
  | { readonly ok: true; readonly snippet: SnippetView; readonly cut: boolean; readonly sharedLines: number; readonly selectedLines: number }
  | { readonly ok: false; readonly reason: string };

/**
 * The snippet for an editor selection, cut to MAX_SNIPPET_LINES / MAX_SNIPPET_BYTES (whole lines).
 * `cut` says the user should be told that only the first lines went out.
 */
export function snippetFromSelection(sel: SnippetSelection): SnippetResult {
  const path = cleanRelativePath(sel.path);
  if (!path) return { ok: false, reason: 'Only files inside your workspace folder can be shared.' };
  let lines = sel.text.replace(/\r\n/g, '\n').split('\n');
  // A selection ending at the start of the next line does not include that line.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines = lines.slice(0, -1);
  if (lines.every((l) => l.trim() === '')) return { ok: false, reason: 'The selection is empty: select the lines to share.' };
  const selectedLines = lines.length;
  const kept: string[] = [];
  let bytes = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line, 'utf8') + 1;
    if (kept.length >= MAX_SNIPPET_LINES || bytes + size > MAX_SNIPPET_BYTES) break;
    kept.push(line);
    bytes += size;
  }
  if (kept.length === 0) return { ok: false, reason: `The first selected line is longer than ${MAX_SNIPPET_BYTES} bytes: too large to share.` };
  const snippet: SnippetView = {
    path,
    startLine: sel.startLine,
    endLine: sel.startLine + kept.length - 1,
    language: snippetLanguage(sel.languageId, path),
    code: kept.join('\n'),
  };
  return { ok: true, snippet, cut: kept.length < selectedLines, sharedLines: kept.length, selectedLines };
}
