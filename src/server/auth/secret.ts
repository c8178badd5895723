// Comparing secrets (the server password, operator credentials) in constant time. Both sides are
// hashed first, so the comparison takes as long whatever the lengths: timingSafeEqual alone needs
// equal lengths, and checking the lengths first would tell a guesser the password's length.
import { createHash, timingSafeEqual } from 'node:crypto';

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
