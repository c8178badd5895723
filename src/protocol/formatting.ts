// mIRC-style formatting codes (https://modern.ircdocs.horse/formatting.html): bold \x02, colour
// \x03 (with up to two digits, a comma and up to two more), hex colour \x04 (RRGGBB[,RRGGBB]),
// reset \x0f, monospace \x11, reverse \x16, italics \x1d, strikethrough \x1e, underline \x1f.
// Services (atheme bolds names with \x02) and other clients send them; the view shows plain text.
// CTCP's \x01 is not formatting and is left alone.
const FORMATTING = /\x03(?:\d{1,2}(?:,\d{1,2})?)?|\x04(?:[0-9a-fA-F]{6}(?:,[0-9a-fA-F]{6})?)?|[\x02\x0f\x11\x16\x1d\x1e\x1f]/g;

/** The text without IRC formatting codes (colour numbers included). */
export function stripFormatting(text: string): string {
  return text.includes('\x02') || /[\x03\x04\x0f\x11\x16\x1d\x1e\x1f]/.test(text) ? text.replace(FORMATTING, '') : text;
}
