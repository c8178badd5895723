// Rate limit for `+typing` notifications (https://ircv3.net/specs/client-tags/typing): typing is
// best effort, so excess is dropped silently. Per client and target: `active` at most once per
// TYPING_INTERVAL_MS (the spec asks clients to resend it every 3 s at most); `paused`/`done`
// whenever they change the state, so an indicator is always cleared.
import type { Client } from '../client.ts';

export const TYPING_TAG = '+typing';
export const TYPING_INTERVAL_MS = 2000;
/** Targets remembered per client; older entries are forgotten first (memory bound). */
const MAX_TARGETS = 64;

interface Last {
  at: number;
  state: string;
}

export class TypingLimiter {
  readonly #last = new WeakMap<Client, Map<string, Last>>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Whether a `+typing=<state>` from `client` to the (casefolded) `target` should be relayed. */
  allow(client: Client, target: string, state: string): boolean {
    let map = this.#last.get(client);
    if (!map) this.#last.set(client, (map = new Map()));
    const now = this.#now();
    const last = map.get(target);
    const ok = last === undefined || (state === 'active' ? now - last.at >= TYPING_INTERVAL_MS || last.state !== 'active' : state !== last.state);
    if (!ok) return false;
    map.delete(target); // re-insert: Map order is then least recently used first
    map.set(target, { at: now, state });
    if (map.size > MAX_TARGETS) map.delete(map.keys().next().value!);
    return true;
  }
}
