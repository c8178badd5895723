// RPL_ISUPPORT (005) tokens: https://modern.ircdocs.horse/#rplisupport-parameter
// `KEY`, `KEY=value` or `-KEY` (negation). Values escape bytes as \xHH.

export type IsupportValue = string | true;

/** Folds the tokens of one 005 line (params between the nick and the trailing text) into `into`. */
export function applyIsupportTokens(into: Map<string, IsupportValue>, tokens: readonly string[]): void {
  for (const token of tokens) {
    if (token === '') continue;
    if (token.startsWith('-')) {
      into.delete(token.slice(1).toUpperCase());
      continue;
    }
    const eq = token.indexOf('=');
    if (eq === -1) into.set(token.toUpperCase(), true);
    else into.set(token.slice(0, eq).toUpperCase(), unescapeIsupport(token.slice(eq + 1)));
  }
}

export function unescapeIsupport(value: string): string {
  return value.replace(/\\x([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export function escapeIsupport(value: string): string {
  return value.replace(/[\\ =\x00-\x1f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}

/** Renders tokens for 005 lines: at most 13 per line (RFC 2812 leaves room for nick + trailing). */
export function buildIsupportLines(entries: ReadonlyArray<readonly [string, IsupportValue]>, perLine = 13): string[][] {
  const tokens = entries.map(([k, v]) => (v === true ? k : v === '' ? k : `${k}=${escapeIsupport(v)}`));
  const lines: string[][] = [];
  for (let i = 0; i < tokens.length; i += perLine) lines.push(tokens.slice(i, i + perLine));
  return lines;
}

/** PREFIX=(ov)@+ → [['o','@'],['v','+']] in rank order. */
export function parsePrefix(value: string): Array<[mode: string, symbol: string]> {
  const m = /^\(([^)]*)\)(.*)$/.exec(value);
  if (!m || m[1]!.length !== m[2]!.length) return [];
  return [...m[1]!].map((mode, i) => [mode, m[2]![i]!]);
}
