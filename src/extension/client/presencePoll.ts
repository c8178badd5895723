// Presence of watched users on a server without MONITOR (ngircd): USERHOST every `intervalMs`.
// RFC 2812 §4.8: USERHOST takes up to five nicks and answers 302 with `nick[*]=(+|-)user@host` for
// each one that is online, `-` meaning away. A watched nick missing from the answer is offline.
// USERHOST says nothing of the away text, so a known busy/away presence is kept while the flag
// says away. Replies are matched to requests in order; a 302 nobody asked for (a /quote) is left
// alone.
import { ircMessage, type IrcMessage } from '../../protocol/message.ts';
import type { Link } from './link.ts';
import type { Presence } from './types.ts';

/** RFC 2812 §4.8: at most five nicks per USERHOST. */
const NICKS_PER_USERHOST = 5;
const REPLY_ENTRY = /^([^=*\s]+)(\*)?=([+-])/;

export class PresencePoll {
  readonly #intervalMs: number;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Nick lists of the USERHOSTs sent and not answered yet, oldest first. */
  #pending: string[][] = [];

  /** `intervalMs` 0 turns polling off. */
  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /** Whether this session needs polling: registered, and no MONITOR advertised. */
  applies(s: Pick<Link, 'isupport'>): boolean {
    return this.#intervalMs > 0 && !s.isupport.has('MONITOR');
  }

  /** After the welcome: poll `watched()` now and then every interval, for this session. */
  start(s: Pick<Link, 'isupport' | 'registered' | 'send'>, watched: () => Iterable<string>): void {
    this.stop();
    if (!this.applies(s)) return;
    this.poll(s, [...watched()]);
    this.#timer = setInterval(() => {
      if (s.registered) this.poll(s, [...watched()]);
    }, this.#intervalMs);
    this.#timer.unref?.();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#pending = [];
  }

  /** Asks for `nicks` now (a newly watched nick need not wait for the next round). */
  poll(s: Pick<Link, 'isupport' | 'send'>, nicks: readonly string[]): void {
    if (!this.applies(s)) return;
    for (let i = 0; i < nicks.length; i += NICKS_PER_USERHOST) {
      const group = nicks.slice(i, i + NICKS_PER_USERHOST);
      this.#pending.push(group);
      s.send(ircMessage('USERHOST', group));
    }
  }

  /** 302 RPL_USERHOST: `<me> :nick*=+user@host nick2=-user@host`. Returns the presences learnt. */
  reply(s: Pick<Link, 'state'>, msg: IrcMessage): Map<string, Presence> {
    const learnt = new Map<string, Presence>();
    const asked = this.#pending.shift();
    if (asked === undefined) return learnt;
    const seen = new Map<string, '+' | '-'>();
    for (const entry of (msg.params[1] ?? '').split(' ')) {
      const m = REPLY_ENTRY.exec(entry);
      if (m) seen.set(s.state.fold(m[1]!), m[3] as '+' | '-');
    }
    for (const nick of asked) {
      const flag = seen.get(s.state.fold(nick));
      const known = s.state.user(nick)?.presence;
      if (flag === undefined) learnt.set(nick, 'offline');
      else if (flag === '+') learnt.set(nick, 'online');
      else learnt.set(nick, known === 'busy' || known === 'away' ? known : 'away');
    }
    return learnt;
  }
}
