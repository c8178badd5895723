// Code in messages (issue 13): fenced blocks (a line ``` or ```lang, up to a line ```) and inline
// `code` (a run of backticks up to the same run on the same line), as Markdown writes them. The
// rest stays text (links and mentions come from segments.ts). Pure and linear: the text comes
// from the network; the view builds the DOM from these pieces with textContent only.

export type Block = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'code'; readonly code: string; readonly language: string };
export type Inline = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'code'; readonly code: string };

const FENCE = /^ {0,3}(`{3,})\s*([\w+#.-]*)\s*$/;

/** Splits a message into text and fenced code blocks; an unclosed fence is just text. */
export function codeBlocks(text: string): Block[] {
  if (!text.includes('```')) return [{ kind: 'text', text }];
  const lines = text.split('\n');
  const out: Block[] = [];
  let plain: string[] = [];
  const flush = (): void => {
    if (plain.length > 0) out.push({ kind: 'text', text: plain.join('\n') });
    plain = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) {
      plain.push(lines[i]!);
      continue;
    }
    const fence = open[1]!;
    let end = -1;
    for (let j = i + 1; j < lines.length; j++) {
      const close = /^ {0,3}(`{3,})\s*$/.exec(lines[j]!);
      if (close && close[1]!.length >= fence.length) {
        end = j;
        break;
      }
    }
    if (end < 0) {
      // No closing fence: the rest is text as written (with its backticks).
      plain.push(...lines.slice(i));
      break;
    }
    flush();
    out.push({ kind: 'code', code: lines.slice(i + 1, end).join('\n'), language: open[2] ?? '' });
    i = end;
  }
  flush();
  return out;
}

/** Splits text into plain parts and inline `code` (a backtick run closed by the same run, same line). */
export function inlineCode(text: string): Inline[] {
  if (!text.includes('`')) return [{ kind: 'text', text }];
  const out: Inline[] = [];
  let plainStart = 0;
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '`') {
      i++;
      continue;
    }
    let run = 1;
    while (text[i + run] === '`') run++;
    const ticks = '`'.repeat(run);
    // The closing run: the same length, not longer, before the end of the line.
    let close = -1;
    let j = i + run;
    const lineEnd = text.indexOf('\n', j);
    const limit = lineEnd < 0 ? text.length : lineEnd;
    while (j < limit) {
      const k = text.indexOf(ticks, j);
      if (k < 0 || k >= limit) break;
      let len = run;
      while (text[k + len] === '`') len++;
      if (len === run) {
        close = k;
        break;
      }
      j = k + len;
    }
    if (close < 0 || close === i + run) {
      i += run;
      continue;
    }
    if (i > plainStart) out.push({ kind: 'text', text: text.slice(plainStart, i) });
    let code = text.slice(i + run, close);
    // Markdown: one space each side is padding (`` `a` ``).
    if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') code = code.slice(1, -1);
    out.push({ kind: 'code', code });
    i = close + run;
    plainStart = i;
  }
  if (plainStart < text.length) out.push({ kind: 'text', text: text.slice(plainStart) });
  return out;
}
