// The IRC message format: RFC 1459 §2.3.1, RFC 2812 §2.3.1, IRCv3 message-tags.
// https://modern.ircdocs.horse/#message-format
//
//   [@tags SPACE] [:source SPACE] command [SPACE params] [SPACE :trailing]
//
// One parser and one serialiser for server and client alike. The serialiser refuses anything
// that would change meaning on the wire (a space in a middle parameter, CR/LF/NUL anywhere), so a
// nick or a message text can never inject a second command.
import { parseTags, serializeTags } from './tags.ts';

export interface IrcMessage {
  /** Message tags, unescaped. A tag sent without a value has the value ''. */
  tags: Record<string, string>;
  /** The prefix without ':', e.g. `nick!user@host` or a server name. */
  source?: string;
  /** The verb as sent (receivers compare it upper-cased) or a three-digit numeric. */
  command: string;
  params: string[];
}

export class IrcParseError extends Error {
  override name = 'IrcParseError';
  /**
   * What could be read of a line whose command is not a valid verb: its tags and the word in the
   * command's place, so a server can still answer 421 for that word, with the line's label.
   */
  readonly partial?: { tags: Record<string, string>; command: string };

  constructor(message: string, partial?: { tags: Record<string, string>; command: string }) {
    super(message);
    if (partial !== undefined) this.partial = partial;
  }
}

export class IrcSerializeError extends Error {
  override name = 'IrcSerializeError';
}

const COMMAND = /^(?:[A-Za-z]+|[0-9]{3})$/;
const FORBIDDEN = /[\0\r\n]/;

/** Builds a message; tags default to none. */
export function ircMessage(command: string, params: string[] = [], source?: string, tags: Record<string, string> = {}): IrcMessage {
  return source === undefined ? { tags, command, params } : { tags, source, command, params };
}

/**
 * Parses one line, without its CR LF. Tolerates runs of spaces between parts (as deployed
 * servers send them). Throws IrcParseError on an empty line, NUL/CR/LF, or a bad command.
 */
export function parseMessage(line: string): IrcMessage {
  if (FORBIDDEN.test(line)) throw new IrcParseError('line contains NUL, CR or LF');
  let pos = 0;
  const len = line.length;
  const skipSpaces = () => {
    while (pos < len && line.charCodeAt(pos) === 0x20) pos++;
  };
  const word = () => {
    const end = line.indexOf(' ', pos);
    const w = end === -1 ? line.slice(pos) : line.slice(pos, end);
    pos = end === -1 ? len : end;
    return w;
  };

  skipSpaces();
  let tags: Record<string, string> = {};
  if (line[pos] === '@') {
    pos++;
    tags = parseTags(word());
    skipSpaces();
  }
  let source: string | undefined;
  if (line[pos] === ':') {
    pos++;
    source = word();
    if (source === '') throw new IrcParseError('empty source');
    skipSpaces();
  }
  const command = word();
  if (command === '') throw new IrcParseError('missing command');
  if (!COMMAND.test(command)) throw new IrcParseError(`invalid command '${command.slice(0, 32)}'`, { tags, command });

  const params: string[] = [];
  for (;;) {
    skipSpaces();
    if (pos >= len) break;
    if (line[pos] === ':') {
      params.push(line.slice(pos + 1));
      break;
    }
    params.push(word());
  }
  const msg: IrcMessage = { tags, command, params };
  if (source !== undefined) msg.source = source;
  return msg;
}

/** Serialises without CR LF. Throws IrcSerializeError for anything that cannot be said on the wire. */
export function serializeMessage(msg: IrcMessage): string {
  let out = '';
  const tagText = serializeTags(msg.tags);
  if (tagText !== '') out += `@${tagText} `;
  if (msg.source !== undefined) {
    if (msg.source === '' || msg.source.includes(' ') || FORBIDDEN.test(msg.source)) {
      throw new IrcSerializeError('invalid source');
    }
    out += `:${msg.source} `;
  }
  if (!COMMAND.test(msg.command)) throw new IrcSerializeError(`invalid command '${msg.command}'`);
  out += msg.command;
  const last = msg.params.length - 1;
  for (let i = 0; i <= last; i++) {
    const p = msg.params[i]!;
    if (FORBIDDEN.test(p)) throw new IrcSerializeError('parameter contains NUL, CR or LF');
    if (i < last) {
      if (p === '' || p.includes(' ') || p.startsWith(':')) {
        throw new IrcSerializeError(`middle parameter ${i + 1} is empty, has a space or starts with ':'`);
      }
      out += ` ${p}`;
    } else {
      out += p === '' || p.includes(' ') || p.startsWith(':') ? ` :${p}` : ` ${p}`;
    }
  }
  return out;
}

/**
 * Cuts a string to at most maxBytes of UTF-8 without splitting a character (nor a surrogate pair).
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + size > maxBytes) break;
    bytes += size;
    i += cp >= 0x10000 ? 2 : 1;
  }
  return text.slice(0, i);
}
