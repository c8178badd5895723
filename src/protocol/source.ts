// Message sources (prefixes): `nick!user@host` for users, a bare name for servers. RFC 2812 §2.3.1.

export interface Hostmask {
  nick: string;
  user?: string;
  host?: string;
}

export function parseSource(source: string): Hostmask {
  const bang = source.indexOf('!');
  const at = source.indexOf('@', bang === -1 ? 0 : bang);
  if (bang === -1 && at === -1) return { nick: source };
  const nick = source.slice(0, bang !== -1 ? bang : at);
  const mask: Hostmask = { nick };
  if (bang !== -1) mask.user = source.slice(bang + 1, at === -1 ? undefined : at);
  if (at !== -1) mask.host = source.slice(at + 1);
  return mask;
}

export function formatSource(mask: Hostmask): string {
  let s = mask.nick;
  if (mask.user !== undefined) s += `!${mask.user}`;
  if (mask.host !== undefined) s += `@${mask.host}`;
  return s;
}

/** Glob match for ban masks (`*` and `?`), case-insensitive through the given fold function. */
export function matchMask(mask: string, subject: string, fold: (s: string) => string): boolean {
  const m = fold(mask);
  const s = fold(subject);
  // Iterative wildcard match with backtracking to the last '*': linear in practice, no regex
  // (a user-supplied mask must not be able to build a catastrophic regex).
  let mi = 0;
  let si = 0;
  let star = -1;
  let mark = 0;
  while (si < s.length) {
    if (mi < m.length && (m[mi] === '?' || m[mi] === s[si])) {
      mi++;
      si++;
    } else if (mi < m.length && m[mi] === '*') {
      star = mi++;
      mark = si;
    } else if (star !== -1) {
      mi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (mi < m.length && m[mi] === '*') mi++;
  return mi === m.length;
}
