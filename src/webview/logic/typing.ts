// When to tell others that I am typing (IRCv3 +typing, https://ircv3.net/specs/client-tags/typing):
// `active` at most every 3 s while keys are pressed, `paused` after 5 s without input, `done` when
// the text is sent or cleared. The clock is injected so tests drive it without sleeping.

export type TypingState = 'active' | 'paused' | 'done';

/** The spec: "clients SHOULD NOT send the active notification more than once every 3 seconds". */
export const ACTIVE_THROTTLE_MS = 3_000;
/** The spec suggests paused after a few seconds of inactivity; 5 s is its example. */
export const PAUSED_AFTER_MS = 5_000;

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export class TypingNotifier {
  readonly #send: (state: TypingState) => void;
  readonly #clock: Clock;
  #state: 'idle' | 'active' | 'paused' = 'idle';
  #lastActive = -Infinity;
  #timer: unknown;

  constructor(send: (state: TypingState) => void, clock: Clock) {
    this.#send = send;
    this.#clock = clock;
  }

  /** The composer's text changed to `text`. */
  input(text: string): void {
    if (text.trim() === '') {
      this.done();
      return;
    }
    const now = this.#clock.now();
    if (this.#state !== 'active' || now - this.#lastActive >= ACTIVE_THROTTLE_MS) {
      this.#state = 'active';
      this.#lastActive = now;
      this.#send('active');
    }
    this.#restartIdle();
  }

  /** Sent, cleared, or switched away: stop typing (only tells others if they were told we typed). */
  done(): void {
    this.#stopTimer();
    if (this.#state === 'idle') return;
    this.#state = 'idle';
    this.#lastActive = -Infinity;
    this.#send('done');
  }

  dispose(): void {
    this.#stopTimer();
  }

  #restartIdle(): void {
    this.#stopTimer();
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      if (this.#state !== 'active') return;
      this.#state = 'paused';
      this.#send('paused');
    }, PAUSED_AFTER_MS);
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** The indicator under the message list: "alice is typing…", "alice and bob are typing…". */
export function typingText(nicks: readonly string[]): string {
  const [a, b, c] = nicks;
  if (a === undefined) return '';
  if (b === undefined) return `${a} is typing…`;
  if (c === undefined) return `${a} and ${b} are typing…`;
  if (nicks.length === 3) return `${a}, ${b} and ${c} are typing…`;
  return 'Several people are typing…';
}
