// Putting a user's message on the wire: one PRIVMSG per line, split to fit 512 bytes with our
// source, or one draft/multiline batch when the server takes it; each wire part registered with
// the tracker so that its echo, error or PING round trip settles the message (outgoing.ts).
import { CAP, BATCH_TYPE } from '../../protocol/caps.ts';
import { ircMessage } from '../../protocol/message.ts';
import { MULTILINE_CONCAT_TAG } from '../../protocol/multiline.ts';
import { REPLY_TAG } from '../../protocol/clienttags.ts';
import { parseCapValue } from './capabilities.ts';
import type { Link } from './link.ts';
import type { OutgoingMessage, OutgoingTracker } from './outgoing.ts';
import { splitLines, splitMessage, splitToFit, textBudget } from './split.ts';

const ACTION_OVERHEAD = '\x01ACTION \x01'.length;
let batchSeq = 0;

/** Limits of the server's multiline capability, or undefined when it has none. */
export function multilineLimits(s: Link): { maxBytes: number; maxLines: number } | undefined {
  if (!s.hasCap(CAP.multiline) || !s.hasCap(CAP.batch)) return undefined;
  const v = parseCapValue(s.caps.value(CAP.multiline));
  const maxBytes = Number(v.get('max-bytes'));
  // max-bytes is mandatory in the spec; without it we do not risk a batch.
  if (!Number.isFinite(maxBytes) || maxBytes <= 0) return undefined;
  const maxLines = Number(v.get('max-lines'));
  return { maxBytes, maxLines: Number.isFinite(maxLines) && maxLines > 0 ? maxLines : Infinity };
}

/** Sends (or resends) `out`; the tracker reports the outcome. */
export function transmit(s: Link & { readonly outgoing: OutgoingTracker }, out: OutgoingMessage): void {
  const command = out.kind === 'notice' ? 'NOTICE' : 'PRIVMSG';
  const echo = s.hasCap(CAP.echoMessage);
  const labels = s.hasCap(CAP.labeledResponse) && s.hasCap(CAP.batch);
  let budget = textBudget(s.selfSource(), command, out.target);
  if (out.kind === 'action') budget -= ACTION_OVERHEAD;
  const wrap = (text: string) => (out.kind === 'action' ? `\x01ACTION ${text}\x01` : text);

  // A reply names its parent with a client tag: only where the server relays client tags.
  const reply: Record<string, string> = out.replyTo !== undefined && s.hasCap(CAP.messageTags) ? { [REPLY_TAG]: out.replyTo } : {};
  const multi = out.kind === 'privmsg' ? multilineLimits(s) : undefined;
  const lines = splitLines(out.text);
  if (multi && lines.length > 1 && lines.some((l) => l !== '')) {
    const wire = lines.flatMap((line) => (line === '' ? [{ text: '', concat: false }] : splitToFit(line, budget, true).map((text, i) => ({ text, concat: i > 0 }))));
    const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l), 0) + lines.length - 1;
    if (wire.length <= multi.maxLines && bytes <= multi.maxBytes) {
      const ref = `ml${++batchSeq}`;
      const label = labels ? s.outgoing.newLabel() : undefined;
      s.outgoing.addPart(out, label !== undefined ? { label, text: out.text } : { text: out.text });
      s.send(ircMessage('BATCH', [`+${ref}`, BATCH_TYPE.multiline, out.target], undefined, label !== undefined ? { ...reply, label } : reply));
      for (const w of wire) {
        const tags: Record<string, string> = { batch: ref };
        if (w.concat) tags[MULTILINE_CONCAT_TAG] = '';
        s.send(ircMessage(command, [out.target, w.text], undefined, tags));
      }
      s.send(ircMessage('BATCH', [`-${ref}`]));
      if (!echo && label === undefined) out.parts[out.parts.length - 1]!.pingToken = s.ping('ack');
      return;
    }
  }

  const chunks = splitMessage(out.text, budget);
  if (chunks.length === 0) chunks.push(out.text.replace(/[\r\n]/g, ' '));
  for (const chunk of chunks) {
    const label = labels ? s.outgoing.newLabel() : undefined;
    s.outgoing.addPart(out, label !== undefined ? { label, text: wrap(chunk) } : { text: wrap(chunk) });
    s.send(ircMessage(command, [out.target, wrap(chunk)], undefined, label !== undefined ? { ...reply, label } : reply));
  }
  // No echo and no label: a PING after the parts; its PONG confirms them (servers answer in order).
  if (!echo && !labels) {
    const token = s.ping('ack');
    for (const p of out.parts) p.pingToken = token;
  }
}
