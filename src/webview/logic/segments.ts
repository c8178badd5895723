// Splits message text into what the view draws: plain text, mentions of my nick (highlighted) and
// http(s) links (buttons that ask the extension to open them). Pure and linear-time, because the
// text comes from the network: no regex backtracking on hostile input, no HTML anywhere.

export type Segment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'mention'; readonly text: string }
  | { readonly kind: 'link'; readonly text: string; readonly url: string };

export interface Range {
  readonly start: number;
  readonly end: number;
}

/** Longer links are shown as text: the extension refuses them anyway (messages.ts MAX_URL_CHARS). */
export const MAX_LINK_CHARS = 2048;

// Stops at whitespace and characters that cannot appear unescaped in a URL (RFC 3986 §2);
// the class is a single character set, so matching is linear.
const LINK = /\bhttps?:\/\/[^\s<>"'`{}|\\^\u0000-\u001f\u007f]+/gi;
// Punctuation that usually ends the sentence, not the URL ("see https://x.org/a.").
const TRAILING = new Set(['.', ',', ';', ':', '!', '?', '*']);

/** The http(s) links in `text`, validated by the URL parser; anything else is left as text. */
export function linkRanges(text: string): Array<Range & { readonly url: string }> {
  const out: Array<Range & { url: string }> = [];
  for (const m of text.matchAll(LINK)) {
    if (m[0].length > MAX_LINK_CHARS + 64) continue;
    // Trimmed with a loop, not a `$`-anchored regex: that one is quadratic on a long run of dots.
    let end = m[0].length;
    while (end > 0 && TRAILING.has(m[0][end - 1] ?? '')) end--;
    let raw = m[0].slice(0, end);
    // A closing bracket belongs to the URL only when it has an opening one inside it (wiki links).
    while (raw.endsWith(')') && count(raw, '(') < count(raw, ')')) raw = raw.slice(0, -1);
    if (raw.length > MAX_LINK_CHARS) continue;
    const url = safeUrl(raw);
    if (url) out.push({ start: m.index, end: m.index + raw.length, url });
  }
  return out;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

/** `raw` as a normalised http(s) URL with a host, or undefined. */
export function safeUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return undefined;
  return url.href;
}

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}_\-[\]\\`^{}|]/u.test(c);

/** Where `nick` appears as a whole word in `text` (case-insensitive), for highlighting. */
export function mentionRanges(text: string, nick: string | undefined): Range[] {
  if (!nick) return [];
  const hay = text.toLowerCase();
  const needle = nick.toLowerCase();
  const out: Range[] = [];
  let from = 0;
  for (;;) {
    const at = hay.indexOf(needle, from);
    if (at < 0) break;
    const end = at + needle.length;
    if (!isWordChar(text[at - 1]) && !isWordChar(text[end])) out.push({ start: at, end });
    from = end;
  }
  return out;
}

/** The text cut into segments; links win where a mention falls inside one. */
export function segments(text: string, nick: string | undefined): Segment[] {
  const links = linkRanges(text);
  const mentions = mentionRanges(text, nick).filter((m) => !links.some((l) => m.start < l.end && l.start < m.end));
  const marks = [...links.map((l) => ({ ...l, kind: 'link' as const })), ...mentions.map((m) => ({ ...m, kind: 'mention' as const, url: '' }))].sort(
    (a, b) => a.start - b.start,
  );
  const out: Segment[] = [];
  let at = 0;
  for (const m of marks) {
    if (m.start > at) out.push({ kind: 'text', text: text.slice(at, m.start) });
    const piece = text.slice(m.start, m.end);
    out.push(m.kind === 'link' ? { kind: 'link', text: piece, url: m.url } : { kind: 'mention', text: piece });
    at = m.end;
  }
  if (at < text.length) out.push({ kind: 'text', text: text.slice(at) });
  return out;
}
