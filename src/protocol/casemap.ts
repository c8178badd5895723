// Nick and channel comparison. We advertise CASEMAPPING=rfc1459 (RFC 1459 §2.2): besides A-Z,
// the characters []\~ are the upper-case forms of {}|^. https://modern.ircdocs.horse/#casemapping-parameter

export type Casemapping = 'rfc1459' | 'ascii' | 'strict-rfc1459';

/** The characters each mapping folds; a name without any is its own folded form. */
const FOLDED: Record<Casemapping, RegExp> = { rfc1459: /[A-Z[\\\]~]/, 'strict-rfc1459': /[A-Z[\\\]]/, ascii: /[A-Z]/ };

export function casefold(name: string, mapping: Casemapping = 'rfc1459'): string {
  // The same string, not a copy: a registry keyed by folded nicks then holds no second one (memory
  // per connection, issue 15), and most nicks and room names are lower case already.
  if (!FOLDED[mapping].test(name)) return name;
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) out += String.fromCharCode(c + 32);
    else if (mapping !== 'ascii' && c >= 0x5b && c <= 0x5d) out += String.fromCharCode(c + 32); // [\] -> {|}
    else if (mapping === 'rfc1459' && c === 0x7e) out += '^'; // ~ -> ^
    else out += name[i];
  }
  return out;
}

export function sameName(a: string, b: string, mapping: Casemapping = 'rfc1459'): boolean {
  return a.length === b.length && casefold(a, mapping) === casefold(b, mapping);
}
