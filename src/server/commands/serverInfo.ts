// About the server itself: ADMIN and INFO.
//   ADMIN [<target>] -> 256 RPL_ADMINME, 257 RPL_ADMINLOC1, 258 RPL_ADMINLOC2, 259 RPL_ADMINEMAIL
//     (RFC 2812 §3.4.9, https://modern.ircdocs.horse/#admin-message)
//   INFO [<target>]  -> 371 RPL_INFO lines, 374 RPL_ENDOFINFO
//     (RFC 2812 §3.4.10, https://modern.ircdocs.horse/#info-message)
// There is one server: a target is fine when it names this server (or a mask matching it) or a
// connected user (RFC 2812: "the server to which that nickname is connected"); else 402.
import { matchMask } from '../../protocol/source.ts';
import {
  ERR_NOSUCHSERVER,
  RPL_ADMINEMAIL,
  RPL_ADMINLOC1,
  RPL_ADMINLOC2,
  RPL_ADMINME,
  RPL_ENDOFINFO,
  RPL_INFO,
} from '../../protocol/numerics.ts';
import type { CommandContext, CommandSpec, ServerContext } from '../context.ts';
import type { Reply } from '../reply.ts';

/** What the server is, in the words ADMIN, INFO and WHOIS use. */
export const SERVER_DESCRIPTION = 'Chat Room server';

const lower = (s: string) => s.toLowerCase();

/** Whether a query's optional <target> means this server; answers 402 and returns false if not. */
export function targetIsThisServer(server: ServerContext, target: string | undefined, reply: Reply): boolean {
  if (target === undefined || target === '') return true;
  if (matchMask(target, server.name, lower)) return true;
  if (server.registry.findNick(target)?.registered) return true;
  reply.numeric(ERR_NOSUCHSERVER, target, 'No such server');
  return false;
}

function adminHandler({ server, msg, reply }: CommandContext): void {
  if (!targetIsThisServer(server, msg.params[0], reply)) return;
  reply.numeric(RPL_ADMINME, server.name, 'Administrative info');
  reply.numeric(RPL_ADMINLOC1, `${server.name}: ${SERVER_DESCRIPTION} ${server.version}`);
  reply.numeric(RPL_ADMINLOC2, 'Team chat for the Chat Room VS Code extension; any IRC client can connect');
  const contact = server.config.adminContact;
  reply.numeric(RPL_ADMINEMAIL, contact ?? 'No contact configured (the server owner can set --admin-contact)');
}

/** "3d 4h 5m 6s" since `since`. */
export function uptime(since: Date, now = Date.now()): string {
  let s = Math.max(0, Math.floor((now - since.getTime()) / 1000));
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  return `${d}d ${h}h ${m}m ${s - m * 60}s`;
}

/** The 371 lines of INFO. */
export function infoLines(server: ServerContext, now = Date.now()): string[] {
  return [
    `${SERVER_DESCRIPTION} ${server.version} (${server.name})`,
    'An IRC server with accounts, registered rooms and stored history (IRCv3 draft/chathistory),',
    'shipped with the Chat Room VS Code extension.',
    `Running on Node.js ${process.version}, SQLite ${process.versions.sqlite ?? 'unknown'}`,
    `Started ${server.startedAt.toUTCString()}, up ${uptime(server.startedAt, now)}`,
  ];
}

function infoHandler({ server, msg, reply }: CommandContext): void {
  if (!targetIsThisServer(server, msg.params[0], reply)) return;
  for (const line of infoLines(server)) reply.numeric(RPL_INFO, line);
  reply.numeric(RPL_ENDOFINFO, 'End of INFO list');
}

export const serverInfoCommands: Record<string, CommandSpec> = {
  ADMIN: { handler: adminHandler, minParams: 0 },
  INFO: { handler: infoHandler, minParams: 0 },
};
