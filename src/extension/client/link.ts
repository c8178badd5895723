// What one connection offers the code that reacts to it (features, handlers, batches): what the
// server negotiated and advertised, who we are on it, and a way to write to it. An interface, so
// those files depend on this one and not on session.ts (which implements it): no import cycles.
import type { IsupportValue } from '../../protocol/isupport.ts';
import type { IrcMessage } from '../../protocol/message.ts';
import type { CapNegotiator } from './capabilities.ts';
import type { ChatEvent, ChatEventOf, ChatEventType } from './chatEvents.ts';
import type { ClientError } from './errors.ts';
import type { ClientEvents } from './events.ts';
import type { ClientOptions } from './options.ts';
import type { Registration } from './registration.ts';
import type { ChatState } from './state.ts';
import type { ChatMessage } from './types.ts';

export interface Link {
  readonly options: ClientOptions;
  /** The long-lived model (survives reconnects). */
  readonly state: ChatState;
  /**
   * Emitters for what is not a chat fact (server notices, errors, our nick and account, read
   * markers, capabilities). Chat facts go through emit(), typed, and nowhere else.
   */
  readonly events: Pick<ClientEvents, 'notice' | 'error' | 'nick' | 'account' | 'readMarker' | 'capabilities'>;
  readonly caps: CapNegotiator;
  readonly isupport: ReadonlyMap<string, IsupportValue>;
  readonly registration: Registration;
  /** Our nick (the one we asked for until 001 says otherwise). */
  readonly nick: string;
  readonly registered: boolean;
  readonly welcomed: boolean;
  /** Rooms JOINed in this session (so a rejoin never sends JOIN twice). */
  readonly joinSent: Set<string>;
  /** Announces a chat fact (chatEvents.ts). */
  emit(event: ChatEvent): void;
  send(msg: IrcMessage): void;
  /** PING with a fresh token (send confirmation without echo-message, keepalive). */
  ping(prefix: string): string;
  hasCap(name: string): boolean;
  /** A channel name by this server's CHANTYPES. */
  isChannel(name: string): boolean;
  isMe(nick: string): boolean;
  /** Our source as others see it, for line budgets. */
  selfSource(): string;
  /** A fatal problem: before registration it rejects connect(); either way the link is dropped. */
  fail(err: ClientError): void;
  /** Ends CAP negotiation once nothing needs the pre-registration phase any more. */
  maybeEndCap(): void;
}

/** Code that may emit only these chat events (a narrow context says which). */
export interface Emits<T extends ChatEventType> {
  readonly emit: (event: ChatEventOf<T>) => void;
}

/** Code that may fire only these of the non-chat emitters. */
export interface Fires<K extends keyof ClientEvents> {
  readonly events: Pick<ClientEvents, K>;
}

/** A batch being received: https://ircv3.net/specs/extensions/batch */
export interface OpenBatch {
  ref: string;
  type: string;
  params: string[];
  tags: Record<string, string>;
  source?: string;
  parent?: OpenBatch;
  /** Raw messages kept for batches handled as a whole (multiline). */
  messages: IrcMessage[];
  /** Messages assembled for chathistory (and search) batches. */
  collected: ChatMessage[];
  /** Reactions and deletions replayed in a chathistory batch: emitted after its messages. */
  annotations?: ChatEvent[];
}

/** What a handler learns about a line besides the line: its label and batch. */
export interface LineContext {
  /** labeled-response label, from the message or its enclosing batch. */
  label?: string;
  /** The innermost batch it arrived in. */
  batch?: OpenBatch;
}
