// Server operators (admins): OPER with the --oper NAME:PASSWORD credentials, KILL.
// Opers also moderate any room (see channels.ts/modes.ts) and are exempt from flood control.
import { holdBack, type Refusal } from '../auth/guard.ts';
import { sameSecret } from '../auth/secret.ts';
import {
  ERR_CANTKILLSERVER,
  ERR_NOOPERHOST,
  ERR_NOSUCHNICK,
  ERR_PASSWDMISMATCH,
  RPL_YOUREOPER,
} from '../../protocol/numerics.ts';
import type { Client } from '../client.ts';
import type { CommandContext, CommandSpec, ServerContext } from '../context.ts';
import type { Reply } from '../reply.ts';
import { announceUserMode } from './modes.ts';

async function operHandler({ server, client, msg, reply }: CommandContext): Promise<void> {
  const [name, password] = msg.params as [string, string];
  // 491 "no O-line for your host" is the numeric for "not from where you are"; the text says why.
  const insecure = server.auth.plaintextRefusal(client);
  if (insecure !== null) return reply.numeric(ERR_NOOPERHOST, insecure);
  const key = `oper:${name}`;
  const wait = server.auth.mustWait(client, key);
  if (wait !== null) return refuse(server, client, reply, wait);
  // Every credential is compared (no early exit), each in constant time.
  let ok = false;
  for (const o of server.config.opers) ok = (sameSecret(o.name, name) && sameSecret(o.password, password)) || ok;
  // One answer for an unknown name and a wrong password: no oracle for which names exist.
  if (!ok) return refuse(server, client, reply, server.auth.failed(client, 'Password incorrect', key));
  server.auth.succeeded(key);
  if (!client.modes.has('o')) {
    client.modes.add('o');
    announceUserMode(client, '+o', reply);
  }
  reply.numeric(RPL_YOUREOPER, 'You are now an IRC operator');
  server.log.info(`${client.hostmask} is now a server operator (${name})`);
}

async function refuse(server: ServerContext, client: Client, reply: Reply, r: Refusal): Promise<void> {
  await holdBack(r);
  reply.numeric(ERR_PASSWDMISMATCH, r.text);
  if (!r.disconnect) return;
  reply.flush();
  server.disconnect(client, 'Too many failed login attempts');
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
