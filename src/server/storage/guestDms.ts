// A guest who logs in keeps their direct messages. As a guest, a connection's DMs are keyed by its
// token (Client.dmToken, '!' + random hex); once it logs in, its DMs are keyed by the account. So
// that the conversations it had a minute ago do not vanish from its history (CHATHISTORY, SEARCH,
// TARGETS), the token's conversations are moved to the account: each message's key, the
// CHATHISTORY index, the search index, the conversation list of both sides, its reactions.
//
// Only the connection that held the token can cause this (it is never sent to anyone), and only
// by logging in: the conversations become the account's as they were the person's. A conversation
// the account already had with the same peer is merged with it (one key for the two of them).
//
// Runs on the main thread's connection in one IMMEDIATE transaction (a rare event: a guest who
// had DMs logs in); the caller first waits for the connection's own messages to be committed.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { casefold } from '../../protocol/casemap.ts';
import { dmKeyFolded } from './keys.ts';
import { inImmediateTransaction } from './transaction.ts';

export const GUEST_DM_SQL = {
  upTo: 'SELECT up_to FROM history_indexed',
  /** The peers whose conversation list shows the token (accounts the guest wrote to, or who wrote). */
  listedBy: 'SELECT party FROM dm_conversations WHERE peer = ?',
  ids: 'SELECT id FROM history_index WHERE target = :key UNION ALL SELECT id FROM messages WHERE id > :upTo AND target = :key',
  rekeyIndex: 'UPDATE history_index SET target = :to WHERE target = :from',
  rekeyMessages: `UPDATE messages SET target = :to, sender_party = CASE WHEN sender_party = :token THEN :account ELSE sender_party END
    WHERE id IN (SELECT value FROM json_each(:ids))`,
  // Contentless FTS5 keeps no text: a row is deleted by rowid and written again under the new key.
  ftsRows: "SELECT id, text FROM messages WHERE id IN (SELECT value FROM json_each(:ids)) AND id <= :upTo AND kind != 'TAGMSG' AND text != ''",
  ftsDelete: 'DELETE FROM messages_fts WHERE rowid = ?',
  ftsInsert: 'INSERT INTO messages_fts (rowid, text, target) VALUES (?, ?, hex(?))',
  reactionsMove: 'UPDATE OR IGNORE reactions SET party = :account WHERE party = :token',
  reactionsLeft: 'DELETE FROM reactions WHERE party = :token',
  convOfPeer: 'SELECT last_time FROM dm_conversations WHERE party = ? AND peer = ?',
  convDelete: 'DELETE FROM dm_conversations WHERE party = ? AND peer = ?',
  convUpsert: `INSERT INTO dm_conversations (party, peer, peer_display, target, last_time) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (party, peer) DO UPDATE SET peer_display = excluded.peer_display, target = excluded.target, last_time = max(last_time, excluded.last_time)`,
  lastTime: 'SELECT max(time) AS t FROM messages WHERE id IN (SELECT value FROM json_each(?))',
} as const;

export interface GuestPeer {
  /** The peer's party: an account (casefolded) or another guest's token. */
  party: string;
  /** How the peer is shown in the account's conversation list. */
  display: string;
}

type Statements = { [K in keyof typeof GUEST_DM_SQL]: StatementSync };

export class GuestDmStore {
  readonly #db: DatabaseSync;
  readonly #s: Statements;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#s = Object.fromEntries(Object.entries(GUEST_DM_SQL).map(([k, sql]) => [k, db.prepare(sql)])) as Statements;
  }

  /** The parties whose conversation list names `token` (besides those the connection remembers). */
  listedBy(token: string): string[] {
    return (this.#s.listedBy.all(token) as { party: string }[]).map((r) => r.party);
  }

  /**
   * Moves the conversations of `token` with `peers` to `account` (shown as `accountDisplay` to the
   * peers). Returns how many messages moved.
   */
  adopt(token: string, account: string, accountDisplay: string, peers: readonly GuestPeer[]): number {
    const acct = casefold(account);
    const s = this.#s;
    return inImmediateTransaction(this.#db, () => {
      const upTo = Number((s.upTo.get() as { up_to: number }).up_to);
      let moved = 0;
      for (const peer of peers) {
        const from = dmKeyFolded(token, peer.party);
        const to = dmKeyFolded(acct, peer.party);
        const ids = (s.ids.all({ key: from, upTo }) as { id: number }[]).map((r) => Number(r.id));
        if (ids.length > 0) {
          const json = JSON.stringify(ids);
          for (const r of s.ftsRows.all({ ids: json, upTo }) as { id: number; text: string }[]) {
            s.ftsDelete.run(r.id);
            s.ftsInsert.run(r.id, r.text, to);
          }
          s.rekeyIndex.run({ from, to });
          s.rekeyMessages.run({ ids: json, to, token, account: acct });
          moved += ids.length;
          const last = Number((s.lastTime.get(json) as { t: number | null }).t ?? 0);
          // Both sides' lists: the account's (never written for the token) and an account peer's.
          s.convUpsert.run(acct, peer.party, peer.display, to, last);
          if (!peer.party.startsWith('!')) s.convUpsert.run(peer.party, acct, accountDisplay, to, last);
        }
        // The peer's list no longer names the token.
        if (s.convOfPeer.get(peer.party, token) !== undefined) s.convDelete.run(peer.party, token);
      }
      s.reactionsMove.run({ account: acct, token });
      s.reactionsLeft.run({ token });
      return moved;
    });
  }
}
