// What happened to a stored message after it was sent: reactions (+draft/react on TAGMSG) and
// redactions (draft/message-redaction). Both are rare next to messages, so they are written on the
// caller's connection in a short transaction of their own (busy_timeout waits out a group commit
// of the writer thread), and relayed after COMMIT like messages.
//
// Reactions are kept as the current set: one row per (message, reactor, reaction); an unreact
// deletes the row. Redacting a message blanks its text and client tags (the FTS index forgets it
// through a trigger, migration 4), removes its reactions and any offline delivery still queued,
// and keeps who redacted it, when and why, so history can replay the REDACT.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { casefold } from '../../protocol/casemap.ts';
import { inImmediateTransaction } from './transaction.ts';

export interface Reaction {
  messageId: number;
  /** Casefolded account, or nick for a guest. */
  party: string;
  reaction: string;
  /** The reaction's own msgid (the TAGMSG as relayed). */
  msgid: string;
  source: string;
  senderNick: string;
  senderAccount: string | null;
  time: number;
}

export interface Redaction {
  messageId: number;
  /** The REDACT's own msgid. */
  msgid: string;
  source: string;
  senderAccount: string | null;
  reason: string | null;
  time: number;
}

export type ReactResult = 'added' | 'exists' | 'limit';

interface ReactionRow {
  message_id: number;
  party: string;
  reaction: string;
  msgid: string;
  source: string;
  sender_nick: string;
  sender_account: string | null;
  time: number;
}

interface RedactionRow {
  message_id: number;
  msgid: string;
  source: string;
  sender_account: string | null;
  reason: string | null;
  time: number;
}

function toReaction(r: ReactionRow): Reaction {
  return {
    messageId: Number(r.message_id),
    party: r.party,
    reaction: r.reaction,
    msgid: r.msgid,
    source: r.source,
    senderNick: r.sender_nick,
    senderAccount: r.sender_account,
    time: Number(r.time),
  };
}

function toRedaction(r: RedactionRow): Redaction {
  return { messageId: Number(r.message_id), msgid: r.msgid, source: r.source, senderAccount: r.sender_account, reason: r.reason, time: Number(r.time) };
}

const R_COLUMNS = 'message_id, party, reaction, msgid, source, sender_nick, sender_account, time';

export class AnnotationStore {
  private readonly db: DatabaseSync;
  private readonly s: Record<string, StatementSync>;

  constructor(db: DatabaseSync) {
    this.db = db;
    const q = (sql: string) => db.prepare(sql);
    this.s = {
      countMine: q('SELECT count(*) AS n FROM reactions WHERE message_id = ? AND party = ?'),
      addReaction: q(`INSERT OR IGNORE INTO reactions (${R_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      removeReaction: q('DELETE FROM reactions WHERE message_id = ? AND party = ? AND reaction = ?'),
      reactionByMsgid: q(`SELECT ${R_COLUMNS.split(', ').map((c) => `r.${c}`).join(', ')}, m.target, m.msgid AS parent FROM reactions r JOIN messages m ON m.id = r.message_id WHERE r.msgid = ?`),
      removeReactionByMsgid: q('DELETE FROM reactions WHERE msgid = ?'),
      reactionsOf: q(`SELECT ${R_COLUMNS} FROM reactions WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY time, msgid`),
      blank: q("UPDATE messages SET text = '', tags = NULL WHERE id = ?"),
      addRedaction: q('INSERT OR IGNORE INTO redactions (message_id, msgid, source, sender_account, reason, time) VALUES (?, ?, ?, ?, ?, ?)'),
      dropReactions: q('DELETE FROM reactions WHERE message_id = ?'),
      dropQueued: q('DELETE FROM offline_dms WHERE message_id = ?'),
      redactionOf: q('SELECT message_id, msgid, source, sender_account, reason, time FROM redactions WHERE message_id = ?'),
      redactionsOf: q('SELECT message_id, msgid, source, sender_account, reason, time FROM redactions WHERE message_id IN (SELECT value FROM json_each(?))'),
    };
  }

  private tx<T>(fn: () => T): T {
    return inImmediateTransaction(this.db, fn);
  }

  /** Adds a reaction unless the reactor already has it, or already has `maxPerUser` on that message. */
  react(r: Reaction, maxPerUser: number): ReactResult {
    const party = casefold(r.party);
    return this.tx(() => {
      const n = Number((this.s.countMine!.get(r.messageId, party) as { n: number }).n);
      if (n >= maxPerUser) return 'limit';
      const res = this.s.addReaction!.run(r.messageId, party, r.reaction, r.msgid, r.source, r.senderNick, r.senderAccount, r.time);
      return Number(res.changes) > 0 ? 'added' : 'exists';
    });
  }

  /** Removes one reaction of `party`; false if there was none. */
  unreact(messageId: number, party: string, reaction: string): boolean {
    return this.tx(() => Number(this.s.removeReaction!.run(messageId, casefold(party), reaction).changes) > 0);
  }

  /** A reaction by its own msgid, with the storage key and msgid of the message it reacts to. */
  reactionByMsgid(msgid: string): (Reaction & { target: string; parent: string }) | null {
    const r = this.s.reactionByMsgid!.get(msgid) as (ReactionRow & { target: string; parent: string }) | undefined;
    return r ? { ...toReaction(r), target: r.target, parent: r.parent } : null;
  }

  removeReactionByMsgid(msgid: string): boolean {
    return this.tx(() => Number(this.s.removeReactionByMsgid!.run(msgid).changes) > 0);
  }

  /** Current reactions to these messages, oldest first. */
  reactionsOf(messageIds: readonly number[]): Reaction[] {
    if (messageIds.length === 0) return [];
    return (this.s.reactionsOf!.all(JSON.stringify(messageIds)) as unknown as ReactionRow[]).map(toReaction);
  }

  /** Redacts a message; false if it was redacted already. */
  redact(r: Redaction): boolean {
    return this.tx(() => {
      if (Number(this.s.addRedaction!.run(r.messageId, r.msgid, r.source, r.senderAccount, r.reason, r.time).changes) === 0) return false;
      this.s.blank!.run(r.messageId);
      this.s.dropReactions!.run(r.messageId);
      this.s.dropQueued!.run(r.messageId);
      return true;
    });
  }

  redactionOf(messageId: number): Redaction | null {
    const r = this.s.redactionOf!.get(messageId) as RedactionRow | undefined;
    return r ? toRedaction(r) : null;
  }

  redactionsOf(messageIds: readonly number[]): Map<number, Redaction> {
    const out = new Map<number, Redaction>();
    if (messageIds.length === 0) return out;
    for (const r of this.s.redactionsOf!.all(JSON.stringify(messageIds)) as unknown as RedactionRow[]) out.set(Number(r.message_id), toRedaction(r));
    return out;
  }
}
