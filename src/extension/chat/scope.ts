// What the parts of the view model that react to client events (roomEvents.ts, messageEvents.ts)
// may read and change: the stores, and the few operations that also post to the webview.
import type { ChatLine } from '../../webview/messages.ts';
import type { Conversation, Conversations } from './conversations.ts';
import type { Lines } from './lines.ts';
import type { Annotations } from './annotations.ts';
import type { People } from './people.ts';
import type { Posts } from './posts.ts';

export interface ModelScope {
  readonly conversations: Conversations;
  readonly people: People;
  readonly lines: Lines;
  readonly posts: Posts;
  /** Reactions and deletions by msgid (annotations.ts). */
  readonly annotations: Annotations;
  /** A new line with what is known about it: reactions, deleted, the quote of its parent. */
  decorate(c: Conversation, line: ChatLine): ChatLine;
  /** Reactions or deletion of `msgid` changed: redraw its line (and replies quoting it) where shown. */
  annotated(c: Conversation, msgid: string): void;
  /** Our nick, for mentions and to skip our own typing. */
  selfNick(): string | undefined;
  /** The view is on screen (the open conversation is being read). */
  visible(): boolean;
  /** The conversation called `name`, created if new. */
  ensure(name: string, kind: 'room' | 'dm'): Conversation;
  /** Places a line and posts it when its conversation is shown; false if it was not added. */
  addLine(c: Conversation, line: ChatLine): boolean;
  /** Adds an event line ("alice joined") now. */
  eventLine(c: Conversation, text: string, from?: string): void;
  /** The member list changed: redraw it if it is shown. */
  membersChanged(c: Conversation): void;
  open(id: string): void;
}
