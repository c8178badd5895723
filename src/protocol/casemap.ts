// Nick and channel comparison. We advertise CASEMAPPING=rfc1459 (RFC 1459 §2.2): besides A-Z,
// the characters []\~ are the upper-case forms of {}|^. https://modern.ircdocs.horse/#casemapping-parameter

export type Casemapping = 'rfc1459' | 'ascii' | 'strict-rfc1459';

export function casefold(name: string, mapping: Casemapping = 'rfc1459'): string {
  // Most names are already folded (every lookup of a folded key, DM tokens, lower-case nicks):
  // return them as they are rather than rebuild them a character at a time.
  for (let i = 0; i < name.length; i++) if (foldsTo(name.charCodeAt(i), mapping) !== 0) return foldFrom(name, i, mapping);
  return name;
}

/** The folded character code of `c`, or 0 when `c` is its own folded form. */
function foldsTo(c: number, mapping: Casemapping): number {
  if (c >= 0x41 && c <= 0x5a) return c + 32;
  if (mapping !== 'ascii' && c >= 0x5b && c <= 0x5d) return c + 32; // [\] -> {|}
  if (mapping === 'rfc1459' && c === 0x7e) return 0x5e; // ~ -> ^
  return 0;
}

function foldFrom(name: string, first: number, mapping: Casemapping): string {
  let out = name.slice(0, first);
  for (let i = first; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const folded = foldsTo(c, mapping);
    out += folded === 0 ? name[i] : String.fromCharCode(folded);
  }
  return out;
}

export function sameName(a: string, b: string, mapping: Casemapping = 'rfc1459'): boolean {
  return a.length === b.length && casefold(a, mapping) === casefold(b, mapping);
}
