// A conversation as Markdown (Chat: Save Transcript). Chat text comes from the network: it is
// escaped so it reads as the words that were typed, never as links, images, HTML or headings.
//
//   # #general — 2026-11-30
//
//   - **17:05** `bob`: hi \*all\*
//   - **17:06** _alice joined_
//   - **17:07** `alice`: `src/app/main.ts:12-14`
//     ```ts
//     code
//     ```
import type { ChatMessage } from '../client/types.ts';
import type { ChatLine } from '../../webview/messages.ts';
import { toChatLine } from './viewModel.ts';

// CommonMark backslash-escapes any ASCII punctuation (spec 2.4), and an escaped character is plain
// text: `\<` starts no HTML tag or autolink, `\&` no entity. Inline, these can start markup:
// emphasis, code, links and images ([ ]), strikethrough, tables, HTML, entities. Backslashes rather
// than `&lt;` keep the file readable as it is (in a diff, a pull request), not only when rendered.
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]~|<&])/g, '\\$1');
}

/** Like escapeMarkdown, for text that starts a line: also no heading, list, quote or fence markers. */
function escapeLineStart(text: string): string {
  return escapeMarkdown(text).replace(/^(\s*)([#+>=-]|\d+(?=[.)]))/, (_m, space: string, marker: string) =>
    /^\d/.test(marker) ? `${space}${marker}\\` : `${space}\\${marker}`,
  );
}

/** An inline code span holding `text` literally, whatever backticks it contains (CommonMark 6.1). */
export function codeSpan(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ');
  let longest = 0;
  for (const m of clean.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') || longest > 0 ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Local date as YYYY-MM-DD. */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Local time as HH:MM. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A file name for the conversation's transcript on a given day: "general-2026-11-30.md". */
export function transcriptFileName(conversation: string, now: Date): string {
  const base = conversation.replace(/^[#&!+]+/, '').replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[-.]+|-+$/g, '') || 'room';
  return `${base}-${formatDate(now.getTime())}.md`;
}

/** The n-th file name to try when earlier ones exist: general-2026-11-30.md, general-2026-11-30-2.md... */
export function numberedFileName(name: string, n: number): string {
  return n <= 1 ? name : name.replace(/\.md$/, `-${n}.md`);
}

function fencedCode(code: string, language: string, indent: string): string[] {
  let longest = 0;
  for (const m of code.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const lang = language.replace(/[^A-Za-z0-9_+#.-]/g, '');
  return [`${indent}${fence}${lang}`, ...code.split('\n').map((l) => `${indent}${l}`), `${indent}${fence}`];
}

function renderLine(line: ChatLine): string[] {
  const at = `**${formatClock(line.time)}**`;
  if (line.kind === 'event') return [`- ${at} _${escapeMarkdown(line.text)}_`];
  const who = line.kind === 'action' ? `\\* ${codeSpan(line.from)}` : `${codeSpan(line.from)}:`;
  if (line.snippet) {
    const s = line.snippet;
    const range = s.endLine > s.startLine ? `${s.startLine}-${s.endLine}` : String(s.startLine);
    return [`- ${at} ${who} ${codeSpan(`${s.path}:${range}`)}`, ...fencedCode(s.code, s.language, '  ')];
  }
  // Continuation lines are indented so a multi-line message stays one list item.
  const [first = '', ...rest] = line.text.split(/\r?\n/);
  const failed = line.state === 'failed' ? ' _(not delivered)_' : '';
  const text = [escapeMarkdown(first), ...rest.map(escapeLineStart)].join('  \n  ');
  return [`- ${at} ${who} ${text}${failed}`];
}

/**
 * The transcript: a heading with the conversation and the date, then one list item per line. A
 * conversation spanning several days gets a sub-heading at each new day.
 */
export function renderTranscript(conversation: string, lines: readonly ChatLine[], now: Date, server?: string): string {
  const out = [`# ${escapeMarkdown(conversation)} — ${formatDate(now.getTime())}`, ''];
  if (server) out.push(`Saved from ${escapeMarkdown(server)} at ${formatClock(now.getTime())}.`, '');
  const days = new Set(lines.map((l) => formatDate(l.time)));
  const multiDay = days.size > 1 || (days.size === 1 && !days.has(formatDate(now.getTime())));
  let day = '';
  for (const line of lines) {
    const d = formatDate(line.time);
    if (multiDay && d !== day) {
      if (day !== '') out.push('');
      out.push(`## ${d}`, '');
      day = d;
    }
    out.push(...renderLine(line));
  }
  return `${out.join('\n')}\n`;
}

/** Merges two line lists by id, in time order (the view's window plus older history). */
export function mergeLines(a: readonly ChatLine[], b: readonly ChatLine[]): ChatLine[] {
  const seen = new Set<string>();
  const all: ChatLine[] = [];
  for (const l of [...a, ...b]) {
    if (seen.has(l.id)) continue;
    seen.add(l.id);
    all.push(l);
  }
  return all.sort((x, y) => x.time - y.time);
}

/**
 * The view's lines completed with messages the client holds (or fetched) from `from` on (start of
 * the day, or the last Clear Transcript) up to the view's oldest message.
 */
export function withEarlierMessages(lines: readonly ChatLine[], held: readonly ChatMessage[], from: number, myNick: string): ChatLine[] {
  const oldest = lines.find((l) => l.kind !== 'event')?.time ?? Infinity;
  let n = 0;
  const earlier = held.filter((m) => m.time.getTime() >= from && m.time.getTime() <= oldest).map((m) => toChatLine(m, myNick, () => `t${++n}`));
  // The view's own lines first: on the same id they win (they carry delivery states).
  return mergeLines(lines, earlier);
}
