// The lines that carry a stored message to one receiver: live (a draft/multiline relay) or
// replayed (a chathistory page, DMs kept for an offline account).
//
// A message is rendered once into two variants, and each receiver gets one of them, so a room
// broadcast still serialises once per capability set (see ../outgoing.ts):
//  - `batched`: for receivers with draft/multiline + batch, a multiline message is a
//    `BATCH +id draft/multiline <target>` with one PRIVMSG per line (https://ircv3.net/specs/extensions/multiline);
//  - `plain`: separate PRIVMSGs, blank lines left out, the msgid only on the first line (the spec's fallback).
// A single-line message is the same line in both.
import { BATCH_TYPE, CAP } from '../../protocol/caps.ts';
import { textBytesLeft } from '../../protocol/limits.ts';
import { truncateUtf8 } from '../../protocol/message.ts';
import { MULTILINE_CONCAT_TAG, type MultilineLine } from '../../protocol/multiline.ts';
import { batchTag, BatchWriter, type LineWriter } from '../batches.ts';
import type { Client } from '../client.ts';
import { serverTime } from '../msgtags.ts';
import { Outgoing, type TagSpec } from '../outgoing.ts';
import type { StoredMessage } from '../storage/types.ts';

/** One line of a multiline message (src/protocol/multiline.ts). */
export type MessageLine = MultilineLine;

export interface Rendered {
  batched: Outgoing[];
  plain: Outgoing[];
  /** `batched` is one draft/multiline batch (BATCH +id … BATCH -id), not a single line. */
  isBatch: boolean;
}

export interface RenderOptions {
  /** The lines as the sender composed them (live relay); replay re-splits the stored text. */
  lines?: readonly MessageLine[];
  /** Extra tags on the first line (or the multiline BATCH +), e.g. `bot`. */
  extraTags?: readonly TagSpec[];
  /** An enclosing batch (chathistory): its reference goes on every top-level line. */
  outerBatch?: string;
}

/** server-time, msgid, account-tag and the client-only tags kept with the message. */
export function storedTags(m: StoredMessage, withMsgid = true): TagSpec[] {
  const tags: TagSpec[] = [{ key: 'time', value: serverTime(m.time), cap: CAP.serverTime }];
  if (withMsgid) tags.push({ key: 'msgid', value: m.msgid, cap: CAP.messageTags });
  if (m.senderAccount !== null) tags.push({ key: 'account', value: m.senderAccount, cap: CAP.accountTag });
  for (const [key, value] of Object.entries(m.tags)) if (key.startsWith('+')) tags.push({ key, value, cap: CAP.messageTags });
  return tags;
}

/**
 * Splits a stored multiline text ('\n'-separated) into lines that each fit one IRC line;
 * a line too long for one is cut at a UTF-8 boundary and continued with the concat tag.
 */
export function splitStoredText(text: string, maxBytes: number): MessageLine[] {
  const out: MessageLine[] = [];
  const room = Math.max(16, maxBytes);
  for (const line of text.split('\n')) {
    let rest = line;
    let concat = false;
    do {
      const head = truncateUtf8(rest, room);
      out.push({ text: head, concat });
      rest = rest.slice(head.length);
      concat = true;
    } while (rest !== '');
  }
  return out;
}

function refit(l: MessageLine, room: number): MessageLine[] {
  if (Buffer.byteLength(l.text) <= room) return [l];
  const parts = splitStoredText(l.text, room);
  parts[0] = { text: parts[0]!.text, concat: l.concat };
  return parts;
}

/** Renders a stored message addressed to `target` (the parameter receivers see). */
export function renderMessage(m: StoredMessage, target: string, opts: RenderOptions = {}): Rendered {
  const outer = batchTag(opts.outerBatch);
  const extra = opts.extraTags ?? [];
  const line = (text: string, tags: TagSpec[]) => new Outgoing({ tags: {}, source: m.source, command: m.kind, params: [target, text] }, tags);
  if (!m.multiline) {
    const one = [line(m.text, [...storedTags(m), ...extra, ...outer])];
    return { batched: one, plain: one, isBatch: false };
  }
  const room = textBytesLeft(m.source, m.kind, target);
  // Lines as composed, except that one too long once our full source prefix is added is continued
  // with the concat tag (a client's 510-byte line plus `nick!user@host` would pass 512 bytes).
  const lines = opts.lines ? opts.lines.flatMap((l) => refit(l, room)) : splitStoredText(m.text, room);
  const concatTag: TagSpec = { key: MULTILINE_CONCAT_TAG, value: '', cap: CAP.multiline };
  // Rendered once for every receiver that takes batches; its BATCH +/- sit in the outer batch.
  const batched: Outgoing[] = [];
  const w = new BatchWriter((l) => batched.push(l), { source: m.source, outer: opts.outerBatch });
  w.openBatch(BATCH_TYPE.multiline, [target], [...storedTags(m), ...extra]);
  for (const l of lines) w.send(line(l.text, l.concat ? [...w.inBatch(), concatTag] : w.inBatch()));
  w.closeBatch();
  // Fallback: no blank lines (the spec forbids sending them); tags of the message on the first line.
  const plain: Outgoing[] = [];
  for (const l of lines) {
    if (l.text === '') continue;
    const first = plain.length === 0;
    plain.push(line(l.text, first ? [...storedTags(m), ...extra, ...outer] : [...storedTags(m, false), ...outer]));
  }
  return { batched, plain, isBatch: true };
}

/** The variant for this receiver. */
export function linesFor(r: Rendered, receiver: Client): Outgoing[] {
  return receiver.has(CAP.multiline) && receiver.has(CAP.batch) ? r.batched : r.plain;
}

/** The variant for this receiver, written into `out` (a multiline batch nests in its current batch). */
export function writeRendered(r: Rendered, receiver: Client, out: LineWriter): void {
  const lines = linesFor(r, receiver);
  if (r.isBatch && lines === r.batched) out.sendBatch(lines);
  else for (const line of lines) out.send(line);
}
