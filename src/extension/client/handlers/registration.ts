// Connection registration and link upkeep: CAP, SASL, 001/005, end of MOTD, nick collisions,
// password and ban refusals, ERROR, PING/PONG. https://modern.ircdocs.horse/#connection-registration
import { ircMessage, type IrcMessage } from '../../../protocol/message.ts';
import {
  ERR_ERRONEUSNICKNAME,
  ERR_NICKLOCKED,
  ERR_NICKNAMEINUSE,
  ERR_NOMOTD,
  ERR_PASSWDMISMATCH,
  ERR_SASLABORTED,
  ERR_SASLALREADY,
  ERR_SASLFAIL,
  ERR_SASLTOOLONG,
  ERR_UNAVAILRESOURCE,
  ERR_UNKNOWNCOMMAND,
  ERR_YOUREBANNEDCREEP,
  RPL_ENDOFMOTD,
  RPL_ISUPPORT,
  RPL_LOGGEDIN,
  RPL_LOGGEDOUT,
  RPL_SASLSUCCESS,
  RPL_WELCOME,
} from '../../../protocol/numerics.ts';
import { parseSource } from '../../../protocol/source.ts';
import { ClientError } from '../errors.ts';
import { saslChunks, saslPlainPayload } from '../sasl.ts';
import type { HandlerContext, HandlerEntry } from './context.ts';


/** Tries an alternative nick before registration, or fails with 'nick-in-use'. */
function nickInUse(s: HandlerContext, msg: IrcMessage): void {
  const taken = msg.params[1] ?? s.nick;
  const r = s.registration;
  if (r.registered) {
    if (!r.regainingNick) s.events.notice.fire({ kind: 'error', text: `The nickname ${taken} is already in use`, code: msg.command });
    return;
  }
  if ((s.options.altNicks || r.reconnecting) && r.nickTries < 5) {
    r.nickTries++;
    const base = r.baseNick;
    s.nick = r.nickTries <= 2 ? `${base}${'_'.repeat(r.nickTries)}` : `${base}${Math.floor(Math.random() * 1000)}`;
    s.send(ircMessage('NICK', [s.nick]));
    return;
  }
  s.fail(new ClientError('nick-in-use', `The nickname ${taken} is already in use`, { serverCode: msg.command }));
}

function welcome(s: HandlerContext, msg: IrcMessage): void {
  s.nick = msg.params[0]!;
  // Many servers end 001 with our full nick!user@host: the real source for line budgets.
  const last = (msg.params[1] ?? '').split(' ').pop() ?? '';
  if (last.includes('!') && last.includes('@')) {
    const mask = parseSource(last);
    if (s.isMe(mask.nick)) {
      if (mask.user) s.selfUser = mask.user;
      if (mask.host) s.selfHost = mask.host;
    }
  }
  s.registration.markRegistered();
}

/** End of MOTD (or no MOTD): ISUPPORT is known now, so rejoin, MONITOR and the rest can start. */
function endOfMotd(s: HandlerContext): void {
  if (!s.registered || s.welcomed) return;
  s.registration.welcomed = true;
  s.features.afterWelcome(s);
}

function capHandler(s: HandlerContext, msg: IrcMessage): void {
  const { send, changed } = s.caps.handle(msg);
  for (const line of send) s.send(line);
  // cap-notify NEW/DEL after registration needs nothing redone: every feature checks caps at use.
  if (changed) s.events.capabilities.fire(new Set(s.caps.enabled));
  s.maybeEndCap();
}

function authenticateHandler(s: HandlerContext, msg: IrcMessage): void {
  const sasl = s.options.sasl;
  if (!sasl || !s.registration.saslInProgress || msg.params[0] !== '+') return;
  for (const chunk of saslChunks(saslPlainPayload(sasl.account, sasl.password))) s.send(ircMessage('AUTHENTICATE', [chunk]));
}

function saslDone(s: HandlerContext): void {
  s.registration.saslInProgress = false;
  s.registration.saslDone = true;
  s.maybeEndCap();
}

function saslFailed(s: HandlerContext, msg: IrcMessage): void {
  s.registration.saslInProgress = false;
  const text = msg.params[msg.params.length - 1] ?? 'SASL authentication failed';
  s.fail(new ClientError('bad-password', `Login failed: ${text}`, { serverCode: msg.command }));
}

function errorHandler(s: HandlerContext, msg: IrcMessage): void {
  const text = msg.params[0] ?? 'Closing link';
  // ERROR before a ban closes the link; its text is the only place the reason is given.
  const banned = /\bbann|\b[kgzd]-?line|\bkill/i.test(text);
  s.registration.closingError ??= new ClientError(banned ? 'banned' : 'closed', `The server closed the connection: ${text}`, { serverCode: 'ERROR' });
}

export const registrationHandlers: Record<string, HandlerEntry> = {
  CAP: { min: 2, fn: capHandler },
  AUTHENTICATE: { min: 1, fn: authenticateHandler },
  [RPL_WELCOME]: { min: 1, fn: welcome },
  [RPL_ISUPPORT]: { min: 2, fn: (s, m) => s.applyIsupport(m.params.slice(1, -1)) },
  [RPL_ENDOFMOTD]: { min: 0, fn: endOfMotd },
  [ERR_NOMOTD]: { min: 0, fn: endOfMotd },
  [ERR_NICKNAMEINUSE]: { min: 1, fn: nickInUse },
  [ERR_UNAVAILRESOURCE]: { min: 1, fn: (s, m) => (s.registered || !m.params[1] || m.params[1].startsWith('#') ? undefined : nickInUse(s, m)) },
  [ERR_ERRONEUSNICKNAME]: {
    min: 1,
    fn: (s, m) => {
      const text = `The nickname ${m.params[1] ?? s.nick} is not allowed by the server`;
      if (s.registered) s.events.notice.fire({ kind: 'error', text, code: m.command });
      else s.fail(new ClientError('protocol', text, { serverCode: m.command }));
    },
  },
  [ERR_PASSWDMISMATCH]: { min: 0, fn: (s, m) => s.fail(new ClientError('bad-password', `Wrong server password: ${m.params[m.params.length - 1] ?? ''}`.trim(), { serverCode: m.command })) },
  [ERR_YOUREBANNEDCREEP]: { min: 0, fn: (s, m) => s.fail(new ClientError('banned', `You are banned from this server: ${m.params[m.params.length - 1] ?? ''}`.trim(), { serverCode: m.command })) },
  ERROR: { min: 0, fn: errorHandler },
  PING: { min: 0, fn: (s, m) => s.send(ircMessage('PONG', m.params.length > 0 ? [m.params[m.params.length - 1]!] : [])) },
  PONG: { min: 1, fn: (s, m) => s.outgoing.pong(m.params[m.params.length - 1]!) },
  [RPL_SASLSUCCESS]: { min: 0, fn: saslDone },
  [ERR_SASLALREADY]: { min: 0, fn: saslDone },
  [ERR_SASLFAIL]: { min: 0, fn: saslFailed },
  [ERR_SASLTOOLONG]: { min: 0, fn: saslFailed },
  [ERR_SASLABORTED]: { min: 0, fn: saslFailed },
  [ERR_NICKLOCKED]: { min: 0, fn: saslFailed },
  [RPL_LOGGEDIN]: { min: 3, fn: (s, m) => s.features.accounts.loggedIn(s, m.params[2]!) },
  [RPL_LOGGEDOUT]: { min: 0, fn: (s) => s.features.accounts.loggedIn(s, null) },
  [ERR_UNKNOWNCOMMAND]: {
    min: 2,
    fn: (s, m, ctx) => {
      const cmd = m.params[1]!.toUpperCase();
      // A server without CAP (RFC 1459 only) answers 421 and registers us on NICK/USER alone.
      if (cmd === 'CAP') {
        s.caps.unsupported();
        s.registration.capEnded = true;
        return;
      }
      s.features.unknownCommand(s, cmd, m.params[m.params.length - 1] ?? '', ctx.label);
    },
  },
};
