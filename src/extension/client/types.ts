// Public shapes the client core hands to the extension. Plain data, no classes, so the extension
// can copy them into webview messages as they are.

export type ConnectionState = 'disconnected' | 'connecting' | 'registered' | 'reconnecting';

export type MessageKind = 'privmsg' | 'notice' | 'action';

export interface ChatMessage {
  /** The room, or the other party of a direct message. */
  target: string;
  from: string;
  text: string;
  /** server-time when the server sent it, else our receive time. */
  time: Date;
  msgid?: string;
  /** Sent by us (from this or, with echo-message, another connection of ours). */
  self: boolean;
  kind: MessageKind;
  /** For messages sent through this client: the id used by onDidChangeMessageState / retry. */
  localId?: string;
  /** The sender's account (account-tag), when the server says. */
  account?: string;
  /** Replayed from history (chathistory) rather than live. */
  history?: boolean;
  /** The msgid of the message this one answers (`+draft/reply`). */
  replyTo?: string;
  /** Deleted (REDACT) after it was received: `text` is empty. */
  redacted?: boolean;
}

/** A reaction given or taken back (`+draft/react` / `+draft/unreact` on TAGMSG, with `+draft/reply`). */
export interface Reaction {
  /** The conversation: the room, or the other party of a direct conversation. */
  target: string;
  /** The message reacted to. */
  msgid: string;
  nick: string;
  reaction: string;
  /** `+draft/unreact`: taken back. */
  remove: boolean;
  self: boolean;
  history?: boolean;
}

/** A message deleted (draft/message-redaction REDACT). */
export interface Redaction {
  target: string;
  msgid: string;
  /** Who deleted it. */
  by: string;
  reason?: string;
  history?: boolean;
}

/** One message found by SEARCH (soju.im/search). */
export interface SearchHit {
  /** The conversation it is in (room, or the other party of a DM). */
  target: string;
  from: string;
  text: string;
  time: Date;
  msgid?: string;
}

/** SEARCH criteria; all optional but at least one should be given. */
export interface SearchQuery {
  /** A room or nick. */
  in?: string;
  from?: string;
  after?: Date;
  before?: Date;
  text?: string;
  limit?: number;
}

/**
 * Delivery state of a sent message:
 * - pending: sent, not yet confirmed;
 * - delivered: the server accepted it (echo-message echo, or no error before a PING round trip);
 * - stored: the recipient is offline or away and the server keeps it for them;
 * - failed: the server refused it (`reason` has its words) or the connection dropped first.
 */
export type MessageState = 'pending' | 'delivered' | 'stored' | 'failed';

export interface MessageStateChange {
  localId: string;
  target: string;
  state: MessageState;
  /** Why it failed, or the away/offline notice for `stored`. */
  reason?: string;
  /** From the echo, when the server sent one. */
  msgid?: string;
  time?: Date;
  /** A direct message to someone away (RPL_AWAY): delivered, and this is their away message. */
  awayMessage?: string;
}

export type Presence = 'online' | 'away' | 'busy' | 'offline';

export interface UserInfo {
  nick: string;
  presence: Presence;
  /** The AWAY message without the busy marker. */
  awayMessage?: string;
  /** undefined: unknown; null: known to be logged out. */
  account?: string | null;
}

export interface MemberInfo {
  nick: string;
  /** Channel prefixes held, highest first, e.g. '@+'. */
  prefixes: string;
}

export interface RoomInfo {
  name: string;
  joined: boolean;
  topic?: string;
  topicSetBy?: string;
  members: MemberInfo[];
}

/** `disconnected`: the link dropped; the room is rejoined on reconnect. */
export type RoomChangeReason = 'joined' | 'parted' | 'kicked' | 'members' | 'topic' | 'disconnected';

export interface RoomChange {
  room: string;
  reason: RoomChangeReason;
  /** For kicked / parted: who did it and why. */
  by?: string;
  message?: string;
}

export type TypingState = 'active' | 'paused' | 'done';

export interface TypingChange {
  target: string;
  nick: string;
  state: TypingState;
}

export interface HistoryPage {
  target: string;
  /** Oldest first. */
  messages: ChatMessage[];
}

/** A NOTICE/FAIL/WARN/NOTE or numeric the user should see, not tied to a sent message. */
export interface ServerNotice {
  text: string;
  kind: 'notice' | 'fail' | 'warn' | 'note' | 'error';
  command?: string;
  code?: string;
}
