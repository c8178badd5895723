// Connection registration: PASS, NICK, USER and the welcome burst (RFC 2812 §3.1,
// https://modern.ircdocs.horse/#connection-registration). Registration completes when NICK and
// USER are in, capability negotiation is over (CAP END) and the server password, if any, matched.
import { buildIsupportLines } from '../../protocol/isupport.ts';
import {
  ERR_NEEDMOREPARAMS,
  ERR_SASLABORTED,
  ERR_ALREADYREGISTERED,
  ERR_ERRONEUSNICKNAME,
  ERR_NICKNAMEINUSE,
  ERR_NONICKNAMEGIVEN,
  ERR_PASSWDMISMATCH,
  RPL_CREATED,
  RPL_ISUPPORT,
  RPL_MYINFO,
  RPL_WELCOME,
  RPL_YOURHOST,
} from '../../protocol/numerics.ts';
import { isValidNick } from '../../protocol/validate.ts';
import { holdBack } from '../auth/guard.ts';
import { sameSecret } from '../auth/secret.ts';
import type { Client } from '../client.ts';
import type { CommandContext, CommandSpec, ServerContext } from '../context.ts';
import { NETWORK_NAME, USER_LENGTH } from '../isupport.ts';
import { Outgoing } from '../outgoing.ts';
import { sendToPeers } from '../peers.ts';
import type { Reply } from '../reply.ts';
import { sendLusers, sendMotd } from './queries.ts';

/** Whether `client` may hold `nick`: a nick that names an account belongs to that account. */
export function nickReservedFor(server: ServerContext, client: Client, nick: string): string | null {
  const account = server.store.accounts.getAccount(nick);
  if (!account) return null;
  if (client.account !== null && server.registry.fold(client.account) === account.name) return null;
  return account.displayName;
}

async function passHandler({ server, client, msg, reply }: CommandContext): Promise<void> {
  if (client.registered) return reply.numeric(ERR_ALREADYREGISTERED, 'You may not reregister');
  const want = server.config.serverPassword;
  if (want === null) return; // no password configured: PASS is accepted and ignored
  const insecure = server.auth.plaintextRefusal(client);
  if (insecure !== null) return refusePass(server, client, reply, insecure);
  const wait = server.auth.mustWait(client);
  if (wait !== null) {
    await holdBack(wait);
    return refusePass(server, client, reply, wait.text);
  }
  client.passAccepted = sameSecret(msg.params[0]!, want);
  if (!client.passAccepted) {
    await holdBack(server.auth.failed(client, 'Password incorrect'));
    refusePass(server, client, reply, 'Password incorrect');
  }
}

/** 464 and the link closed: without the server password the connection can do nothing. */
function refusePass(server: ServerContext, client: Client, reply: Reply, text: string): void {
  reply.numeric(ERR_PASSWDMISMATCH, text);
  reply.flush();
  server.disconnect(client, text === 'Password incorrect' ? 'Bad password' : text);
}

function nickHandler(ctx: CommandContext): void {
  const { server, client, msg, reply } = ctx;
  const nick = msg.params[0] ?? '';
  if (nick === '') return reply.numeric(ERR_NONICKNAMEGIVEN, 'No nickname given');
  if (!isValidNick(nick, server.config.limits.nickLength)) {
    return reply.numeric(ERR_ERRONEUSNICKNAME, nick, 'Erroneous nickname');
  }
  if (nick === client.nick) return;
  const holder = server.registry.findNick(nick);
  if (holder && holder !== client) {
    client.refusedNick = nick;
    return reply.numeric(ERR_NICKNAMEINUSE, nick, 'Nickname is already in use');
  }
  const owner = nickReservedFor(server, client, nick);
  if (owner !== null) {
    // An account's nick is refused at once (433: stock clients then try their alternate nick),
    // except during CAP negotiation before registration: a SASL login may still come (NICK →
    // AUTHENTICATE → CAP END), so the nick is taken tentatively, held by no one, and checked when
    // registration completes (src/server/README.md, "Nick ownership").
    if (client.registered || !client.capNegotiating) {
      client.refusedNick = nick;
      return reply.numeric(ERR_NICKNAMEINUSE, nick, reservedText(owner));
    }
    server.registry.setTentativeNick(client, nick);
    return;
  }
  const old = client.nick;
  const oldMask = client.hostmask;
  server.registry.setNick(client, nick);
  if (client.registered) {
    const out = new Outgoing({ tags: {}, source: oldMask, command: 'NICK', params: [nick] });
    sendToPeers(client, out);
    reply.send(out); // labeled-response: the NICK line itself is the labeled reply
    server.hooks.emit('nick', client, old);
  } else {
    tryCompleteRegistration(server, client, reply);
  }
}

function reservedText(account: string): string {
  return `Nickname is registered to account ${account}: log in (SASL) or choose another nick`;
}

function userHandler({ server, client, msg, reply }: CommandContext): void {
  if (client.registered || client.user !== '') return reply.numeric(ERR_ALREADYREGISTERED, 'You may not reregister');
  // modern.ircdocs.horse (USER): an empty username or realname is a missing parameter.
  if (msg.params[0] === '' || msg.params[3] === '') return reply.numeric(ERR_NEEDMOREPARAMS, 'USER', 'Not enough parameters');
  // The username becomes part of nick!user@host: keep it to characters that are safe everywhere.
  const user = (msg.params[0] ?? '').replace(/[^A-Za-z0-9._-]/g, '').slice(0, USER_LENGTH);
  client.user = user === '' ? 'user' : user;
  client.realname = (msg.params[3] ?? '').slice(0, 200);
  tryCompleteRegistration(server, client, reply);
}

/** Completes registration if everything is in; sends the welcome burst into `reply`. */
export function tryCompleteRegistration(server: ServerContext, client: Client, reply: Reply): void {
  if (client.registered || client.quitting || client.nick === '*' || client.user === '' || client.capNegotiating) return;
  if (server.config.serverPassword !== null && !client.passAccepted) {
    // No PASS was sent: say what to do (on a plain connection from afar: use TLS).
    return refusePass(server, client, reply, server.auth.plaintextRefusal(client) ?? 'Password incorrect');
  }
  const owner = nickReservedFor(server, client, client.nick);
  if (owner !== null) {
    // 433 makes stock clients (irssi, weechat) try their alternate nick; the text says why.
    reply.numeric(ERR_NICKNAMEINUSE, client.nick, reservedText(owner));
    // Release it so the owner can connect meanwhile; the client sends another NICK.
    server.registry.releaseNick(client);
    return;
  }
  if (server.registry.findNick(client.nick) !== client) {
    // A tentative nick (above): claimed now that the login is in, unless another connection of
    // the account got there first.
    if (server.registry.findNick(client.nick) !== undefined) {
      reply.numeric(ERR_NICKNAMEINUSE, client.nick, 'Nickname is already in use');
      server.registry.releaseNick(client);
      return;
    }
    server.registry.setNick(client, client.nick);
  }
  if (client.sasl !== null) {
    // SASL: registration completed mid-exchange; the exchange is aborted and the client registers
    // without an account.
    client.sasl = null;
    reply.numeric(ERR_SASLABORTED, 'SASL authentication aborted');
  }
  server.registry.markRegistered(client);
  sendWelcome(server, client, reply);
  server.hooks.emit('registered', client);
}

function sendWelcome(server: ServerContext, client: Client, reply: Reply): void {
  reply.numeric(RPL_WELCOME, `Welcome to the ${NETWORK_NAME} IRC Network ${client.hostmask}`);
  reply.numeric(RPL_YOURHOST, `Your host is ${server.name}, running version ${server.version}`);
  reply.numeric(RPL_CREATED, `This server was created ${server.startedAt.toUTCString()}`);
  // 004: <servername> <version> <user modes> <channel modes> <channel modes with a parameter>
  const userModes = [...new Set(['o', ...server.userModes])].sort().join('');
  reply.numeric(RPL_MYINFO, server.name, server.version, userModes, 'biklmnostv', 'bklov');
  for (const tokens of buildIsupportLines([...server.isupport.entries()])) {
    reply.numeric(RPL_ISUPPORT, ...tokens, 'are supported by this server');
  }
  sendLusers(server, reply);
  sendMotd(server, reply);
  if (server.config.requireLogin && client.account === null) {
    reply.server(
      'NOTICE',
      client.nick,
      'This server requires an account to join rooms and send messages: /REGISTER * * <password> creates one for your nick; or reconnect with SASL',
    );
  }
}

export const registrationCommands: Record<string, CommandSpec> = {
  PASS: { handler: passHandler, minParams: 1, preRegistration: true },
  NICK: { handler: nickHandler, minParams: 0, preRegistration: true },
  USER: { handler: userHandler, minParams: 4, preRegistration: true },
};
