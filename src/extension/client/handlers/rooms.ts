// Room membership and room facts: JOIN/PART/KICK/QUIT/NICK, TOPIC (331/332/333), NAMES
// (353/366), MODE for member prefixes, and the numerics that refuse a JOIN.
import { CAP } from '../../../protocol/caps.ts';
import type { IrcMessage } from '../../../protocol/message.ts';
import {
  ERR_BADCHANNELKEY,
  ERR_BANNEDFROMCHAN,
  ERR_CHANNELISFULL,
  ERR_INVITEONLYCHAN,
  ERR_NEEDREGGEDNICK,
  ERR_TOOMANYCHANNELS,
  RPL_ENDOFNAMES,
  RPL_NAMREPLY,
  RPL_NOTOPIC,
  RPL_TOPIC,
  RPL_TOPICWHOTIME,
} from '../../../protocol/numerics.ts';
import { parseSource } from '../../../protocol/source.ts';
import type { ChatEventOf } from '../chatEvents.ts';
import type { MemberInfo } from '../types.ts';
import type { HandlerContext, HandlerEntry } from './context.ts';
import type { Emits, Fires } from '../link.ts';

/** What the room handlers read and do: the room model, who we are, the room events. */
type RoomsContext = Pick<HandlerContext, 'state' | 'features' | 'hasCap' | 'isChannel' | 'isMe' | 'isupport' | 'prefixes' | 'nick' | 'selfUser' | 'selfHost'> &
  Fires<'notice' | 'nick'> &
  Emits<'joined' | 'names' | 'parted' | 'kicked' | 'quit' | 'renamed' | 'topic' | 'mode' | 'presence' | 'typing'>;


function joinHandler(s: RoomsContext, msg: IrcMessage): void {
  const name = msg.params[0]!;
  const mask = parseSource(msg.source ?? '');
  if (s.isMe(mask.nick)) {
    if (mask.user) s.selfUser = mask.user;
    if (mask.host) s.selfHost = mask.host;
    const room = s.state.ensureRoom(name);
    room.name = name;
    room.joined = true;
    room.wanted = true;
    room.members.clear();
    s.state.addMember(name, s.nick);
    // Features follow up (WHO, CHATHISTORY LATEST) once the event is out.
    s.emit({ type: 'joined', room: name, nick: s.nick, self: true });
    return;
  }
  s.state.addMember(name, mask.nick);
  const user = s.state.ensureUser(mask.nick);
  // extended-join: JOIN <channel> <account|*> :<realname> (https://ircv3.net/specs/extensions/extended-join)
  if (s.hasCap(CAP.extendedJoin) && msg.params.length >= 2) user.account = msg.params[1] === '*' ? null : msg.params[1]!;
  if (user.presence === 'offline') user.presence = 'online';
  s.emit({ type: 'presence', user: { ...user } });
  s.emit({ type: 'joined', room: name, nick: mask.nick, self: false });
}

/** Someone left a room (PART or KICK): the model first, then the event saying so. */
function leftRoom(s: RoomsContext, name: string, nick: string, event: (room: string, self: boolean) => ChatEventOf<'parted' | 'kicked'>): void {
  const room = s.state.room(name);
  if (!room) return;
  const self = s.isMe(nick);
  if (self) {
    room.joined = false;
    room.members.clear();
    // A kick or our own PART ends our wish to be there: no rejoin on reconnect.
    room.wanted = false;
  } else {
    s.state.removeMember(name, nick);
  }
  s.emit(event(room.name, self));
}

function partHandler(s: RoomsContext, msg: IrcMessage): void {
  const nick = parseSource(msg.source ?? '').nick;
  const reason = msg.params[1];
  for (const name of msg.params[0]!.split(',')) {
    leftRoom(s, name, nick, (room, self) => ({ type: 'parted', room, nick, self, ...(reason !== undefined ? { reason } : {}) }));
  }
}

function kickHandler(s: RoomsContext, msg: IrcMessage): void {
  const by = parseSource(msg.source ?? '').nick;
  const nick = msg.params[1]!;
  const reason = msg.params[2];
  leftRoom(s, msg.params[0]!, nick, (room, self) => ({ type: 'kicked', room, nick, self, by, ...(reason !== undefined ? { reason } : {}) }));
}

function quitHandler(s: RoomsContext, msg: IrcMessage): void {
  const nick = parseSource(msg.source ?? '').nick;
  if (s.isMe(nick)) return;
  const rooms = s.state.roomsOf(nick);
  for (const room of rooms) room.members.delete(s.state.fold(nick));
  const user = s.state.user(nick);
  if (user) {
    s.state.setPresence(nick, 'offline');
    s.emit({ type: 'presence', user: { ...user } });
  }
  s.features.typing.received(s, nick, nick, 'done');
  for (const room of rooms) s.features.typing.received(s, room.name, nick, 'done');
  const reason = msg.params[0];
  s.emit({ type: 'quit', nick, rooms: rooms.map((r) => r.name), ...(reason !== undefined ? { reason } : {}) });
}

function nickHandler(s: RoomsContext, msg: IrcMessage): void {
  const oldNick = parseSource(msg.source ?? '').nick;
  const newNick = msg.params[0]!;
  const rooms = s.state.roomsOf(oldNick);
  s.state.renameUser(oldNick, newNick);
  const self = s.isMe(oldNick);
  if (self) {
    s.nick = newNick;
    s.events.nick.fire(newNick);
  }
  // MONITOR is by nick: the old nick stays watched (a partner usually comes back to it).
  const user = s.state.user(newNick);
  if (user) s.emit({ type: 'presence', user: { ...user } });
  s.emit({ type: 'renamed', from: oldNick, to: newNick, self, rooms: rooms.map((r) => r.name) });
}

function setTopic(s: RoomsContext, name: string, topic: string | undefined, by?: string): void {
  const room = s.state.room(name);
  if (!room) return;
  if (topic === undefined || topic === '') delete room.topic;
  else room.topic = topic;
  if (by !== undefined) room.topicSetBy = by;
  s.emit({ type: 'topic', room: room.name, ...(room.topic !== undefined ? { topic: room.topic } : {}), ...(by !== undefined ? { by } : {}) });
}

/** RPL_NAMREPLY: <me> <symbol> <channel> :[prefix]nick[!user@host] ... (multi-prefix, userhost-in-names) */
function namesHandler(s: RoomsContext, msg: IrcMessage): void {
  const name = msg.params[2]!;
  const room = s.state.room(name);
  if (!room) return;
  room.pendingNames ??= new Map();
  const symbols = s.prefixes.map(([, sym]) => sym).join('');
  for (const entry of (msg.params[3] ?? '').split(' ')) {
    if (entry === '') continue;
    let i = 0;
    while (i < entry.length && symbols.includes(entry[i]!)) i++;
    const mask = parseSource(entry.slice(i));
    if (mask.nick === '') continue;
    const member: MemberInfo = { nick: mask.nick, prefixes: sortPrefixes(s, entry.slice(0, i)) };
    room.pendingNames.set(s.state.fold(mask.nick), member);
    s.state.ensureUser(mask.nick);
  }
}

function endOfNamesHandler(s: RoomsContext, msg: IrcMessage): void {
  const room = s.state.room(msg.params[1]!);
  if (!room || !room.pendingNames) return;
  room.members = room.pendingNames;
  delete room.pendingNames;
  s.emit({ type: 'names', room: room.name, members: [...room.members.values()].map((m) => ({ ...m })) });
}

function sortPrefixes(s: RoomsContext, prefixes: string): string {
  return s.prefixes.map(([, sym]) => sym).filter((sym) => prefixes.includes(sym)).join('');
}

/** Channel MODE: only the prefix modes matter to the model; other modes are skipped with their arguments. */
function modeHandler(s: RoomsContext, msg: IrcMessage): void {
  const name = msg.params[0]!;
  if (!s.isChannel(name)) return;
  const room = s.state.room(name);
  if (!room) return;
  const modes = msg.params[1] ?? '';
  const args = msg.params.slice(2);
  // CHANMODES=A,B,C,D: A and B always take an argument, C only when set, D never.
  const chanmodes = String(s.isupport.get('CHANMODES') ?? 'beI,k,l,imnpst').split(',');
  const alwaysArg = (chanmodes[0] ?? '') + (chanmodes[1] ?? '');
  const setArg = chanmodes[2] ?? '';
  let adding = true;
  const changed = new Set<MemberInfo>();
  for (const c of modes) {
    if (c === '+' || c === '-') {
      adding = c === '+';
      continue;
    }
    const prefix = s.prefixes.find(([mode]) => mode === c);
    if (prefix) {
      const nick = args.shift();
      const member = nick === undefined ? undefined : room.members.get(s.state.fold(nick));
      if (member) {
        const has = member.prefixes.includes(prefix[1]);
        if (adding && !has) member.prefixes = sortPrefixes(s, member.prefixes + prefix[1]);
        if (!adding && has) member.prefixes = member.prefixes.replace(prefix[1], '');
        changed.add(member);
      }
    } else if (alwaysArg.includes(c) || (adding && setArg.includes(c))) {
      args.shift();
    }
  }
  if (changed.size > 0) s.emit({ type: 'mode', room: room.name, members: [...changed].map((m) => ({ ...m })) });
}

/** What telling a refused JOIN needs: the room model and the notice. */
type Refusals = Pick<HandlerContext, 'state'> & Fires<'notice'>;

function joinRefused(s: Refusals, msg: IrcMessage): void {
  const name = msg.params[1]!;
  const reason = msg.params[msg.params.length - 1] ?? 'cannot join';
  const room = s.state.room(name);
  // Do not keep retrying a room we cannot enter.
  if (room && !room.joined) room.wanted = false;
  s.events.notice.fire({ kind: 'error', text: `Cannot join ${name}: ${reason}`, code: msg.command });
}

/** A 401/403/404 that matched no sent message: probably a failed JOIN (403) or WHO/MONITOR noise. */
export function targetError(s: Refusals, msg: IrcMessage, target: string, reason: string): void {
  const room = target !== '' ? s.state.room(target) : undefined;
  if (room && !room.joined) return joinRefused(s, msg);
  if (target !== '') s.events.notice.fire({ kind: 'error', text: `${target}: ${reason}`, code: msg.command });
}

export const roomHandlers: Record<string, HandlerEntry> = {
  JOIN: { min: 1, fn: joinHandler },
  PART: { min: 1, fn: partHandler },
  KICK: { min: 2, fn: kickHandler },
  QUIT: { min: 0, fn: quitHandler },
  NICK: { min: 1, fn: nickHandler },
  TOPIC: { min: 1, fn: (s, m) => setTopic(s, m.params[0]!, m.params[1] ?? '', parseSource(m.source ?? '').nick) },
  MODE: { min: 2, fn: modeHandler },
  [RPL_TOPIC]: { min: 3, fn: (s, m) => setTopic(s, m.params[1]!, m.params[2]) },
  [RPL_NOTOPIC]: { min: 2, fn: (s, m) => setTopic(s, m.params[1]!, undefined) },
  [RPL_TOPICWHOTIME]: {
    min: 3,
    fn: (s, m) => {
      const room = s.state.room(m.params[1]!);
      if (room) room.topicSetBy = parseSource(m.params[2]!).nick;
    },
  },
  [RPL_NAMREPLY]: { min: 3, fn: namesHandler },
  [RPL_ENDOFNAMES]: { min: 2, fn: endOfNamesHandler },
  [ERR_CHANNELISFULL]: { min: 2, fn: joinRefused },
  [ERR_INVITEONLYCHAN]: { min: 2, fn: joinRefused },
  [ERR_BANNEDFROMCHAN]: { min: 2, fn: joinRefused },
  [ERR_BADCHANNELKEY]: { min: 2, fn: joinRefused },
  [ERR_NEEDREGGEDNICK]: { min: 2, fn: joinRefused },
  [ERR_TOOMANYCHANNELS]: { min: 2, fn: joinRefused },
};
