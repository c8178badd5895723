// WHOWAS (RFC 2812 §3.6.3, https://modern.ircdocs.horse/#whowas-message): who used a nick that is
// no longer in use. A nick is remembered when its user leaves (QUIT, KILL, timeout: hook `quit`)
// and when its user changes to another nick (hook `nick`); the history lives in memory only.
//
//   WHOWAS <nick>{,<nick>} [<count>]
//   -> per entry, newest first: 314 RPL_WHOWASUSER <nick> <user> <host> * :<realname>
//                               312 RPL_WHOISSERVER <nick> <server> :<when it was left>
//      a nick never seen:       406 ERR_WASNOSUCHNICK <nick> :There was no such nickname
//      then once:               369 RPL_ENDOFWHOWAS <nick> :End of WHOWAS
//   no nick at all: 431 ERR_NONICKNAMEGIVEN.
//
// Like deployed servers and modern.ircdocs, WHOWAS shows every user, invisible (+i) ones too: it
// says no more than WHOIS said while they were here (nick, user, host, realname).
import {
  ERR_NONICKNAMEGIVEN,
  ERR_WASNOSUCHNICK,
  RPL_ENDOFWHOWAS,
  RPL_WHOISSERVER,
  RPL_WHOWASUSER,
} from '../../protocol/numerics.ts';
import type { Client } from '../client.ts';
import type { CommandContext, ServerContext } from '../context.ts';

/** Entries kept server-wide (oldest dropped first): bounded memory whatever the churn. */
export const WHOWAS_MAX_ENTRIES = 2000;
/** Entries kept per nick: a nick reused all day does not crowd out the others. */
export const WHOWAS_PER_NICK = 10;
/** Nicks answered per WHOWAS line (RFC 2812 allows a list; one reply burst must stay small). */
const MAX_NICKS_PER_REQUEST = 10;

export interface WhowasEntry {
  readonly nick: string;
  readonly user: string;
  readonly host: string;
  readonly realname: string;
  /** When the nick was left (ms since the epoch). */
  readonly leftAt: number;
}

/** A bounded history of left nicks: a ring of the last `capacity` entries, indexed by casefolded nick. */
export class WhowasHistory {
  readonly #fold: (nick: string) => string;
  readonly #capacity: number;
  readonly #perNick: number;
  /** Casefolded nick -> its entries, newest first. */
  readonly #byNick = new Map<string, WhowasEntry[]>();
  /** Every entry in arrival order; the slot after the newest holds the oldest. */
  readonly #ring: Array<WhowasEntry | undefined>;
  #next = 0;

  constructor(fold: (nick: string) => string, capacity = WHOWAS_MAX_ENTRIES, perNick = WHOWAS_PER_NICK) {
    this.#fold = fold;
    this.#capacity = capacity;
    this.#perNick = perNick;
    this.#ring = new Array<WhowasEntry | undefined>(capacity);
  }

  add(entry: WhowasEntry): void {
    const evicted = this.#ring[this.#next];
    if (evicted) this.#remove(evicted);
    this.#ring[this.#next] = entry;
    this.#next = (this.#next + 1) % this.#capacity;
    const key = this.#fold(entry.nick);
    let list = this.#byNick.get(key);
    if (!list) this.#byNick.set(key, (list = []));
    list.unshift(entry);
    // Dropped from the nick's list here; its ring slot is reused in time (#remove then finds nothing).
    if (list.length > this.#perNick) list.length = this.#perNick;
  }

  /** Entries for `nick`, newest first; `count` > 0 limits them. */
  lookup(nick: string, count = 0): readonly WhowasEntry[] {
    const list = this.#byNick.get(this.#fold(nick)) ?? [];
    return count > 0 ? list.slice(0, count) : list.slice();
  }

  /** Entries held (for tests and diagnostics). */
  get size(): number {
    let n = 0;
    for (const list of this.#byNick.values()) n += list.length;
    return n;
  }

  #remove(entry: WhowasEntry): void {
    const key = this.#fold(entry.nick);
    const list = this.#byNick.get(key);
    if (!list) return;
    // The oldest entry of the ring is the oldest of its nick: normally the last one.
    const i = list.lastIndexOf(entry);
    if (i === -1) return;
    list.splice(i, 1);
    if (list.length === 0) this.#byNick.delete(key);
  }
}

function entryFor(client: Client, nick: string): WhowasEntry {
  return { nick, user: client.user, host: client.host, realname: client.realname, leftAt: Date.now() };
}

/** Records left nicks from the hooks and answers WHOWAS. Returns the history (tests, other modules). */
export function installWhowas(server: ServerContext): WhowasHistory {
  const history = new WhowasHistory((n) => server.registry.fold(n));
  server.hooks.on('quit', (client) => {
    if (client.nick !== '*') history.add(entryFor(client, client.nick));
  });
  server.hooks.on('nick', (client, oldNick) => {
    // A change of case only (nick -> Nick) leaves no nick behind.
    if (server.registry.fold(oldNick) !== server.registry.fold(client.nick)) history.add(entryFor(client, oldNick));
  });
  server.commands.add('WHOWAS', { handler: (ctx) => whowasHandler(ctx, history), minParams: 0 });
  return history;
}

function whowasHandler({ server, msg, reply }: CommandContext, history: WhowasHistory): void {
  const param = msg.params[0] ?? '';
  const nicks = param.split(',').filter((n) => n !== '').slice(0, MAX_NICKS_PER_REQUEST);
  if (nicks.length === 0) return reply.numeric(ERR_NONICKNAMEGIVEN, 'No nickname given');
  // "If <count> is not positive, a full search is done" (RFC 2812 §3.6.3); irssi sends `WHOWAS nick 1`.
  const countParam = msg.params[1];
  const count = countParam !== undefined && /^[0-9]{1,9}$/.test(countParam) ? Number(countParam) : 0;
  for (const nick of nicks) {
    const entries = history.lookup(nick, count);
    if (entries.length === 0) {
      reply.numeric(ERR_WASNOSUCHNICK, nick, 'There was no such nickname');
      continue;
    }
    for (const e of entries) {
      reply.numeric(RPL_WHOWASUSER, e.nick, e.user || '~u', e.host, '*', e.realname);
      reply.numeric(RPL_WHOISSERVER, e.nick, server.name, new Date(e.leftAt).toUTCString());
    }
  }
  reply.numeric(RPL_ENDOFWHOWAS, nicks.join(','), 'End of WHOWAS');
}
