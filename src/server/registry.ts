// Who and what exists right now: clients by casefolded nick, rooms by casefolded name.
// CASEMAPPING=rfc1459 (src/protocol/casemap.ts): `Nick[]` and `nick{}` are the same nick.
import { casefold } from '../protocol/casemap.ts';
import { Channel } from './channel.ts';
import type { Client } from './client.ts';

export class Registry {
  /** Every connection, registered or not. */
  readonly clients = new Set<Client>();
  readonly #byNick = new Map<string, Client>();
  readonly #channels = new Map<string, Channel>();
  /** LUSERS figures, kept current so the welcome burst does not count every client (O(n²) for n registrations). */
  readonly #counts = { registered: 0, invisible: 0, opers: 0 };
  /** The most clients registered at once since start (RPL_LOCALUSERS / RPL_GLOBALUSERS "max"). */
  #peak = 0;

  fold(name: string): string {
    return casefold(name);
  }

  addClient(c: Client): void {
    this.clients.add(c);
  }

  /** Marks `c` registered and counts it (and its +i/+o, now and on every later change). */
  markRegistered(c: Client): void {
    if (c.registered) return;
    c.registered = true;
    const n = this.#counts;
    n.registered++;
    if (n.registered > this.#peak) this.#peak = n.registered;
    if (c.modes.has('i')) n.invisible++;
    if (c.modes.has('o')) n.opers++;
    c.modes.counters = n;
  }

  /** Registered clients, invisible (+i) and operators (+o) among them, connections not registered yet, and the most registered at once since start. */
  get counts(): { registered: number; invisible: number; opers: number; unregistered: number; peak: number } {
    const n = this.#counts;
    return { ...n, unregistered: this.clients.size - n.registered, peak: this.#peak };
  }

  removeClient(c: Client): void {
    if (!this.clients.delete(c)) return;
    if (c.registered && c.modes.counters) {
      c.modes.counters = null;
      const n = this.#counts;
      n.registered--;
      if (c.modes.has('i')) n.invisible--;
      if (c.modes.has('o')) n.opers--;
    }
    if (c.nick !== '*' && this.#byNick.get(casefold(c.nick)) === c) this.#byNick.delete(casefold(c.nick));
  }

  findNick(nick: string): Client | undefined {
    return this.#byNick.get(casefold(nick));
  }

  /** Claims `nick` for `c` (releasing its old one). The caller checked it is free. */
  setNick(c: Client, nick: string): void {
    if (c.nick !== '*' && this.#byNick.get(casefold(c.nick)) === c) this.#byNick.delete(casefold(c.nick));
    c.nick = nick;
    this.#byNick.set(casefold(nick), c);
  }

  /**
   * An unregistered client asks for an account's nick before logging in (NICK → AUTHENTICATE →
   * CAP END): it gets the nick as its own name but does not hold it, so a connection that never
   * logs in blocks no one; registration claims it once the login is in (or refuses it).
   */
  setTentativeNick(c: Client, nick: string): void {
    if (c.nick !== '*' && this.#byNick.get(casefold(c.nick)) === c) this.#byNick.delete(casefold(c.nick));
    c.nick = nick;
  }

  /** Gives up the client's nick (it goes back to '*', e.g. when registration refused it). */
  releaseNick(c: Client): void {
    if (c.nick !== '*' && this.#byNick.get(casefold(c.nick)) === c) this.#byNick.delete(casefold(c.nick));
    c.nick = '*';
  }

  get registeredCount(): number {
    return this.#counts.registered;
  }

  findChannel(name: string): Channel | undefined {
    return this.#channels.get(casefold(name));
  }

  /** Returns the room, creating an empty one when missing (`created` tells which). */
  getOrCreateChannel(name: string): { channel: Channel; created: boolean } {
    const folded = casefold(name);
    const existing = this.#channels.get(folded);
    if (existing) return { channel: existing, created: false };
    const channel = new Channel(name, folded);
    this.#channels.set(folded, channel);
    return { channel, created: true };
  }

  /** Forgets an empty unregistered room (registered rooms stay, with their topic and modes). */
  dropIfEmpty(ch: Channel): void {
    if (ch.members.size !== 0 || ch.registered) return;
    this.#channels.delete(ch.folded);
    this.lastDropAt = Date.now();
  }

  /** ms when a room was last dropped: a room created later starts its life after it (rooms.ts). */
  lastDropAt = 0;

  get channels(): IterableIterator<Channel> {
    return this.#channels.values();
  }
}
