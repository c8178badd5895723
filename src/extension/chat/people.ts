// Who is around, as the view shows it: users with presence (from the client's presence events)
// and the member list of each room, sorted by rank then nick.
import type { MemberInfo, Presence, UserInfo } from '../client/types.ts';
import type { MemberView } from '../../webview/messages.ts';
import type { Conversation } from './conversations.ts';

const PREFIX_RANK = '~&@%+';

export class People {
  readonly #users = new Map<string, UserInfo>();
  readonly #fold: (name: string) => string;

  constructor(fold: (name: string) => string) {
    this.#fold = fold;
  }

  /** A presence event. */
  set(u: UserInfo): void {
    this.#users.set(this.#fold(u.nick), { ...u });
  }

  get(nick: string): UserInfo | undefined {
    return this.#users.get(this.#fold(nick));
  }

  /** A member we have no presence for yet is online (they are in the room). */
  seen(nick: string): void {
    const key = this.#fold(nick);
    if (!this.#users.has(key)) this.#users.set(key, { nick, presence: 'online' });
  }

  /** A nick change: the old nick is gone from the network (our own former nick included). */
  rename(from: string, to: string): void {
    const old = this.#users.get(this.#fold(from));
    this.#users.delete(this.#fold(from));
    if (!this.#users.has(this.#fold(to))) this.#users.set(this.#fold(to), old ? { ...old, nick: to } : { nick: to, presence: 'online' });
  }

  /** Nicks we know of (members and DM partners) other than `me`, sorted. */
  nicks(me: string | undefined): string[] {
    const mine = me !== undefined ? this.#fold(me) : undefined;
    return [...this.#users.values()].map((u) => u.nick).filter((n) => this.#fold(n) !== mine).sort((a, b) => a.localeCompare(b));
  }

  clear(): void {
    this.#users.clear();
  }

  /** Another CASEMAPPING: re-keys by it. */
  rekey(): void {
    const users = [...this.#users.values()];
    this.#users.clear();
    for (const u of users) this.#users.set(this.#fold(u.nick), u);
  }

  // ---- members of a room ----

  /** Replaces the member list (NAMES, our own JOIN). */
  setMembers(c: Conversation, members: readonly MemberInfo[]): void {
    c.members = new Map(members.map((m) => [this.#fold(m.nick), { ...m }]));
    for (const m of members) this.seen(m.nick);
  }

  addMember(c: Conversation, nick: string): void {
    const key = this.#fold(nick);
    if (!c.members.has(key)) c.members.set(key, { nick, prefixes: '' });
    this.seen(nick);
  }

  removeMember(c: Conversation, nick: string): boolean {
    return c.members.delete(this.#fold(nick));
  }

  renameMember(c: Conversation, from: string, to: string): boolean {
    const member = c.members.get(this.#fold(from));
    if (!member) return false;
    c.members.delete(this.#fold(from));
    c.members.set(this.#fold(to), { ...member, nick: to });
    this.seen(to);
    return true;
  }

  /** New prefixes for members (MODE). */
  updateMembers(c: Conversation, members: readonly MemberInfo[]): void {
    for (const m of members) {
      const member = c.members.get(this.#fold(m.nick));
      if (member) member.prefixes = m.prefixes;
    }
  }

  hasMember(c: Conversation, nick: string): boolean {
    return c.members.has(this.#fold(nick));
  }

  /** A DM partner's presence for the conversation list; offline while we are disconnected. */
  presenceOf(nick: string, connected: boolean): Presence {
    if (!connected) return 'offline';
    return this.get(nick)?.presence ?? 'offline';
  }

  membersView(c: Conversation): MemberView[] {
    if (c.kind !== 'room') return [];
    const rank = (p: string) => (p === '' ? PREFIX_RANK.length : PREFIX_RANK.indexOf(p[0]!) < 0 ? PREFIX_RANK.length - 1 : PREFIX_RANK.indexOf(p[0]!));
    return [...c.members.values()]
      .map((m): MemberView => {
        const u = this.get(m.nick);
        return {
          nick: m.nick,
          prefix: m.prefixes.slice(0, 1),
          presence: u?.presence === 'offline' || !u ? 'online' : u.presence,
          ...(u?.awayMessage !== undefined ? { statusMessage: u.awayMessage } : {}),
          ...(typeof u?.account === 'string' ? { account: u.account } : {}),
        };
      })
      .sort((a, b) => rank(a.prefix) - rank(b.prefix) || a.nick.localeCompare(b.nick, undefined, { sensitivity: 'base' }));
  }
}
