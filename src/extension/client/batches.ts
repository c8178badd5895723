// Receiving batches (https://ircv3.net/specs/extensions/batch): `BATCH +ref type params` opens,
// `BATCH -ref` closes, members carry `@batch=ref`. Two types are handled as a whole:
//  - draft/multiline: lines joined into one message (https://ircv3.net/specs/extensions/multiline);
//  - chathistory: replayed messages, handed to the history feature as one page.
// Members of any other batch (labeled-response, netsplit...) are handled one by one as they come.
import { BATCH_TYPE } from '../../protocol/caps.ts';
import type { IrcMessage } from '../../protocol/message.ts';
import { joinMultiline, MULTILINE_CONCAT_TAG } from '../../protocol/multiline.ts';
import { handleChatLine, parseTime, toChatMessage, type ChatLine } from './handlers/chat.ts';
import type { HandlerContext } from './handlers/context.ts';
import type { OpenBatch } from './link.ts';
import { annotationEvent } from './handlers/annotations.ts';

/** A hostile server must not grow a batch without bound. */
export const MAX_BATCH_MESSAGES = 10_000;
/** Open batches at once, same reason. */
export const MAX_OPEN_BATCHES = 64;

function nearest(batch: OpenBatch | undefined, type: string): OpenBatch | undefined {
  for (let b = batch; b; b = b.parent) if (b.type === type) return b;
  return undefined;
}

/** BATCH +ref / -ref: opens a batch in `open` (the session's), or closes and handles it. */
export function onBatch(s: HandlerContext, open: Map<string, OpenBatch>, msg: IrcMessage): void {
  const ref = msg.params[0] ?? '';
  if (ref.startsWith('+') && ref.length > 1 && msg.params.length >= 2) {
    if (open.size >= MAX_OPEN_BATCHES) return;
    const parentRef = msg.tags['batch'];
    const batch: OpenBatch = {
      ref: ref.slice(1),
      type: msg.params[1]!,
      params: msg.params.slice(2),
      tags: msg.tags,
      messages: [],
      collected: [],
    };
    if (msg.source !== undefined) batch.source = msg.source;
    const parent = parentRef !== undefined ? open.get(parentRef) : undefined;
    if (parent) batch.parent = parent;
    open.set(batch.ref, batch);
    return;
  }
  if (ref.startsWith('-')) {
    const batch = open.get(ref.slice(1));
    if (!batch) return;
    open.delete(batch.ref);
    finish(s, batch);
  }
}

/** Takes a batch member that is handled with its batch; false = handle it on its own. */
export function absorb(s: HandlerContext, batch: OpenBatch, msg: IrcMessage): boolean {
  const command = msg.command.toUpperCase();
  if (batch.type === BATCH_TYPE.chathistoryTargets) {
    // CHATHISTORY TARGETS <target> <timestamp>
    if (command === 'CHATHISTORY' && msg.params.length >= 2 && batch.messages.length < MAX_BATCH_MESSAGES) batch.messages.push(msg);
    return true;
  }
  if (batch.type === BATCH_TYPE.multiline) {
    if ((command === 'PRIVMSG' || command === 'NOTICE') && batch.messages.length < MAX_BATCH_MESSAGES) batch.messages.push(msg);
    return true;
  }
  const history = nearest(batch, BATCH_TYPE.chathistory);
  if (history) {
    if ((command === 'PRIVMSG' || command === 'NOTICE') && msg.params.length >= 2 && history.collected.length < MAX_BATCH_MESSAGES) {
      const m = toChatMessage(s, lineOf(msg), true, history.params[0]);
      if (m) history.collected.push(m);
    } else if ((command === 'TAGMSG' || command === 'REDACT') && (history.annotations?.length ?? 0) < MAX_BATCH_MESSAGES) {
      // Reactions and deletions stored with the conversation (issue 13): after the messages.
      const e = annotationEvent(s, msg, history.params[0] ?? msg.params[0] ?? '');
      if (e) (history.annotations ??= []).push(e);
    }
    // Other replayed events (draft/event-playback) are not shown.
    return true;
  }
  const search = nearest(batch, BATCH_TYPE.search);
  if (search) {
    if ((command === 'PRIVMSG' || command === 'NOTICE') && msg.params.length >= 2 && search.collected.length < MAX_BATCH_MESSAGES) {
      const m = toChatMessage(s, lineOf(msg), true);
      if (m) search.collected.push(m);
    }
    return true;
  }
  return false;
}

function lineOf(msg: IrcMessage): ChatLine {
  const line: ChatLine = { command: msg.command, target: msg.params[0]!, text: msg.params[1]!, tags: msg.tags };
  if (msg.source !== undefined) line.source = msg.source;
  return line;
}

/** The text of a multiline batch: lines with draft/multiline-concat continue the previous line. */
function multilineText(messages: readonly IrcMessage[]): string {
  return joinMultiline(messages.map((m) => ({ text: m.params[1] ?? '', concat: m.tags[MULTILINE_CONCAT_TAG] !== undefined })));
}

function finish(s: HandlerContext, batch: OpenBatch): void {
  if (batch.type === BATCH_TYPE.multiline) {
    const first = batch.messages[0];
    if (!first || first.params.length < 2) return;
    // The batch's own tags (msgid, time, label, account) describe the whole message.
    const line: ChatLine = {
      command: first.command,
      target: batch.params[0] ?? first.params[0]!,
      text: multilineText(batch.messages),
      tags: { ...first.tags, ...batch.tags },
    };
    const source = batch.source?.includes('!') ? batch.source : (first.source ?? batch.source);
    if (source !== undefined) line.source = source;
    delete line.tags['batch'];
    const history = nearest(batch.parent, BATCH_TYPE.chathistory);
    if (history) {
      const m = toChatMessage(s, line, true, history.params[0]);
      if (m) history.collected.push(m);
      return;
    }
    let label: string | undefined;
    for (let b: OpenBatch | undefined = batch; b && label === undefined; b = b.parent) label = b.tags['label'];
    handleChatLine(s, line, label !== undefined ? { label } : {});
    return;
  }
  if (batch.type === BATCH_TYPE.chathistory) {
    s.features.history.received(s, batch.params[0] ?? '', batch.collected);
    for (const e of batch.annotations ?? []) {
      if (e.type === 'redaction') s.state.redact(e.redaction.target, e.redaction.msgid);
      s.emit(e);
    }
  } else if (batch.type === BATCH_TYPE.search) {
    let label: string | undefined;
    for (let b: OpenBatch | undefined = batch; b && label === undefined; b = b.parent) label = b.tags['label'];
    s.features.search.received(batch.collected, label);
  } else if (batch.type === BATCH_TYPE.chathistoryTargets) {
    const targets = batch.messages.map((m) => {
      const t: { target: string; time?: Date } = { target: m.params[1]! };
      const time = parseTime(m.params[2]?.replace(/^timestamp=/, ''));
      if (time) t.time = time;
      return t;
    });
    s.features.targetsReceived(s, targets);
  }
}
