// Mentions: my nick as a word, case-insensitive. Nick characters ([]\`_^{|}- besides letters and
// digits, RFC 2812 2.3.1) glue to the nick, so "bob_" does not mention "bob" but "bob:" does.

const NICK_CHAR = String.raw`A-Za-z0-9\[\]\\\`_^{|}\-`;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

export function mentionsNick(text: string, nick: string): boolean {
  if (nick === '') return false;
  const re = new RegExp(`(?<![${NICK_CHAR}])${escapeRegExp(nick)}(?![${NICK_CHAR}])`, 'i');
  return re.test(text);
}
