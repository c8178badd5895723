// The storage API the IRC engine uses. One SQLite file (<dataDir>/chatroom.sqlite) through
// node:sqlite; see ./open.ts for the durability settings and ./messages.ts for the write path.
//
// Names: every method takes names as the user typed them (any case) and casefolds them itself
// with the protocol's rfc1459 casemapping; records carry both the folded `name` and the
// `displayName` as first registered.

import type { AnnotationStore } from './annotations.ts';
import type { SqliteSearchStore } from './search.ts';
import type { GuestDmStore } from './guestDms.ts';

// ---- accounts -------------------------------------------------------------------------------------

export interface Account {
  /** Casefolded account name (the key). */
  name: string;
  /** The name as registered, for display (e.g. in account-tag / 330). */
  displayName: string;
  email: string | null;
  verified: boolean;
  /** ms since epoch. */
  createdAt: number;
}

export type CreateAccountError = 'exists' | 'invalid';

export type CreateAccountResult =
  | { ok: true; account: Account }
  | { ok: false; error: CreateAccountError; /** human-readable reason, fit for a FAIL/NOTE text */ message: string };

export interface AccountStore {
  /**
   * Creates an account with a scrypt hash of `password` (per-account random salt). Async: the
   * hashing runs on libuv's thread pool, not the event loop. 'invalid' for an empty/oversized
   * name or password; 'exists' if the (casefolded) name is taken, also when two requests race.
   * Nick syntax is the caller's business (validate before calling).
   */
  createAccount(name: string, password: string, email?: string | null): Promise<CreateAccountResult>;
  /**
   * The account if `password` is right, else null. Always does the full scrypt work, also for
   * unknown names, and compares with timingSafeEqual: no timing oracle for "does it exist".
   */
  verifyPassword(name: string, password: string): Promise<Account | null>;
  /** Replaces the password (new salt, current scrypt parameters). False if no such account. */
  setPassword(name: string, password: string): Promise<boolean>;
  getAccount(name: string): Account | null;
  setVerified(name: string, verified: boolean): boolean;
  /** Number of accounts (for LUSERS-style stats and tests). */
  countAccounts(): number;
}

// ---- registered channels ------------------------------------------------------------------------

export type ChannelRole = 'op' | 'voice';

export interface ChannelRecord {
  /** Casefolded channel name, e.g. '#room'. */
  name: string;
  displayName: string;
  /** Casefolded account name of the founder. */
  founder: string;
  topic: string | null;
  /** Source (nick or nick!user@host) that set the topic, for 333 RPL_TOPICWHOTIME. */
  topicSetBy: string | null;
  /** ms since epoch. */
  topicTime: number | null;
  /** Mode letters without parameters, e.g. 'nt' or 'imnst' (order not significant). */
  modes: string;
  /** +k key, or null. */
  key: string | null;
  /** +l limit, or null. */
  limit: number | null;
  /** ms since epoch (RPL_CREATIONTIME is in seconds: divide). */
  createdAt: number;
}

/** What saveChannel needs; `name` is folded by the store, `displayName` defaults to `name` as given. */
export type ChannelInput = Omit<ChannelRecord, 'name' | 'displayName' | 'createdAt'> & {
  name: string;
  displayName?: string;
  createdAt?: number;
};

export interface ChannelBan {
  mask: string;
  setBy: string;
  /** ms since epoch. */
  time: number;
}

export interface ChannelStore {
  /** Inserts or updates a registered channel (the founder must be an existing account). */
  saveChannel(channel: ChannelInput): ChannelRecord;
  getChannel(name: string): ChannelRecord | null;
  /** Every registered channel, for loading at start-up. */
  listChannels(): ChannelRecord[];
  /** Drops the registration with its roles and bans. */
  deleteChannel(name: string): boolean;
  /** Sets (or with null removes) an account's persistent role in a registered channel. */
  setRole(channel: string, account: string, role: ChannelRole | null): void;
  /** Roles in a registered channel; `account` is casefolded. */
  listRoles(channel: string): { account: string; role: ChannelRole }[];
  /** Adds a ban (no-op if the same mask is already banned; masks compare casefolded). */
  addBan(channel: string, ban: ChannelBan): void;
  removeBan(channel: string, mask: string): boolean;
  listBans(channel: string): ChannelBan[];
}

// ---- messages -------------------------------------------------------------------------------------

export type MessageKind = 'PRIVMSG' | 'NOTICE' | 'TAGMSG';

/**
 * Where a message went. For a direct message `from` and `to` are the two parties: an account name
 * when logged in, else the connection's own token ('!' + hex, Client.dmToken), never a nick (issue
 * 11). `fromName`/`toName` are how each is shown (account or nick; default: the party): `toName`
 * is the target replayed, each the other's peer_display in dm_conversations.
 */
export type MessageTarget = { type: 'channel'; name: string } | { type: 'dm'; from: string; to: string; fromName?: string; toName?: string };

export interface NewMessage {
  target: MessageTarget;
  kind: MessageKind;
  /** Full source prefix at send time, e.g. 'alice!alice@127.0.0.1' (replayed as-is). */
  source: string;
  senderNick: string;
  senderAccount: string | null;
  /** The text; for a draft/multiline batch, the lines joined with '\n' (and `multiline: true`). */
  text: string;
  /** Client-only tags (+draft/reply, +draft/react...) to replay; server tags are not stored. */
  tags?: Record<string, string>;
  multiline?: boolean;
  /** Server time in ms since epoch; defaults to Date.now() when stored. Never take it from a client. */
  time?: number;
  /** Defaults to a fresh random msgid (see newMsgid()). */
  msgid?: string;
  /**
   * For a DM to an account with no connection: queue it for that account's next connection
   * (offline_dms) in the SAME transaction as the message, so a crash cannot store the message
   * without queueing it. Same effect as offline.add() after the commit, minus that window.
   */
  queueFor?: string;
}

export interface StoredMessage {
  /** Row id: increases with insertion order; a tie-breaker for equal times. */
  id: number;
  /** Unique, URL-safe id: the `msgid` tag. */
  msgid: string;
  /** Storage key: casefolded channel name, or the DM conversation key (see dmKey()). */
  target: string;
  type: 'channel' | 'dm';
  /** The target parameter to replay: the channel's name or, for a DM, the recipient as written. */
  targetDisplay: string;
  kind: MessageKind;
  source: string;
  senderNick: string;
  senderAccount: string | null;
  /** A DM's sending party (MessageTarget `from`, casefolded); null for rooms and DMs stored before it was kept. */
  senderParty: string | null;
  /** ms since epoch (server time). */
  time: number;
  text: string;
  tags: Record<string, string>;
  multiline: boolean;
}

export interface MessageStore {
  /**
   * Group commit: queues the message; every message queued in the same event-loop turn is written
   * in ONE transaction (one fsync), and the promise resolves after COMMIT. Relay only after it
   * resolves. Rejects if the write failed (disk full, I/O error): then tell the sender it failed.
   * Cost: one fsync per batch, plus at most one event-loop turn of latency.
   */
  enqueue(msg: NewMessage): Promise<StoredMessage>;
  /**
   * Writes one message in its own transaction and returns after COMMIT (blocks the event loop for
   * one fsync, ~0.1-10 ms depending on the disk). Simpler; fine for low traffic. Throws on failure.
   */
  appendSync(msg: NewMessage): StoredMessage;
  /** Writes everything queued by enqueue() now (close() calls it). */
  flush(): void;
  /** Messages queued but not committed yet. */
  pending(): number;
  findByMsgid(msgid: string): StoredMessage | null;
  count(target?: string): number;
  /**
   * History retention: visits `limit` messages after id `after` (0: from the oldest) and deletes
   * those older than `before` (ms since epoch), in one short transaction, in the writer thread when
   * there is one (retention.ts). `more`: call again with `after: last` for the rest.
   */
  prune(before: number, limit: number, after?: number): Promise<{ deleted: number; more: boolean; last: number; conversations: number }>;
}

// ---- history (draft/chathistory) ----------------------------------------------------------------------

/** A reference point: `msgid=...` or `timestamp=...` (ms since epoch) from the CHATHISTORY command. */
export type HistoryPoint = { msgid: string } | { time: number };

export type HistoryRequest =
  /** The latest `limit` messages, or with `after` only those after that point (`*` = no point). */
  | { kind: 'LATEST'; after?: HistoryPoint; limit: number }
  | { kind: 'BEFORE'; point: HistoryPoint; limit: number }
  | { kind: 'AFTER'; point: HistoryPoint; limit: number }
  /** About limit/2 messages each side; a msgid point includes that message. */
  | { kind: 'AROUND'; point: HistoryPoint; limit: number }
  /** Exclusive of both points; `limit` counts from `start` (which may be after `end`: then backwards). */
  | { kind: 'BETWEEN'; start: HistoryPoint; end: HistoryPoint; limit: number };

export type HistoryResult =
  /** Messages in chronological order (oldest first), as a chathistory batch wants them. */
  | { ok: true; messages: StoredMessage[] }
  /** A msgid that is not in this target's history (the engine answers FAIL CHATHISTORY INVALID_MSGREFTYPE / an empty batch). */
  | { ok: false; error: 'unknown-msgid' };

export interface HistoryTarget {
  /** What to put in the CHATHISTORY TARGETS reply: the channel's name or the DM peer's name. */
  name: string;
  /** Storage key, for the follow-up query. */
  target: string;
  type: 'channel' | 'dm';
  /** Time of the latest message in the window, ms since epoch. */
  lastTime: number;
}

/** A room for TARGETS: its name, or its name and the start of its current life (see HistoryStore.query). */
export type ChannelSpan = string | { name: string; from?: number | undefined };

export interface HistoryStore {
  /**
   * History retention: when set, messages older than the time it returns (ms since epoch) are not
   * served, whether or not they are deleted yet (retention.ts).
   */
  keepSince: (() => number) | null;
  /**
   * CHATHISTORY LATEST/BEFORE/AFTER/AROUND/BETWEEN on one target key (channelKey()/dmKey()).
   * With `from` (ms), only messages at that time or later exist: a room's current life. It bounds
   * the range (a page is still `limit` long), and a msgid from before it is unknown.
   */
  query(target: string, req: HistoryRequest, from?: number): HistoryResult;
  /** The peer `party` last had a conversation with that was shown as `name` (TARGETS' name), or null. */
  peerNamed(party: string, name: string): string | null;
  /** Time of the newest stored message of a target key, or null. */
  newestTime(target: string): number | null;
  /**
   * CHATHISTORY TARGETS: DM conversations of `party` (account or nick) and the given channels that
   * have messages between the two times (exclusive, either order); ordered by latest message time,
   * oldest first, `limit` counted from `from`'s side.
   */
  targets(q: { party: string; channels: readonly ChannelSpan[]; from: number; to: number; limit: number }): HistoryTarget[];
}

// ---- read markers (draft/read-marker) ----------------------------------------------------------------

export interface ReadMarkerStore {
  /** ms since epoch, or null if never set. `target` is a channel name or a DM peer name (folded by the store). */
  get(account: string, target: string): number | null;
  /** Moves the marker forward only (spec: MARKREAD never goes back); returns the stored value. */
  set(account: string, target: string, time: number): number;
}

// ---- offline direct messages (issue 4) -----------------------------------------------------------------

/** DMs to an account that had no connection, waiting to be handed to it once. */
export interface OfflineQueueStore {
  /** Queues the stored message `msgid` for `account`; false if unknown or already queued. */
  add(account: string, msgid: string): boolean;
  /** The oldest `limit` queued messages for `account` (oldest first), removed from the queue. */
  take(account: string, limit: number): StoredMessage[];
  count(account: string): number;
}

// ---- the store ------------------------------------------------------------------------------------------

export interface StoreOptions {
  /** scrypt cost parameters for NEW hashes (old hashes keep theirs). Tests lower N to run fast. */
  scrypt?: { N: number; r: number; p: number };
  /**
   * Run message commits in a worker thread (storage/writer.ts) so the event loop is not blocked by
   * fsync. Default true; false writes on the caller's thread (the same durability either way).
   */
  writerThread?: boolean;
}

export interface Store {
  /** Absolute path of the SQLite file. */
  readonly path: string;
  readonly accounts: AccountStore;
  readonly channels: ChannelStore;
  readonly messages: MessageStore;
  readonly history: HistoryStore;
  readonly readMarkers: ReadMarkerStore;
  readonly offline: OfflineQueueStore;
  /** Reactions and redactions of stored messages (annotations.ts). */
  readonly annotations: AnnotationStore;
  /** Full-text search (search.ts). */
  readonly search: SqliteSearchStore;
  /** A guest's DMs moved to the account it logs in to (guestDms.ts). */
  readonly guestDms: GuestDmStore;
  /** Current schema version (PRAGMA user_version). */
  readonly schemaVersion: number;
  /** 'ok' or SQLite's list of problems. */
  integrityCheck(): string;
  /** Commits pending messages, checkpoints the WAL and closes the file. Idempotent. */
  close(): void;
}
