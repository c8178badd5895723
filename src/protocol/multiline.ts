// draft/multiline (https://ircv3.net/specs/extensions/multiline): how the lines of one message
// travel and are joined back, the same on both sides of the wire.

/** Tag on a line that continues the previous one without a line break. */
export const MULTILINE_CONCAT_TAG = 'draft/multiline-concat';

/** One wire line of a multiline message: `concat` joins it to the previous line without '\n'. */
export interface MultilineLine {
  text: string;
  concat: boolean;
}

/** The message's text: lines joined by '\n', a concat line joined directly (the first never is). */
export function joinMultiline(lines: readonly MultilineLine[]): string {
  let text = '';
  lines.forEach((l, i) => {
    text += (i === 0 || l.concat ? '' : '\n') + l.text;
  });
  return text;
}
