// Informational queries: MOTD, LUSERS, VERSION, TIME, ISON, USERHOST, WHO (with WHOX), WHOIS.
// https://modern.ircdocs.horse/#who-message, https://ircv3.net/specs/extensions/whox
import { CAP } from '../../protocol/caps.ts';
import { matchMask } from '../../protocol/source.ts';
import { isChannelName } from '../../protocol/validate.ts';
import {
  ERR_NOMOTD,
  ERR_NONICKNAMEGIVEN,
  ERR_NOSUCHNICK,
  RPL_AWAY,
  RPL_ENDOFMOTD,
  RPL_ENDOFWHO,
  RPL_ENDOFWHOIS,
  RPL_GLOBALUSERS,
  RPL_ISON,
  RPL_LOCALUSERS,
  RPL_LUSERCHANNELS,
  RPL_LUSERCLIENT,
  RPL_LUSERME,
  RPL_LUSEROP,
  RPL_LUSERUNKNOWN,
  RPL_MOTD,
  RPL_MOTDSTART,
  RPL_TIME,
  RPL_USERHOST,
  RPL_VERSION,
  RPL_WHOISACCOUNT,
  RPL_WHOISBOT,
  RPL_WHOISCHANNELS,
  RPL_WHOISIDLE,
  RPL_WHOISOPERATOR,
  RPL_WHOISSECURE,
  RPL_WHOISSERVER,
  RPL_WHOISUSER,
  RPL_WHOREPLY,
  RPL_WHOSPCRPL,
} from '../../protocol/numerics.ts';
import type { Channel } from '../channel.ts';
import { unixSecOf, uptimeSec, type Client } from '../client.ts';
import type { CommandContext, CommandSpec, ServerContext } from '../context.ts';
import type { Reply } from '../reply.ts';
import { BOT_MODE } from '../features/bot.ts';
import { NETWORK_NAME } from '../isupport.ts';
import { targetIsThisServer } from './serverInfo.ts';

export function sendLusers(server: ServerContext, reply: Reply): void {
  const { registered: users, invisible, opers, unregistered: unknown, peak } = server.registry.counts;
  let channels = 0;
  for (const ch of server.registry.channels) if (ch.members.size > 0) channels++;
  reply.numeric(RPL_LUSERCLIENT, `There are ${users - invisible} users and ${invisible} invisible on 1 servers`);
  reply.numeric(RPL_LUSEROP, String(opers), 'operator(s) online');
  reply.numeric(RPL_LUSERUNKNOWN, String(unknown), 'unknown connection(s)');
  reply.numeric(RPL_LUSERCHANNELS, String(channels), 'channels formed');
  reply.numeric(RPL_LUSERME, `I have ${users} clients and 0 servers`);
  // modern.ircdocs.horse: 265/266 <current> <max>, the max being the highest count since start.
  reply.numeric(RPL_LOCALUSERS, String(users), String(peak), `Current local users ${users}, max ${peak}`);
  reply.numeric(RPL_GLOBALUSERS, String(users), String(peak), `Current global users ${users}, max ${peak}`);
}

export function sendMotd(server: ServerContext, reply: Reply): void {
  if (server.motd === null) return reply.numeric(ERR_NOMOTD, 'MOTD File is missing');
  reply.numeric(RPL_MOTDSTART, `- ${server.name} Message of the day - `);
  for (const line of server.motd) reply.numeric(RPL_MOTD, `- ${line}`);
  reply.numeric(RPL_ENDOFMOTD, 'End of /MOTD command.');
}

// MOTD [<target>], LUSERS [<mask> [<target>]], VERSION [<target>], TIME [<target>] (RFC 2812 §3.4):
// a target that is not this server gets 402, as for ADMIN and INFO.
function motdHandler({ server, msg, reply }: CommandContext): void {
  if (targetIsThisServer(server, msg.params[0], reply)) sendMotd(server, reply);
}

function lusersHandler({ server, msg, reply }: CommandContext): void {
  if (targetIsThisServer(server, msg.params[1], reply)) sendLusers(server, reply);
}

function versionHandler({ server, msg, reply }: CommandContext): void {
  if (!targetIsThisServer(server, msg.params[0], reply)) return;
  reply.numeric(RPL_VERSION, server.version, server.name, 'Chat Room IRC server');
}

function timeHandler({ server, msg, reply }: CommandContext): void {
  if (!targetIsThisServer(server, msg.params[0], reply)) return;
  reply.numeric(RPL_TIME, server.name, new Date().toUTCString());
}

function isonHandler({ server, msg, reply }: CommandContext): void {
  // Nicks may come as several params or one space-separated trailing param.
  const nicks = msg.params.flatMap((p) => p.split(' ')).filter((n) => n !== '');
  const online = nicks.map((n) => server.registry.findNick(n)).filter((c): c is Client => c?.registered === true);
  reply.numeric(RPL_ISON, online.map((c) => c.nick).join(' '));
}

function userhostHandler({ server, msg, reply }: CommandContext): void {
  const out: string[] = [];
  for (const nick of msg.params.flatMap((p) => p.split(' ')).slice(0, 5)) {
    const c = server.registry.findNick(nick);
    if (!c?.registered) continue;
    out.push(`${c.nick}${c.isOper ? '*' : ''}=${c.away !== null ? '-' : '+'}${c.user}@${c.host}`);
  }
  reply.numeric(RPL_USERHOST, out.join(' '));
}

/** Whether `viewer` may see that `target` is in `ch` (secret rooms hide their members from outsiders). */
function canSeeMembership(viewer: Client, ch: Channel): boolean {
  return !ch.flags.has('s') || ch.members.has(viewer) || viewer.isOper;
}

function sharesRoom(a: Client, b: Client): boolean {
  for (const ch of a.channels) if (ch.members.has(b)) return true;
  return false;
}

/** H/G (here/gone), '*' for operators, B for bots, then the room prefix: all of them only for multi-prefix viewers. */
function whoFlags(viewer: Client, c: Client, ch: Channel | null): string {
  const prefix = ch ? ch.prefixOf(c, viewer.has(CAP.multiPrefix)) : '';
  return (c.away !== null ? 'G' : 'H') + (c.isOper ? '*' : '') + (c.modes.has(BOT_MODE) ? BOT_MODE : '') + prefix;
}

function whoHandler({ server, client, msg, reply }: CommandContext): void {
  const mask = msg.params[0]!;
  // WHOX: WHO <mask> %<fields>[,<token>]
  const whox = msg.params[1]?.startsWith('%') ? parseWhox(msg.params[1]) : null;
  const emit = (c: Client, ch: Channel | null) => {
    if (whox) return reply.numeric(RPL_WHOSPCRPL, ...whoxFields(server, client, c, ch, whox));
    reply.numeric(RPL_WHOREPLY, ch?.name ?? '*', c.user, c.host, server.name, c.nick, whoFlags(client, c, ch), `0 ${c.realname}`);
  };
  if (isChannelName(mask)) {
    const ch = server.registry.findChannel(mask);
    if (ch && canSeeMembership(client, ch)) for (const m of ch.members.keys()) emit(m, ch);
  } else {
    const exact = server.registry.findNick(mask);
    if (exact?.registered) emit(exact, null);
    else if (/[*?]/.test(mask)) {
      let n = 0;
      for (const c of server.registry.clients) {
        if (!c.registered) continue;
        if (c.modes.has('i') && c !== client && !sharesRoom(c, client) && !client.isOper) continue;
        const fold = (s: string) => server.registry.fold(s);
        if (!matchMask(mask, c.nick, fold) && !matchMask(mask, c.hostmask, fold)) continue;
        emit(c, null);
        if (++n >= 500) break; // a WHO * must not queue the whole user list into one sendq
      }
    }
  }
  reply.numeric(RPL_ENDOFWHO, mask, 'End of WHO list');
}

interface WhoxRequest {
  fields: string;
  token: string;
}

function parseWhox(spec: string): WhoxRequest {
  const [fields = '', token = '0'] = spec.slice(1).split(',');
  return { fields, token: /^\d{1,3}$/.test(token) ? token : '0' };
}

/** Fields in the spec's fixed order t c u i h s n f d l a o r, whatever order they were asked in. */
function whoxFields(server: ServerContext, viewer: Client, c: Client, ch: Channel | null, req: WhoxRequest): string[] {
  const out: string[] = [];
  const idle = uptimeSec() - c.lastActive;
  const order: Array<[string, () => string]> = [
    ['t', () => req.token],
    ['c', () => ch?.name ?? '*'],
    ['u', () => c.user],
    ['i', () => '255.255.255.255'],
    ['h', () => c.host],
    ['s', () => server.name],
    ['n', () => c.nick],
    ['f', () => whoFlags(viewer, c, ch)],
    ['d', () => '0'],
    ['l', () => String(idle)],
    ['a', () => c.account ?? '0'],
    ['o', () => (ch && ch.isOp(c) ? 'o' : 'n/a')],
    ['r', () => c.realname],
  ];
  for (const [f, get] of order) if (req.fields.includes(f)) out.push(get());
  // A middle parameter may not be empty or contain spaces; the realname is the trailing one.
  return out.map((v, i) => (i < out.length - 1 && (v === '' || v.includes(' ')) ? '*' : v));
}

function whoisHandler({ server, client, msg, reply }: CommandContext): void {
  // WHOIS [server] <nick>: the nick is the last parameter. TARGMAX WHOIS:1.
  const nick = (msg.params.length > 1 ? msg.params[1]! : msg.params[0]!).split(',')[0]!;
  if (nick === '') return reply.numeric(ERR_NONICKNAMEGIVEN, 'No nickname given');
  const c = server.registry.findNick(nick);
  if (!c?.registered) {
    reply.numeric(ERR_NOSUCHNICK, nick, 'No such nick/channel');
    reply.numeric(RPL_ENDOFWHOIS, nick, 'End of /WHOIS list');
    return;
  }
  reply.numeric(RPL_WHOISUSER, c.nick, c.user, c.host, '*', c.realname);
  const rooms = [...c.channels].filter((ch) => canSeeMembership(client, ch)).map((ch) => ch.prefixOf(c, client.has(CAP.multiPrefix)) + ch.name);
  // Long channel lists go over several 319 lines.
  for (let i = 0; i < rooms.length; i += 20) reply.numeric(RPL_WHOISCHANNELS, c.nick, rooms.slice(i, i + 20).join(' '));
  reply.numeric(RPL_WHOISSERVER, c.nick, server.name, 'Chat Room server');
  if (c.isOper) reply.numeric(RPL_WHOISOPERATOR, c.nick, 'is a server administrator');
  if (c.modes.has(BOT_MODE)) reply.numeric(RPL_WHOISBOT, c.nick, `is a bot on ${NETWORK_NAME}`);
  if (c.away !== null) reply.numeric(RPL_AWAY, c.nick, c.away);
  if (c.account !== null) reply.numeric(RPL_WHOISACCOUNT, c.nick, c.account, 'is logged in as');
  if (c.conn.secure) reply.numeric(RPL_WHOISSECURE, c.nick, 'is using a secure connection');
  reply.numeric(RPL_WHOISIDLE, c.nick, String(uptimeSec() - c.lastActive), String(unixSecOf(c.connectedAt)), 'seconds idle, signon time');
  reply.numeric(RPL_ENDOFWHOIS, c.nick, 'End of /WHOIS list');
}

export const queryCommands: Record<string, CommandSpec> = {
  MOTD: { handler: motdHandler, minParams: 0 },
  LUSERS: { handler: lusersHandler, minParams: 0 },
  VERSION: { handler: versionHandler, minParams: 0 },
  TIME: { handler: timeHandler, minParams: 0 },
  ISON: { handler: isonHandler, minParams: 1 },
  USERHOST: { handler: userhostHandler, minParams: 1 },
  WHO: { handler: whoHandler, minParams: 1 },
  WHOIS: { handler: whoisHandler, minParams: 1 },
};
