// One room: its members with their prefixes, its topic and modes, bans and invitations.
// Channel modes follow RFC 2811 §4 and modern.ircdocs.horse#channel-modes; we advertise
// CHANMODES=b,k,l,imnst and PREFIX=(ov)@+.
import { matchMask } from '../protocol/source.ts';
import type { Client } from './client.ts';
import type { Outgoing } from './outgoing.ts';

export interface Membership {
  op: boolean;
  voice: boolean;
}

/** The boolean modes (type D in CHANMODES). */
export const FLAG_MODES = 'imnst';
export type FlagMode = 'i' | 'm' | 'n' | 's' | 't';

export interface BanEntry {
  mask: string;
  setBy: string;
  setAt: number; // unix seconds
}

export class Channel {
  name: string;
  readonly folded: string;
  /** Unix seconds (RPL_CREATIONTIME); a registered room keeps the time it was first created. */
  createdAt = Math.floor(Date.now() / 1000);
  /**
   * ms: the start of the room's current life; its history is served from this time on. An
   * unregistered room starts a new life each time it is created (rooms.ts startLife), a registered
   * one lives from its registration.
   */
  historyFrom = 0;
  readonly members = new Map<Client, Membership>();
  topic = '';
  topicSetBy = '';
  topicSetAt = 0;
  readonly flags = new Set<FlagMode>(['n', 't']);
  key: string | null = null;
  limit: number | null = null;
  bans: BanEntry[] = [];
  /**
   * Invites (channels.ts inviteKey): `account:<folded account>` for an invitee logged in to an
   * account, else `client:<id>` for that connection; never a nick, which someone else may take.
   * An invite is consumed by the JOIN it allows.
   */
  readonly invited = new Set<string>();
  /** Account that registered the room (its founder), when the founder was logged in. */
  founder: string | null = null;
  /** Accounts that get +o back when they join (registered rooms only). */
  readonly opAccounts = new Set<string>();
  readonly voiceAccounts = new Set<string>();

  constructor(name: string, folded: string) {
    this.name = name;
    this.folded = folded;
  }

  get registered(): boolean {
    return this.founder !== null;
  }

  /** Server time for a message stored now: never before the room's life started (see historyFrom). */
  messageTime(): number {
    return Math.max(Date.now(), this.historyFrom);
  }

  /** "+ntk key"-style mode string; the key is shown only to members (RPL_CHANNELMODEIS). */
  modeString(showKey: boolean): string[] {
    let modes = '+' + [...this.flags].sort().join('');
    const params: string[] = [];
    if (this.key !== null) {
      modes += 'k';
      params.push(showKey ? this.key : '*');
    }
    if (this.limit !== null) {
      modes += 'l';
      params.push(String(this.limit));
    }
    return [modes, ...params];
  }

  isOp(c: Client): boolean {
    return this.members.get(c)?.op === true;
  }

  isVoiced(c: Client): boolean {
    const m = this.members.get(c);
    return m !== undefined && (m.op || m.voice);
  }

  /** Highest prefix ('@', '+' or ''), or all of them for multi-prefix. */
  prefixOf(c: Client, all = false): string {
    const m = this.members.get(c);
    if (!m) return '';
    if (all) return (m.op ? '@' : '') + (m.voice ? '+' : '');
    return m.op ? '@' : m.voice ? '+' : '';
  }

  isBanned(c: Client, fold: (s: string) => string): boolean {
    if (this.bans.length === 0) return false;
    const subject = c.hostmask;
    return this.bans.some((b) => matchMask(b.mask, subject, fold));
  }

  /** Sends one line to every member, optionally skipping one (the sender). Serialised once per variant. */
  broadcast(out: Outgoing, except?: Client): void {
    for (const member of this.members.keys()) if (member !== except) member.send(out);
  }
}
