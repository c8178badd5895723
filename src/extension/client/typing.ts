// `+typing` client tag over TAGMSG (https://ircv3.net/specs/client-tags/typing). Sending is
// throttled: `active` at most every 3 s per conversation (the spec's recommendation), and `done`
// goes out when the message is sent (only if we had said `active`/`paused` there). A received
// `active`/`paused` expires after 6 s without an update; the typist's message also ends it.
import { CAP } from '../../protocol/caps.ts';
import { ircMessage } from '../../protocol/message.ts';
import type { Emits, Link } from './link.ts';
import type { TypingState } from './types.ts';

export const TYPING_TAG = '+typing';
export const TYPING_THROTTLE_MS = 3000;
export const TYPING_EXPIRY_MS = 6000;

export class Typing {
  /** Last `active` we sent per conversation (ms), to throttle. */
  readonly #sentActive = new Map<string, number>();
  /** Expiry timers of what others are doing, keyed by conversation + nick. */
  readonly #timers = new Map<string, { timer: ReturnType<typeof setTimeout>; target: string; nick: string }>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  supported(s: Pick<Link, 'hasCap'>): boolean {
    return s.hasCap(CAP.messageTags);
  }

  /** Tells the others in `target` what we are doing; returns whether a TAGMSG went out. */
  send(s: Pick<Link, 'hasCap' | 'registered' | 'send' | 'state'>, target: string, state: TypingState): boolean {
    if (!this.supported(s) || !s.registered) return false;
    const key = s.state.fold(target);
    const last = this.#sentActive.get(key);
    if (state === 'active') {
      if (last !== undefined && this.#now() - last < TYPING_THROTTLE_MS) return false;
      this.#sentActive.set(key, this.#now());
    } else {
      // Nothing to retract if we never said we were typing.
      if (last === undefined) return false;
      this.#sentActive.delete(key);
    }
    s.send(ircMessage('TAGMSG', [target], undefined, { [TYPING_TAG]: state }));
    return true;
  }

  /** A message is being sent to `target`: if we said we were typing there, say `done` first. */
  sent(s: Pick<Link, 'hasCap' | 'registered' | 'send' | 'state'>, target: string): void {
    this.send(s, target, 'done');
  }

  /** Someone's typing state (from TAGMSG, or `done` implied by their message / part / quit). */
  received(s: Pick<Link, 'state'> & Emits<'typing'>, target: string, nick: string, state: TypingState): void {
    const key = `${s.state.fold(target)} ${s.state.fold(nick)}`;
    const existing = this.#timers.get(key);
    if (existing) clearTimeout(existing.timer);
    if (state === 'done') {
      if (!existing) return;
      this.#timers.delete(key);
      s.emit({ type: 'typing', typing: { target: existing.target, nick, state: 'done' } });
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      s.emit({ type: 'typing', typing: { target, nick, state: 'done' } });
    }, TYPING_EXPIRY_MS);
    timer.unref?.();
    this.#timers.set(key, { timer, target, nick });
    s.emit({ type: 'typing', typing: { target, nick, state } });
  }

  dispose(): void {
    for (const t of this.#timers.values()) clearTimeout(t.timer);
    this.#timers.clear();
  }
}
