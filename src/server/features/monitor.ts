// MONITOR (https://ircv3.net/specs/extensions/monitor): a client lists nicks it wants to hear
// about and gets 730 RPL_MONONLINE / 731 RPL_MONOFFLINE when they connect, leave or change nick.
// `MONITOR + a,b`, `- a,b`, `C` (clear), `L` (list: 732/733), `S` (status). ISUPPORT MONITOR=<limit>;
// past it 734 ERR_MONLISTFULL. With extended-monitor (+ away-notify) watchers also get the
// watched nick's AWAY changes (presence.ts asks `watchersOf`), an AWAY line right after 730 for a
// user who is away, and ACCOUNT when a watched user logs in (with account-notify).
import { CAP } from '../../protocol/caps.ts';
import { ERR_MONLISTFULL, ERR_NEEDMOREPARAMS, RPL_ENDOFMONLIST, RPL_MONLIST, RPL_MONOFFLINE, RPL_MONONLINE } from '../../protocol/numerics.ts';
import type { Client } from '../client.ts';
import type { CommandContext, ServerContext } from '../context.ts';
import { Outgoing } from '../outgoing.ts';
import { eventTags } from '../msgtags.ts';
import { peersOf } from '../peers.ts';
import { awayLine } from './presence.ts';

/** Nicks one client may monitor (ISUPPORT MONITOR). */
export const MONITOR_LIMIT = 100;
/** Bytes of targets per 730-732 line: room for the prefix, numeric and nick in 512 bytes. */
const LIST_BYTES = 400;
/** Nick-shaped: no separators or spaces; anything else is ignored (it could never come online). */
const NICKISH = /^[^\s,*?!@#:][^\s,*?!@]{0,63}$/;

export class Monitor {
  readonly #server: ServerContext;
  /** Casefolded nick -> clients watching it. */
  readonly #watchers = new Map<string, Set<Client>>();
  /** Client -> its list (casefolded -> as given). */
  readonly #lists = new WeakMap<Client, Map<string, string>>();

  constructor(server: ServerContext) {
    this.#server = server;
    server.caps.register({ name: CAP.extendedMonitor });
    server.isupport.set('MONITOR', String(MONITOR_LIMIT));
    server.commands.add('MONITOR', { handler: (ctx) => this.#handle(ctx), minParams: 1 });
    server.hooks.on('registered', (c) => this.#notify(c.nick, RPL_MONONLINE, c.hostmask));
    server.hooks.on('nick', (c, old) => {
      // A change of case only (qux -> QUX) is the same monitored nick: nobody went on- or offline.
      if (server.registry.fold(old) === server.registry.fold(c.nick)) return;
      this.#notify(old, RPL_MONOFFLINE, old);
      this.#notify(c.nick, RPL_MONONLINE, c.hostmask);
    });
    server.hooks.on('login', (c) => {
      if (!c.registered || c.account === null) return;
      const out = new Outgoing({ tags: {}, source: c.hostmask, command: 'ACCOUNT', params: [c.account] }, eventTags(c));
      const peers = peersOf(c); // they got it from the core already (account-notify)
      for (const w of this.watchersOf(c.nick)) {
        if (w !== c && !peers.has(w) && w.has(CAP.extendedMonitor) && w.has(CAP.accountNotify)) w.send(out);
      }
    });
    server.hooks.on('quit', (c) => {
      this.#clear(c);
      this.#notify(c.nick, RPL_MONOFFLINE, c.nick);
    });
  }

  /** Clients monitoring `nick`. */
  watchersOf(nick: string): ReadonlySet<Client> {
    return this.#watchers.get(this.#server.registry.fold(nick)) ?? new Set();
  }

  #notify(nick: string, numeric: string, text: string): void {
    const set = this.#watchers.get(this.#server.registry.fold(nick));
    if (!set) return;
    const online = numeric === RPL_MONONLINE ? this.#server.registry.findNick(nick) : undefined;
    for (const w of set) {
      w.send(new Outgoing({ tags: {}, source: this.#server.name, command: numeric, params: [w.nick, text] }));
      if (online) this.#awayFollowUp(w, online, (o) => w.send(o));
    }
  }

  /**
   * extended-monitor + away-notify: a watched user who comes online (or is listed) while away is
   * followed by its AWAY line, so the watcher knows "away"/"busy" without sharing a room.
   */
  #awayFollowUp(w: Client, c: Client, send: (o: Outgoing) => void): void {
    if (c.away !== null && w.has(CAP.extendedMonitor) && w.has(CAP.awayNotify)) send(awayLine(c));
  }

  #clear(c: Client): void {
    const list = this.#lists.get(c);
    if (!list) return;
    for (const key of list.keys()) this.#unwatch(c, key);
    this.#lists.delete(c);
  }

  #unwatch(c: Client, key: string): void {
    const set = this.#watchers.get(key);
    set?.delete(c);
    if (set?.size === 0) this.#watchers.delete(key);
  }

  #handle({ server, client, msg, reply }: CommandContext): void {
    const op = msg.params[0]!.toUpperCase();
    const targets = (msg.params[1] ?? '').split(',').filter((t) => t !== '');
    let list = this.#lists.get(client);
    switch (op) {
      case '+': {
        if (targets.length === 0) return reply.numeric(ERR_NEEDMOREPARAMS, 'MONITOR', 'Not enough parameters');
        if (!list) this.#lists.set(client, (list = new Map()));
        const added: string[] = [];
        for (let i = 0; i < targets.length; i++) {
          const nick = targets[i]!;
          if (!NICKISH.test(nick)) continue;
          const key = server.registry.fold(nick);
          if (list.has(key)) continue;
          if (list.size >= MONITOR_LIMIT) {
            reply.numeric(ERR_MONLISTFULL, String(MONITOR_LIMIT), targets.slice(i).join(','), 'Monitor list is full.');
            break;
          }
          list.set(key, nick);
          let set = this.#watchers.get(key);
          if (!set) this.#watchers.set(key, (set = new Set()));
          set.add(client);
          added.push(nick);
        }
        return this.#status(reply, added);
      }
      case '-':
        if (targets.length === 0) return reply.numeric(ERR_NEEDMOREPARAMS, 'MONITOR', 'Not enough parameters');
        for (const nick of targets) {
          const key = server.registry.fold(nick);
          if (list?.delete(key)) this.#unwatch(client, key);
        }
        return;
      case 'C':
        return this.#clear(client);
      case 'L':
        for (const chunk of chunks([...(list?.values() ?? [])])) reply.numeric(RPL_MONLIST, chunk);
        return reply.numeric(RPL_ENDOFMONLIST, 'End of MONITOR list');
      case 'S':
        return this.#status(reply, [...(list?.values() ?? [])]);
      default:
        // Unknown subcommands are ignored by deployed servers; say why instead.
        return reply.fail('MONITOR', 'INVALID_PARAMS', 'MONITOR takes +, -, C, L or S', msg.params[0]!);
    }
  }

  /** 730 for the online ones (nick!user@host), 731 for the others. */
  #status(reply: CommandContext['reply'], nicks: string[]): void {
    const online: Client[] = [];
    const offline: string[] = [];
    for (const nick of nicks) {
      const c = this.#server.registry.findNick(nick);
      if (c?.registered) online.push(c);
      else offline.push(nick);
    }
    for (const chunk of chunks(online.map((c) => c.hostmask))) reply.numeric(RPL_MONONLINE, chunk);
    for (const chunk of chunks(offline)) reply.numeric(RPL_MONOFFLINE, chunk);
    for (const c of online) this.#awayFollowUp(reply.client, c, (o) => reply.send(o));
  }
}

/** Comma-joined lists that fit one line each. */
function chunks(items: string[]): string[] {
  const out: string[] = [];
  let cur = '';
  for (const item of items) {
    if (cur !== '' && Buffer.byteLength(cur) + 1 + Buffer.byteLength(item) > LIST_BYTES) {
      out.push(cur);
      cur = item;
    } else cur = cur === '' ? item : `${cur},${item}`;
  }
  if (cur !== '') out.push(cur);
  return out;
}
