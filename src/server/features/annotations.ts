// What CHATHISTORY adds to a page for reactions and redactions (one query each for the page):
//  - after a message, its current reactions as TAGMSGs (`+draft/reply=<msgid>;+draft/react=<r>`,
//    the reactor's source, the reaction's own time and msgid), to clients with message-tags (nobody
//    else can receive a TAGMSG) and draft/event-playback (the chathistory spec: without it, a batch
//    holds nothing but PRIVMSG and NOTICE);
//  - a redacted message is never served (its text is gone from storage anyway); in its place a
//    client with draft/message-redaction gets the REDACT (who, when, why), so a copy it kept from
//    before is removed too. https://ircv3.net/specs/extensions/message-redaction#chat-history
import { CAP } from '../../protocol/caps.ts';
import { REACT_TAG, REPLY_TAG } from '../../protocol/clienttags.ts';
import { batchTag } from '../batches.ts';
import type { Client } from '../client.ts';
import type { ServerContext } from '../context.ts';
import { serverTime } from '../msgtags.ts';
import { Outgoing, type TagSpec } from '../outgoing.ts';
import type { Reaction, Redaction } from '../storage/annotations.ts';
import type { StoredMessage } from '../storage/types.ts';

/** For one message of a page: lines to send instead of it (`replace`) or after it (`after`). */
export type Annotator = (m: StoredMessage, target: string, batch: string | undefined) => { replace?: Outgoing[]; after?: Outgoing[] } | undefined;

function common(time: number, msgid: string, account: string | null, batch: string | undefined): TagSpec[] {
  const tags: TagSpec[] = [
    { key: 'time', value: serverTime(time), cap: CAP.serverTime },
    { key: 'msgid', value: msgid, cap: CAP.messageTags },
  ];
  if (account !== null) tags.push({ key: 'account', value: account, cap: CAP.accountTag });
  return [...tags, ...batchTag(batch)];
}

export function reactionLine(r: Reaction, parentMsgid: string, target: string, batch?: string): Outgoing {
  return new Outgoing({ tags: {}, source: r.source, command: 'TAGMSG', params: [target] }, [
    ...common(r.time, r.msgid, r.senderAccount, batch),
    { key: REPLY_TAG, value: parentMsgid, cap: CAP.messageTags },
    { key: REACT_TAG, value: r.reaction, cap: CAP.messageTags },
  ]);
}

export function redactLine(r: Redaction, redactedMsgid: string, target: string, batch?: string): Outgoing {
  const params = r.reason !== null && r.reason !== '' ? [target, redactedMsgid, r.reason] : [target, redactedMsgid];
  return new Outgoing({ tags: {}, source: r.source, command: 'REDACT', params }, common(r.time, r.msgid, r.senderAccount, batch));
}

/** The annotator for one page of history sent to `client`. */
export function historyAnnotator(server: ServerContext, client: Client, messages: readonly StoredMessage[]): Annotator {
  const ids = messages.map((m) => m.id);
  const redactions = server.store.annotations.redactionsOf(ids);
  const reactions = new Map<number, Reaction[]>();
  if (client.has(CAP.messageTags) && client.has(CAP.eventPlayback)) {
    for (const r of server.store.annotations.reactionsOf(ids)) {
      const list = reactions.get(r.messageId);
      if (list) list.push(r);
      else reactions.set(r.messageId, [r]);
    }
  }
  if (redactions.size === 0 && reactions.size === 0) return () => undefined;
  return (m, target, batch) => {
    const red = redactions.get(m.id);
    if (red) return { replace: client.has(CAP.messageRedaction) ? [redactLine(red, m.msgid, target, batch)] : [] };
    const rs = reactions.get(m.id);
    return rs ? { after: rs.map((r) => reactionLine(r, m.msgid, target, batch)) } : undefined;
  };
}
