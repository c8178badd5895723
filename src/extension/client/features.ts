// The long-lived feature state that spans sessions (history requests, typing timers, account,
// our status, the MONITOR list, rooms to rejoin) and what a session asks of them at its milestones.
// Every feature checks what the server negotiated (CAP) or advertised (ISUPPORT) first, so a bare
// RFC 1459 server (ngircd) gets plain IRC and nothing it would reject.
import { CAP } from '../../protocol/caps.ts';
import { ircMessage } from '../../protocol/message.ts';
import { isChannelName } from '../../protocol/validate.ts';
import { Accounts } from './accounts.ts';
import { History } from './history.ts';
import { Search } from './search.ts';
import { awayCommand, WHOX_FIELDS } from './presence.ts';
import { PresencePoll } from './presencePoll.ts';
import type { Emits, Fires, Link } from './link.ts';
import type { ChatEvent } from './chatEvents.ts';
import type { ClientEvents } from './events.ts';
import type { ChatState } from './state.ts';
import { Typing } from './typing.ts';

export type Status = 'online' | 'away' | 'busy';

/** What watching a nick needs of the connection (none: remembered for the next one). */
type Watcher = Pick<Link, 'isChannel' | 'registered' | 'welcomed' | 'isupport' | 'send'>;

export class Features {
  readonly history = new History();
  readonly search = new Search();
  readonly typing = new Typing();
  readonly accounts = new Accounts();
  readonly presence = {
    /** 305/306: the server confirms our own away state. */
    ownAway: (s: Pick<Link, 'state' | 'nick'> & Emits<'presence'>, away: boolean) => {
      const user = s.state.ensureUser(s.nick);
      const presence = away ? (this.status === 'online' ? 'away' : this.status) : 'online';
      if (s.state.setPresence(s.nick, presence, away ? this.statusMessage : undefined)) s.emit({ type: 'presence', user: { ...user } });
    },
  };
  /** Our chosen status, re-sent after a reconnect. */
  status: Status = 'online';
  statusMessage: string | undefined;
  /** Nicks watched with MONITOR, or polled without it (kept in ChatState, keyed by its casefold). */
  readonly monitored: Map<string, string>;
  readonly #state: ChatState;
  /** Presence of watched nicks on a server without MONITOR (USERHOST). */
  readonly presencePoll: PresencePoll;
  readonly #historyOnJoin: number;

  /** The connection of the moment (attach), while there is one. */
  #link: Link | undefined;

  constructor(state: ChatState, events: ClientEvents, historyOnJoin: number, presencePollMs: number) {
    this.#state = state;
    this.monitored = state.watched;
    events.settled.event((e) => this.#followUp(e));
    this.#historyOnJoin = historyOnJoin;
    this.presencePoll = new PresencePoll(presencePollMs);
  }

  /** A new connection: follow-ups of its events go to it. */
  attach(link: Link): void {
    this.#link = link;
  }

  /** What the core does after an event, once every listener has seen it. */
  #followUp(e: ChatEvent): void {
    const s = this.#link;
    switch (e.type) {
      case 'joined':
        // We joined: ask who is away (WHO/WHOX) and what was said (CHATHISTORY LATEST).
        if (e.self && s) this.#joinedRoom(s, e.room);
        return;
      case 'parted':
      case 'kicked':
        if (!e.self && s) this.#forgetUser(s, e.nick);
        return;
      case 'quit':
        if (s) this.#forgetUser(s, e.nick);
        return;
      case 'delivery': {
        // A DM that arrived makes its recipient a partner whose presence we follow (MONITOR);
        // a typo'd nick (401) does not take a slot of the server's MONITOR limit.
        const { state, target } = e.change;
        if ((state === 'delivered' || state === 'stored') && !(s ? s.isChannel(target) : isChannelName(target))) this.watch(s, target);
        return;
      }
    }
  }

  /** End of MOTD after registration: put the session where the user left the last one. */
  afterWelcome(s: Link): void {
    for (const room of s.state.rooms.values()) if (room.wanted) this.sendJoin(s, room.name, room.key);
    if (this.status !== 'online') s.send(awayCommand(this.status, this.statusMessage));
    this.sendMonitor(s, '+', [...this.monitored.values()]);
    this.presencePoll.start(s, () => this.monitored.values());
    if (this.#historyOnJoin > 0) this.history.requestTargets(s);
    const o = s.options;
    if (o.sasl && !s.caps.has(CAP.sasl)) {
      s.events.notice.fire({ kind: 'warn', text: 'The server does not offer SASL: connected without logging in' });
    }
    if (o.registerAccount && !this.accounts.preRegisterDone && this.accounts.account == null) {
      if (this.accounts.supported(s)) {
        this.accounts.sendRegister(s, o.registerAccount).catch((err) => s.events.error.fire(err));
      } else {
        s.events.notice.fire({ kind: 'warn', text: 'The server does not support account registration' });
      }
    }
  }

  sendJoin(s: Pick<Link, 'joinSent' | 'send' | 'state'>, name: string, key?: string): void {
    const fold = s.state.fold(name);
    if (s.joinSent.has(fold)) return;
    s.joinSent.add(fold);
    s.send(ircMessage('JOIN', key ? [name, key] : [name]));
  }

  #joinedRoom(s: Link, name: string): void {
    s.send(ircMessage('WHO', s.isupport.has('WHOX') ? [name, WHOX_FIELDS] : [name]));
    if (this.#historyOnJoin > 0) this.history.latest(s, name, this.#historyOnJoin).catch(() => {});
  }

  targetsReceived(s: Pick<Link, 'hasCap' | 'isupport' | 'send' | 'state' | 'isChannel' | 'isMe'>, targets: Array<{ target: string; time?: Date }>): void {
    this.history.targetsReceived(s, targets, this.#historyOnJoin);
  }

  /** Watch a direct-message partner's presence (MONITOR when the server has it). */
  watch(s: Watcher | undefined, nick: string): void {
    if (nick === '' || (s ? s.isChannel(nick) : isChannelName(nick))) return;
    const key = this.#state.fold(nick);
    if (this.monitored.has(key)) return;
    this.monitored.set(key, nick);
    if (s?.registered && s.welcomed) {
      this.sendMonitor(s, '+', [nick]);
      this.presencePoll.poll(s, [nick]);
    }
  }

  unwatch(s: Pick<Link, 'registered' | 'isupport' | 'send'> | undefined, nick: string): void {
    if (!this.monitored.delete(this.#state.fold(nick))) return;
    if (s?.registered) this.sendMonitor(s, '-', [nick]);
  }

  /** MONITOR +/- in lines that fit 512 bytes, within the ISUPPORT MONITOR limit. */
  sendMonitor(s: Pick<Link, 'isupport' | 'send'>, op: '+' | '-', nicks: string[]): void {
    const limitToken = s.isupport.get('MONITOR');
    if (limitToken === undefined || nicks.length === 0) return;
    const limit = limitToken === true ? Infinity : Number(limitToken) || Infinity;
    const list = op === '+' ? nicks.slice(0, limit) : nicks;
    let line: string[] = [];
    let bytes = 0;
    const flush = () => {
      if (line.length > 0) s.send(ircMessage('MONITOR', [op, line.join(',')]));
      line = [];
      bytes = 0;
    };
    for (const nick of list) {
      if (bytes + nick.length + 1 > 400) flush();
      line.push(nick);
      bytes += nick.length + 1;
    }
    flush();
  }

  /** A user left our sight: keep them only if we watch them, or talk with them. */
  #forgetUser(s: Link, nick: string): void {
    s.state.forgetIfUnseen(nick, (n) => this.monitored.has(s.state.fold(n)) || s.state.conversations.has(s.state.fold(n)));
  }

  /** 421 for something we tried: settle whoever waits for it. */
  unknownCommand(s: Pick<Link, 'fail' | 'registration' | 'state'> & Fires<'error'>, command: string, text: string, label?: string): void {
    if (command === 'REGISTER') this.accounts.failed(s, 'UNKNOWN_COMMAND', text || 'not supported by the server');
    else if (command === 'CHATHISTORY') this.history.failed(s, undefined, text, 'UNKNOWN_COMMAND');
    else if (command === 'SEARCH') this.search.failed(text || 'not supported by the server', 'UNKNOWN_COMMAND', label);
  }

  /** The link is gone: settle every waiter. */
  connectionLost(reason: string): void {
    this.#link = undefined;
    this.presencePoll.stop();
    this.history.abortAll(reason);
    this.search.abortAll(reason);
    this.accounts.abortAll(reason);
  }

  dispose(): void {
    this.presencePoll.stop();
    this.typing.dispose();
  }
}
