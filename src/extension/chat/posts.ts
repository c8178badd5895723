// What the view model tells the webview, coalesced: small updates go out at once; a snapshot or
// the conversation list, when due, goes out once per burst of changes (a microtask later).
import type { ConversationView, Snapshot, ToWebview } from '../../webview/messages.ts';

export class Posts {
  readonly #post: (message: ToWebview) => void;
  readonly #snapshot: () => Snapshot;
  readonly #conversations: () => ConversationView[];
  #snapshotDue = false;
  #conversationsDue = false;
  #flushQueued = false;

  constructor(post: (message: ToWebview) => void, snapshot: () => Snapshot, conversations: () => ConversationView[]) {
    this.#post = post;
    this.#snapshot = snapshot;
    this.#conversations = conversations;
  }

  /** Posts now (a line, a state change, typing...). */
  send(message: ToWebview): void {
    this.#post(message);
  }

  /** Everything the view shows changed: one snapshot at the end of the burst. */
  snapshotDue(): void {
    this.#snapshotDue = true;
    this.#schedule();
  }

  /** The conversation list (names, counts, presence) changed. */
  conversationsDue(): void {
    this.#conversationsDue = true;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(() => this.flush());
  }

  /** Posts what is due: one snapshot, or the conversation list. */
  flush(): void {
    this.#flushQueued = false;
    if (this.#snapshotDue) {
      this.#snapshotDue = false;
      this.#conversationsDue = false;
      this.#post({ type: 'snapshot', snapshot: this.#snapshot() });
    } else if (this.#conversationsDue) {
      this.#conversationsDue = false;
      this.#post({ type: 'conversations', conversations: this.#conversations() });
    }
  }
}
