// Who is around: away-notify AWAY, ACCOUNT (account-notify), CHGHOST, our own 305/306, WHO and
// WHOX replies (away flag, account), MONITOR 730-734.
import type { IrcMessage } from '../../../protocol/message.ts';
import {
  ERR_MONLISTFULL,
  RPL_MONOFFLINE,
  RPL_MONONLINE,
  RPL_NOWAWAY,
  RPL_UNAWAY,
  RPL_USERHOST,
  RPL_WHOREPLY,
  RPL_WHOSPCRPL,
} from '../../../protocol/numerics.ts';
import { parseSource } from '../../../protocol/source.ts';
import { presenceFromAway, WHOX_TOKEN } from '../presence.ts';
import type { Presence } from '../types.ts';
import type { HandlerContext, HandlerEntry } from './context.ts';
import type { Emits, Fires } from '../link.ts';

/** What the presence handlers read and do: users' presence and accounts, our own host. */
type PresenceContext = Pick<HandlerContext, 'state' | 'features' | 'isMe' | 'nick' | 'selfUser' | 'selfHost'> & Fires<'notice' | 'account'> & Emits<'presence'>;


/** What setting someone's presence needs: the model, and the presence event. */
type Presences = Pick<HandlerContext, 'state'> & Emits<'presence'>;

function setPresence(s: Presences, nick: string, presence: Presence, message?: string): void {
  if (s.state.setPresence(nick, presence, message)) s.emit({ type: 'presence', user: { ...s.state.user(nick)! } });
}

/** away-notify: AWAY [:message] from a user we share a room with (https://ircv3.net/specs/extensions/away-notify). */
function awayHandler(s: PresenceContext, msg: IrcMessage): void {
  const nick = parseSource(msg.source ?? '').nick;
  if (nick === '') return;
  const p = presenceFromAway(msg.params[0]);
  setPresence(s, nick, p.presence, p.message);
}

/** RPL_AWAY content (called by the chat handlers, which also settle the message). */
export function awayReply(s: Presences, nick: string, text: string): void {
  const p = presenceFromAway(text === '' ? 'Away' : text);
  setPresence(s, nick, p.presence, p.message);
}

/** Someone the server says is offline (a stored-for-later reply). */
export function setOffline(s: Presences, nick: string): void {
  setPresence(s, nick, 'offline');
}

/** WHO flags: H here / G gone, then * (oper), channel prefixes, B (bot)... */
function applyWhoFlags(s: PresenceContext, nick: string, flags: string): void {
  const user = s.state.ensureUser(nick);
  if (flags.startsWith('G')) {
    // WHO says "gone" but not the message; keep a known away/busy message.
    if (user.presence === 'online' || user.presence === 'offline') setPresence(s, nick, 'away', user.awayMessage);
  } else if (flags.startsWith('H') && user.presence !== 'online') {
    setPresence(s, nick, 'online');
  }
}

/** RPL_WHOREPLY: <me> <channel> <user> <host> <server> <nick> <flags> :<hops> <realname> */
function whoReply(s: PresenceContext, msg: IrcMessage): void {
  const nick = msg.params[5]!;
  if (s.isMe(nick)) {
    s.selfUser = msg.params[2]!;
    s.selfHost = msg.params[3]!;
  }
  applyWhoFlags(s, nick, msg.params[6]!);
}

/** RPL_WHOSPCRPL for our `%tcnfa,<token>` query: <me> <token> <channel> <nick> <flags> <account> */
function whoxReply(s: PresenceContext, msg: IrcMessage): void {
  if (msg.params[1] !== WHOX_TOKEN || msg.params.length < 6) return;
  const nick = msg.params[3]!;
  applyWhoFlags(s, nick, msg.params[4]!);
  const account = msg.params[5]!;
  const user = s.state.ensureUser(nick);
  const acc = account === '0' ? null : account;
  if (user.account !== acc) {
    user.account = acc;
    s.emit({ type: 'presence', user: { ...user } });
  }
}


function accountHandler(s: PresenceContext, msg: IrcMessage): void {
  const nick = parseSource(msg.source ?? '').nick;
  const account = msg.params[0] === '*' ? null : msg.params[0]!;
  if (s.isMe(nick)) return s.features.accounts.loggedIn(s, account);
  const user = s.state.ensureUser(nick);
  user.account = account;
  s.emit({ type: 'presence', user: { ...user } });
}

function chghostHandler(s: PresenceContext, msg: IrcMessage): void {
  if (s.isMe(parseSource(msg.source ?? '').nick)) {
    s.selfUser = msg.params[0]!;
    s.selfHost = msg.params[1]!;
  }
}

/** 730/731: <me> :nick[!user@host],nick... */
function monitorHandler(presence: 'online' | 'offline') {
  return (s: PresenceContext, msg: IrcMessage) => {
    for (const target of (msg.params[1] ?? '').split(',')) {
      const nick = parseSource(target).nick;
      if (nick === '') continue;
      const user = s.state.ensureUser(nick);
      // Online via MONITOR says nothing of away; keep a known away/busy.
      if (presence === 'offline') setPresence(s, nick, 'offline');
      else if (user.presence === 'offline') setPresence(s, nick, 'online');
      else s.emit({ type: 'presence', user: { ...user } });
    }
  };
}

/** 302 RPL_USERHOST to our presence poll (presencePoll.ts); an away flag keeps a known away text. */
function userhostReply(s: PresenceContext, msg: IrcMessage): void {
  for (const [nick, presence] of s.features.presencePoll.reply(s, msg)) {
    setPresence(s, nick, presence, presence === 'away' || presence === 'busy' ? s.state.user(nick)?.awayMessage : undefined);
  }
}

export const presenceHandlers: Record<string, HandlerEntry> = {
  AWAY: { min: 0, fn: awayHandler },
  ACCOUNT: { min: 1, fn: accountHandler },
  CHGHOST: { min: 2, fn: chghostHandler },
  [RPL_UNAWAY]: { min: 0, fn: (s) => s.features.presence.ownAway(s, false) },
  [RPL_NOWAWAY]: { min: 0, fn: (s) => s.features.presence.ownAway(s, true) },
  [RPL_WHOREPLY]: { min: 7, fn: whoReply },
  [RPL_WHOSPCRPL]: { min: 2, fn: whoxReply },
  [RPL_USERHOST]: { min: 1, fn: userhostReply },
  [RPL_MONONLINE]: { min: 2, fn: monitorHandler('online') },
  [RPL_MONOFFLINE]: { min: 2, fn: monitorHandler('offline') },
  [ERR_MONLISTFULL]: {
    min: 2,
    fn: (s, m) => s.events.notice.fire({ kind: 'warn', text: `The server watches at most ${m.params[1]} users for presence`, code: m.command }),
  },
};
