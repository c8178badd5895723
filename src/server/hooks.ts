// Events the core emits so feature modules can react without the core knowing them:
// MONITOR watches registered/quit/nick, away-notify watches away, offline delivery watches
// registered, history watches stored messages. Listeners run synchronously; a throwing listener is
// logged and does not stop the others.
import type { Channel } from './channel.ts';
import type { Client } from './client.ts';
import type { Reply } from './reply.ts';
import type { StoredMessage } from './storage/types.ts';

export interface HookEvents {
  /** Registration completed (after the welcome burst). */
  registered: [client: Client];
  /** The client left (QUIT, KILL, error, timeout); already removed from rooms and the nick table. */
  quit: [client: Client, reason: string];
  nick: [client: Client, oldNick: string];
  away: [client: Client];
  /** Logged in (SASL or REGISTER). */
  login: [client: Client];
  /** A JOIN is done, NAMES included: lines a module adds to `reply` follow RPL_ENDOFNAMES. */
  join: [client: Client, channel: Channel, reply: Reply];
  /**
   * During a JOIN, after the JOIN line (and topic) and before NAMES: lines a module adds to `reply`
   * reach the joining client before RPL_ENDOFNAMES (draft/read-marker requires its MARKREAD there).
   */
  joinReply: [client: Client, channel: Channel, reply: Reply];
  part: [client: Client, channel: Channel];
  /** A PRIVMSG/NOTICE was stored and relayed. `target` is a room or a nick as the sender wrote it. */
  message: [client: Client, target: string, stored: StoredMessage];
}

type Listener<A extends unknown[]> = (...args: A) => void;

export class Hooks {
  readonly #listeners: { [K in keyof HookEvents]?: Array<Listener<HookEvents[K]>> } = {};
  readonly #onError: (err: unknown) => void;

  constructor(onError: (err: unknown) => void) {
    this.#onError = onError;
  }

  on<K extends keyof HookEvents>(event: K, fn: Listener<HookEvents[K]>): () => void {
    const list = (this.#listeners[event] ??= []) as Array<Listener<HookEvents[K]>>;
    list.push(fn);
    return () => {
      const i = list.indexOf(fn);
      if (i !== -1) list.splice(i, 1);
    };
  }

  emit<K extends keyof HookEvents>(event: K, ...args: HookEvents[K]): void {
    const list = this.#listeners[event] as Array<Listener<HookEvents[K]>> | undefined;
    if (!list) return;
    for (const fn of list) {
      try {
        fn(...args);
      } catch (err) {
        this.#onError(err);
      }
    }
  }
}
