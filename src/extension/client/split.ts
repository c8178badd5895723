// Fitting user text into IRC lines. RFC 1459 §2.3: a line is at most 512 bytes with CR LF, and the
// server prepends our `:nick!user@host ` when it relays, so the text budget is what is left after
// that source, the command, the target and the separators. We cut on UTF-8 character boundaries,
// preferring the last space, so no character is ever broken in two.
import { truncateUtf8 } from '../../protocol/message.ts';
import { textBytesLeft } from '../../protocol/limits.ts';

/** Bytes left for the text of `COMMAND target :text` relayed with the given source. */
export function textBudget(source: string, command: string, target: string): number {
  return textBytesLeft(source, command, target);
}

/** Splits text into its lines (CR LF, LF or CR). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * Splits one line (no newlines) into chunks of at most maxBytes of UTF-8. `keepSpaces`: the chunks
 * are joined back as they are (draft/multiline-concat), so the space at a break stays, at the end
 * of its chunk.
 */
export function splitToFit(line: string, maxBytes: number, keepSpaces = false): string[] {
  if (maxBytes < 4) throw new RangeError('no room for text in an IRC line');
  const chunks: string[] = [];
  let rest = line;
  while (Buffer.byteLength(rest) > maxBytes) {
    const cut = truncateUtf8(rest, maxBytes);
    // Break at a space if one is in the last third, so words stay whole. As separate messages the
    // space itself is dropped (a leading one would look odd); joined by concat it must stay.
    const space = cut.lastIndexOf(' ');
    if (space > cut.length * 0.66) {
      chunks.push(cut.slice(0, keepSpaces ? space + 1 : space));
      rest = rest.slice(space + 1);
    } else {
      chunks.push(cut);
      rest = rest.slice(cut.length);
    }
  }
  chunks.push(rest);
  return chunks;
}

/** Every line of the text, each split to fit; empty lines are dropped (IRC cannot send them). */
export function splitMessage(text: string, maxBytes: number): string[] {
  const out: string[] = [];
  for (const line of splitLines(text)) {
    if (line === '') continue;
    out.push(...splitToFit(line, maxBytes));
  }
  return out;
}
