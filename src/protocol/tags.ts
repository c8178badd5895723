// IRCv3 message-tags value escaping: https://ircv3.net/specs/extensions/message-tags#escaping-values

const ESCAPES: Record<string, string> = { ';': '\\:', ' ': '\\s', '\\': '\\\\', '\r': '\\r', '\n': '\\n' };
const UNESCAPES: Record<string, string> = { ':': ';', s: ' ', '\\': '\\', r: '\r', n: '\n' };

export function escapeTagValue(value: string): string {
  return value.replace(/[; \\\r\n]/g, (c) => ESCAPES[c] ?? c);
}

/** Per spec: an unknown escape drops the backslash, and a trailing lone backslash is dropped. */
export function unescapeTagValue(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    i++;
    if (i >= raw.length) break;
    const next = raw[i]!;
    out += UNESCAPES[next] ?? next;
  }
  return out;
}

/** Tag keys: optional client prefix '+', optional vendor 'host/', then [A-Za-z0-9-]. */
const TAG_KEY = /^\+?(?:[A-Za-z0-9.-]+\/)?[A-Za-z0-9-]+$/;

export function isValidTagKey(key: string): boolean {
  return TAG_KEY.test(key);
}

export function isClientTag(key: string): boolean {
  return key.startsWith('+');
}

/** Serialises a tag map without the leading '@'. Keys with an empty value are written bare. */
export function serializeTags(tags: Readonly<Record<string, string>>): string {
  const parts: string[] = [];
  for (const key in tags) {
    const value = tags[key]!;
    parts.push(value === '' ? key : `${key}=${escapeTagValue(value)}`);
  }
  return parts.join(';');
}

/** Parses the tag section (without '@'). Later duplicates win, as the spec says. */
export function parseTags(section: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const part of section.split(';')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    if (!isValidTagKey(key)) throw new IrcTagError(`invalid tag key '${key}'`);
    tags[key] = eq === -1 ? '' : unescapeTagValue(part.slice(eq + 1));
  }
  return tags;
}

export class IrcTagError extends Error {
  override name = 'IrcTagError';
}
