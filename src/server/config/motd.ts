// Reads the --motd file once at start-up. A missing or unreadable file is a start-up error with a
// clear message rather than a silent 422, because the operator asked for a MOTD explicitly.
import { readFileSync } from 'node:fs';

/** Longest MOTD line we send; RPL_MOTD ("372 nick :- text") must fit in 512 bytes (RFC 2812 §2.3). */
const MAX_MOTD_LINE = 400;
/** A MOTD is for people; cap it so a wrong file (a log, a binary) cannot flood every client. */
const MAX_MOTD_LINES = 200;

/** Returns the MOTD lines (CR/LF/NUL-free, trimmed to a safe length) or an error message. */
export function readMotd(file: string): { lines: string[] } | { error: string } {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    return { error: `cannot read --motd file '${file}': ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message}` };
  }
  const lines = raw
    .replace(/\r\n?/g, '\n')
    .replace(/\n$/, '')
    .split('\n')
    .slice(0, MAX_MOTD_LINES)
    .map((l) => l.replace(/[\0-\x08\x0b-\x1f\x7f]/g, '').slice(0, MAX_MOTD_LINE));
  return { lines };
}
