// Server operators (admins): OPER with the --oper NAME:PASSWORD credentials, KILL.
// Opers also moderate any room (see channels.ts/modes.ts) and are exempt from flood control.
import { timingSafeEqual } from 'node:crypto';
import {
  ERR_CANTKILLSERVER,
  ERR_NOSUCHNICK,
  ERR_PASSWDMISMATCH,
  RPL_YOUREOPER,
} from '../../protocol/numerics.ts';
import type { CommandContext, CommandSpec } from '../context.ts';
import { announceUserMode } from './modes.ts';

/** Constant-time comparison so a wrong guess takes as long as a right one. */
function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function operHandler({ server, client, msg, reply }: CommandContext): void {
  const [name, password] = msg.params as [string, string];
  const ok = server.config.opers.some((o) => sameSecret(o.name, name) && sameSecret(o.password, password));
  // One answer for an unknown name and a wrong password: no oracle for which names exist.
  if (!ok) return reply.numeric(ERR_PASSWDMISMATCH, 'Password incorrect');
  if (!client.modes.has('o')) {
    client.modes.add('o');
    announceUserMode(client, '+o', reply);
  }
  reply.numeric(RPL_YOUREOPER, 'You are now an IRC operator');
  server.log.info(`${client.hostmask} is now a server operator (${name})`);
}

function killHandler({ server, client, msg, reply }: CommandContext): void {
  const nick = msg.params[0]!;
  const reason = (msg.params[1] ?? '').slice(0, 300) || 'No reason given';
  if (server.registry.fold(nick) === server.registry.fold(server.name)) {
    return reply.numeric(ERR_CANTKILLSERVER, 'You cannot kill a server!');
  }
  const target = server.registry.findNick(nick);
  if (!target?.registered) return reply.numeric(ERR_NOSUCHNICK, nick, 'No such nick/channel');
  server.log.info(`${client.hostmask} killed ${target.hostmask}: ${reason}`);
  const text = `Killed (${client.nick} (${reason}))`;
  target.send({ tags: {}, source: client.hostmask, command: 'KILL', params: [target.nick, reason] });
  server.disconnect(target, text, text);
}

export const operCommands: Record<string, CommandSpec> = {
  OPER: { handler: operHandler, minParams: 2 },
  KILL: { handler: killHandler, minParams: 1, operOnly: true },
};
