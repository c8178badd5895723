// What happened in the chat, as the client core says it: one typed event per fact, so nobody
// downstream reconstructs it by comparing snapshots (who joined, who was renamed...). Plain data.
// IrcClient.onDidChat carries them all; the older per-topic events (onDidChangeRoom,
// onDidChangeUser, onDidMessage...) are derived from the same events (events.ts).
import type { ChatMessage, HistoryPage, MemberInfo, MessageStateChange, Reaction, Redaction, TypingChange, UserInfo } from './types.ts';

export type ChatEvent =
  /** Someone (or we: `self`) joined a room. */
  | { type: 'joined'; room: string; nick: string; self: boolean }
  /** The room's member list as NAMES gave it: a baseline, not joins. */
  | { type: 'names'; room: string; members: MemberInfo[] }
  | { type: 'parted'; room: string; nick: string; self: boolean; reason?: string }
  | { type: 'kicked'; room: string; nick: string; self: boolean; by: string; reason?: string }
  /** Someone left the network; `rooms` are the rooms we shared with them. */
  | { type: 'quit'; nick: string; rooms: string[]; reason?: string }
  /** A nick change; `rooms` are the rooms we share with them. */
  | { type: 'renamed'; from: string; to: string; self: boolean; rooms: string[] }
  /** `by`: a live TOPIC change by that nick; without it, the topic as the server reported it. */
  | { type: 'topic'; room: string; topic?: string; by?: string }
  /** Member prefixes changed (MODE +o/-v...): each member's prefixes after the change. */
  | { type: 'mode'; room: string; members: MemberInfo[] }
  /** Our link dropped: we are out of the room until the rejoin. */
  | { type: 'disconnected'; room: string; reason: string }
  | { type: 'presence'; user: UserInfo }
  | { type: 'typing'; typing: TypingChange }
  /** A message shown in a conversation: received, replayed (history), or our own at send time. */
  | { type: 'message'; message: ChatMessage }
  /** A page of history arrived (LATEST on join, or BEFORE for loadOlder). */
  | { type: 'historyPage'; page: HistoryPage }
  /** One of our messages moved on: pending → delivered | stored | failed. */
  | { type: 'delivery'; change: MessageStateChange }
  /** A reaction to a message given or taken back (live, or replayed with history). */
  | { type: 'reaction'; reaction: Reaction }
  /** A message was deleted (REDACT): its text is gone from history too. */
  | { type: 'redaction'; redaction: Redaction };

export type ChatEventType = ChatEvent['type'];
export type ChatEventOf<T extends ChatEventType> = Extract<ChatEvent, { type: T }>;

/** What the events of a room say about it, for consumers that handle rooms alike. */
export type RoomEvent = ChatEventOf<'joined' | 'names' | 'parted' | 'kicked' | 'topic' | 'mode' | 'disconnected'>;
