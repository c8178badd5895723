// The client's model of the chat: rooms (members with prefixes, topic), users (presence,
// account) and one message list per conversation. Survives reconnects; handlers mutate it and the
// client turns the mutations into events. No I/O here, so it is tested by feeding lines.
import { casefold, type Casemapping } from '../../protocol/casemap.ts';
import type { ChatMessage, MemberInfo, Presence, RoomInfo, UserInfo } from './types.ts';

/** Messages kept per conversation; older ones are fetched again with CHATHISTORY when needed. */
export const MAX_MESSAGES_PER_CONVERSATION = 5000;

export interface Room {
  name: string;
  joined: boolean;
  /** We want to be in it: rejoined after a reconnect until we PART or are kicked. */
  wanted: boolean;
  /** Key to rejoin with (from join()), kept for reconnects. */
  key?: string;
  topic?: string;
  topicSetBy?: string;
  members: Map<string, MemberInfo>;
  /** A NAMES listing is arriving: 353s replace the member list at 366. */
  pendingNames?: Map<string, MemberInfo>;
}

export interface Conversation {
  target: string;
  messages: ChatMessage[];
  msgids: Set<string>;
}

export class ChatState {
  #casemapping: Casemapping = 'rfc1459';
  readonly rooms = new Map<string, Room>();
  readonly users = new Map<string, UserInfo>();
  readonly conversations = new Map<string, Conversation>();
  /** Nicks whose presence we follow (MONITOR, or USERHOST polls): casefolded key → nick as given. */
  readonly watched = new Map<string, string>();

  fold(name: string): string {
    return casefold(name, this.#casemapping);
  }

  same(a: string, b: string): boolean {
    return this.fold(a) === this.fold(b);
  }

  get casemapping(): Casemapping {
    return this.#casemapping;
  }

  /** Re-keys every map when the server announces another CASEMAPPING; true if it changed. */
  setCasemapping(mapping: Casemapping): boolean {
    if (mapping === this.#casemapping) return false;
    this.#casemapping = mapping;
    const rekey = <V>(map: Map<string, V>, nameOf: (v: V) => string) => {
      const entries = [...map.values()];
      map.clear();
      for (const v of entries) map.set(this.fold(nameOf(v)), v);
    };
    rekey(this.rooms, (r) => r.name);
    rekey(this.users, (u) => u.nick);
    rekey(this.conversations, (c) => c.target);
    rekey(this.watched, (nick) => nick);
    for (const room of this.rooms.values()) rekey(room.members, (m) => m.nick);
    return true;
  }

  // ---- rooms ----

  room(name: string): Room | undefined {
    return this.rooms.get(this.fold(name));
  }

  ensureRoom(name: string): Room {
    let room = this.room(name);
    if (!room) {
      room = { name, joined: false, wanted: false, members: new Map() };
      this.rooms.set(this.fold(name), room);
    }
    return room;
  }

  addMember(roomName: string, nick: string, prefixes = ''): void {
    const room = this.ensureRoom(roomName);
    const key = this.fold(nick);
    const existing = room.members.get(key);
    if (existing) existing.nick = nick;
    else room.members.set(key, { nick, prefixes });
    this.ensureUser(nick);
  }

  removeMember(roomName: string, nick: string): boolean {
    return this.room(roomName)?.members.delete(this.fold(nick)) ?? false;
  }

  /** Rooms (joined) the nick is in. */
  roomsOf(nick: string): Room[] {
    const key = this.fold(nick);
    return [...this.rooms.values()].filter((r) => r.joined && r.members.has(key));
  }

  roomInfo(room: Room): RoomInfo {
    const info: RoomInfo = { name: room.name, joined: room.joined, members: [...room.members.values()].map((m) => ({ ...m })) };
    if (room.topic !== undefined) info.topic = room.topic;
    if (room.topicSetBy !== undefined) info.topicSetBy = room.topicSetBy;
    return info;
  }

  // ---- users ----

  user(nick: string): UserInfo | undefined {
    return this.users.get(this.fold(nick));
  }

  ensureUser(nick: string): UserInfo {
    let user = this.user(nick);
    if (!user) {
      user = { nick, presence: 'online' };
      this.users.set(this.fold(nick), user);
    }
    return user;
  }

  /** Applies a presence; returns true if anything visible changed. */
  setPresence(nick: string, presence: Presence, awayMessage?: string): boolean {
    const user = this.ensureUser(nick);
    const changed = user.presence !== presence || user.awayMessage !== awayMessage;
    user.presence = presence;
    if (awayMessage === undefined) delete user.awayMessage;
    else user.awayMessage = awayMessage;
    return changed;
  }

  /** NICK: carries the user, its memberships and its direct-message conversation over. */
  renameUser(oldNick: string, newNick: string): void {
    const oldKey = this.fold(oldNick);
    const newKey = this.fold(newNick);
    const user = this.users.get(oldKey);
    if (user) {
      this.users.delete(oldKey);
      user.nick = newNick;
      this.users.set(newKey, user);
    }
    for (const room of this.rooms.values()) {
      const member = room.members.get(oldKey);
      if (!member) continue;
      room.members.delete(oldKey);
      member.nick = newNick;
      room.members.set(newKey, member);
    }
    const conv = this.conversations.get(oldKey);
    if (conv && !this.conversations.has(newKey)) {
      this.conversations.delete(oldKey);
      conv.target = newNick;
      this.conversations.set(newKey, conv);
    }
  }

  /** Forgets a user that shares no room with us any more, unless we still talk to them. */
  forgetIfUnseen(nick: string, keep: (nick: string) => boolean): void {
    if (this.roomsOf(nick).length === 0 && !keep(nick)) this.users.delete(this.fold(nick));
  }

  // ---- conversations ----

  conversation(target: string): Conversation {
    const key = this.fold(target);
    let conv = this.conversations.get(key);
    if (!conv) {
      conv = { target, messages: [], msgids: new Set() };
      this.conversations.set(key, conv);
    }
    return conv;
  }

  /** Appends in time order; returns false for a msgid already held (history replay, echo). */
  /**
   * Records a message; false for a msgid already held. `older`: it comes from a page of earlier
   * history, so it goes before messages with the same timestamp (a millisecond can hold several).
   */
  addMessage(msg: ChatMessage, older = false): boolean {
    const conv = this.conversation(msg.target);
    if (msg.msgid !== undefined) {
      if (conv.msgids.has(msg.msgid)) return false;
      conv.msgids.add(msg.msgid);
    }
    // Usually the newest; history replays may land earlier, so keep the list sorted by time.
    const t = msg.time.getTime();
    let i = conv.messages.length;
    while (i > 0 && (older ? conv.messages[i - 1]!.time.getTime() >= t : conv.messages[i - 1]!.time.getTime() > t)) i--;
    conv.messages.splice(i, 0, msg);
    if (conv.messages.length > MAX_MESSAGES_PER_CONVERSATION) {
      for (const dropped of conv.messages.splice(0, conv.messages.length - MAX_MESSAGES_PER_CONVERSATION)) {
        if (dropped.msgid !== undefined) conv.msgids.delete(dropped.msgid);
      }
    }
    return true;
  }

  /** A message was deleted (REDACT): its text is forgotten here too (transcripts, scroll-back). */
  redact(target: string, msgid: string): void {
    const conv = this.conversations.get(this.fold(target));
    const m = conv?.messages.find((x) => x.msgid === msgid);
    if (!m) return;
    m.text = '';
    m.redacted = true;
  }

  /** Records a msgid learnt later (from the echo of a message we showed as pending). */
  noteMsgid(target: string, msgid: string): void {
    this.conversation(target).msgids.add(msgid);
  }

  /** Forgets everything tied to the connection (not the conversations) — used on disconnect. */
  resetPresence(): void {
    for (const room of this.rooms.values()) {
      room.members.clear();
      delete room.pendingNames;
    }
  }
}
