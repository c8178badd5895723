// Server-side search, as soju ships it (https://soju.im/doc/ext/search.html): capability
// `soju.im/search`, command `SEARCH <attributes>`, the attributes written like message tags:
//
//   SEARCH text=deploy\sfriday;in=#ops;from=alice;after=2026-12-01T00:00:00.000Z;before=...;limit=20
//
// `text` (required): words that must all appear, whole words, any case, accents ignored. `in`: one
// room or nick; without it, every room the asker is in and every DM conversation of theirs. `from`:
// a sender's nick or account. `after`/`before`: server-time timestamps, exclusive. `limit`: 1-100
// (default 50). The answer is one `soju.im/search` batch (plain lines without `batch`) of the
// `limit` newest matching PRIVMSG/NOTICEs, in ascending time order within the batch (the search
// draft, ircv3-specifications#496: "SHOULD be ascending time order", like a CHATHISTORY page), each
// with its time, msgid and account tags and its own target, as CHATHISTORY would replay it.
// Redacted messages are never found.
//
// Access: every target goes through chathistory.ts resolveTarget, the same rule as CHATHISTORY
// (a `+s` room only for its members, a DM only for its parties, a guest only since it connected).
// An `in=` it refuses is FAIL SEARCH INVALID_TARGET; bad attributes FAIL SEARCH INVALID_PARAMS.
import { BATCH_TYPE, CAP } from '../../protocol/caps.ts';
import { casefold } from '../../protocol/casemap.ts';
import { parseTags } from '../../protocol/tags.ts';
import type { CommandContext, ServerContext } from '../context.ts';
import { parseHistoryPoint } from '../storage/index.ts';
import { searchTokens } from '../storage/search.ts';
import type { StoredMessage } from '../storage/types.ts';
import { CHATHISTORY_LIMIT, PAGE_TEXT_BYTES, resolveTarget } from './chathistory.ts';
import { renderMessage, writeRendered } from './replay.ts';

const DEFAULT_LIMIT = 50;
/** More words than this is not a search a person types. */
const MAX_WORDS = 16;
const ATTRIBUTES = new Set(['text', 'in', 'from', 'after', 'before', 'limit']);

export function installSearch(server: ServerContext): void {
  server.caps.register({ name: CAP.search });
  server.commands.add('SEARCH', { handler: searchHandler, minParams: 1 });
}

function searchHandler(ctx: CommandContext): void {
  const { server, client, msg, reply } = ctx;
  const invalid = (text: string) => reply.fail('SEARCH', 'INVALID_PARAMS', text);
  let attrs: Record<string, string>;
  try {
    attrs = parseTags(msg.params.join(' '));
  } catch {
    return invalid('Attributes are key=value pairs separated by ;');
  }
  for (const k of Object.keys(attrs)) if (!ATTRIBUTES.has(k)) return invalid(`Unknown attribute ${k}`);
  const text = attrs['text'] ?? '';
  const words = searchTokens(text);
  if (words.length === 0) return invalid('text= must hold at least one word');
  if (words.length > MAX_WORDS) return invalid(`At most ${MAX_WORDS} words`);
  const time = (key: 'after' | 'before'): number | undefined | 'bad' => {
    const v = attrs[key];
    if (v === undefined) return undefined;
    const p = parseHistoryPoint(`timestamp=${v}`);
    return p !== null && p !== 'invalid' && 'time' in p ? p.time : 'bad';
  };
  const after = time('after');
  const before = time('before');
  if (after === 'bad' || before === 'bad') return invalid('after= and before= are timestamps like 2026-12-01T09:30:00.000Z');
  const limitText = attrs['limit'] ?? String(DEFAULT_LIMIT);
  if (!/^\d{1,9}$/.test(limitText) || Number(limitText) === 0) return invalid('limit= is a positive number');
  const limit = Math.min(Number(limitText), CHATHISTORY_LIMIT);

  // What the asker may read, each target through resolveTarget.
  const targets = new Map<string, number>();
  const add = (name: string): boolean => {
    const where = resolveTarget(server, client, name);
    if (!where) return false;
    // A conversation the asker never had: nothing to search, but not an error.
    if (where.key !== null) targets.set(where.key, Math.max(targets.get(where.key) ?? 0, where.from ?? 0));
    return true;
  };
  const only = attrs['in'];
  if (only !== undefined && only !== '') {
    if (!add(only)) return reply.fail('SEARCH', 'INVALID_TARGET', 'No such target, or no access to its history', only);
  } else {
    for (const ch of client.channels) add(ch.name);
    for (const peer of server.store.search.conversationPeers(client.party)) add(peer);
  }
  const keep = server.store.history.keepSince?.();
  let found: StoredMessage[];
  try {
    found = server.store.search.search({
      targets: [...targets].map(([key, since]) => ({ key, since })),
      text,
      from: attrs['from'] || undefined,
      after: keep === undefined ? after : Math.max(after ?? -Infinity, keep - 1),
      before,
      limit,
    });
  } catch (err) {
    server.log.error('SEARCH failed', err);
    return reply.fail('SEARCH', 'MESSAGE_ERROR', 'The search could not be run');
  }
  const me = casefold(client.account ?? client.nick);
  reply.openBatch(BATCH_TYPE.search);
  // The newest matches, kept from the newest back within the byte budget (the receiver's sendq; a
  // narrower search finds the rest), sent in ascending time order as the search spec asks.
  let bytes = 0;
  const kept: StoredMessage[] = [];
  for (const m of found) {
    bytes += Buffer.byteLength(m.text) + 100;
    if (bytes > PAGE_TEXT_BYTES && kept.length > 0) break;
    kept.push(m);
  }
  for (const m of kept.reverse()) {
    // A DM from the peer is addressed to the asker, its own to the peer (as CHATHISTORY does).
    const target = m.type === 'dm' && casefold(m.senderAccount ?? m.senderNick) !== me ? client.nick : m.targetDisplay;
    writeRendered(renderMessage(m, target, { outerBatch: reply.batch }), client, reply);
  }
  reply.closeBatch();
}
