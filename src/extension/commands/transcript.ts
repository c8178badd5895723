// A room's lines as Markdown (Chat: Save Transcript). Chat text comes from the network: it is
// escaped so it reads as the words that were typed, never as links, images, HTML or headings.
import type { ChatLine } from '../../webview/messages.ts';

// CommonMark backslash-escapes any ASCII punctuation (spec 2.4). Inline, these can start markup:
// emphasis, code, links and images ([ ]), strikethrough, tables; `<` and `&` become entities so no
// HTML or entity survives.
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]~|])/g, '\\$1');
}

/** Like escapeMarkdown, for text that starts a line: also no heading, list or quote markers. */
function escapeLineStart(text: string): string {
  return escapeMarkdown(text).replace(/^(\s*)([#+-]|\d+(?=[.)]))/, (_m, space: string, marker: string) =>
    /^\d/.test(marker) ? `${space}${marker}\\` : `${space}\\${marker}`,
  );
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Local date and time as YYYY-MM-DD HH:MM. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A file name for the room's transcript on a given day: "general-2026-11-30.md". */
export function transcriptFileName(room: string, now: Date): string {
  const base = room.replace(/^[#&!+]+/, '').replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[-.]+|-+$/g, '') || 'room';
  return `${base}-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.md`;
}

export function renderTranscript(room: string, lines: readonly ChatLine[], server: string, now: Date): string {
  const out = [`# ${escapeMarkdown(room)}`, '', `Chat transcript from ${escapeMarkdown(server)}, saved ${formatTime(now.getTime())}.`, ''];
  for (const line of lines) {
    const who = line.kind === 'action' ? `\\* ${escapeMarkdown(line.from)}` : `**${escapeMarkdown(line.from)}**`;
    // Continuation lines are indented so a multi-line message stays one list item.
    const [first = '', ...rest] = line.text.split(/\r?\n/);
    const text = [escapeMarkdown(first), ...rest.map(escapeLineStart)].join('  \n  ');
    out.push(`- ${formatTime(line.time)} ${who}: ${text}`);
  }
  return `${out.join('\n')}\n`;
}
