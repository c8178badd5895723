// Rooms: JOIN, PART, TOPIC, NAMES, LIST, INVITE, KICK (RFC 2812 §3.2, modern.ircdocs.horse).
// Server operators (admins) may moderate any room: they pass +i/+k/+l/+b on JOIN, and KICK/TOPIC
// without being a room operator.
import { CAP } from '../../protocol/caps.ts';
import {
  ERR_BADCHANNELKEY,
  ERR_BANNEDFROMCHAN,
  ERR_CHANNELISFULL,
  ERR_CHANOPRIVSNEEDED,
  ERR_INVITEONLYCHAN,
  ERR_NEEDMOREPARAMS,
  ERR_NEEDREGGEDNICK,
  ERR_NOSUCHCHANNEL,
  ERR_NOSUCHNICK,
  ERR_NOTONCHANNEL,
  ERR_TOOMANYCHANNELS,
  ERR_USERNOTINCHANNEL,
  ERR_USERONCHANNEL,
  RPL_AWAY,
  RPL_ENDOFINVITELIST,
  RPL_ENDOFNAMES,
  RPL_INVITELIST,
  RPL_INVITING,
  RPL_LIST,
  RPL_LISTEND,
  RPL_LISTSTART,
  RPL_NAMREPLY,
  RPL_NOTOPIC,
  RPL_TOPIC,
  RPL_TOPICWHOTIME,
} from '../../protocol/numerics.ts';
import { isValidChannelName } from '../../protocol/validate.ts';
import type { Channel } from '../channel.ts';
import type { Client } from '../client.ts';
import type { CommandContext, CommandSpec, ServerContext } from '../context.ts';
import { KICK_LENGTH, MAX_KICK_TARGETS } from '../isupport.ts';
import { eventTags } from '../msgtags.ts';
import { Outgoing } from '../outgoing.ts';
import type { Reply } from '../reply.ts';
import { registerRoom, registeredRoomCount, restoredRole, saveRoom, startLife } from '../rooms.ts';

/** Bytes of nicks per 353 line, leaving room for prefix, nick and channel in 512 bytes. */
const NAMES_LINE_BYTES = 380;

function joinHandler(ctx: CommandContext): void {
  const { server, client, msg, reply } = ctx;
  if (msg.params[0] === '0') {
    // JOIN 0: leave every room (RFC 2812 §3.2.1).
    for (const ch of [...client.channels]) partChannel(server, client, ch, 'Left all channels');
    return;
  }
  if (server.config.requireLogin && client.account === null) {
    return reply.numeric(ERR_NEEDREGGEDNICK, msg.params[0]!, 'You must be logged in to an account to join rooms (SASL or REGISTER)');
  }
  const names = msg.params[0]!.split(',');
  const keys = (msg.params[1] ?? '').split(',');
  names.forEach((name, i) => {
    if (name === '') return;
    joinOne(server, client, name, keys[i] ?? '', reply);
  });
}

function joinOne(server: ServerContext, client: Client, name: string, key: string, reply: Reply): void {
  if (!isValidChannelName(name, server.config.limits.channelLength)) {
    return reply.numeric(ERR_NOSUCHCHANNEL, name, 'No such channel');
  }
  const existing = server.registry.findChannel(name);
  if (existing?.members.has(client)) return;
  if (client.channels.size >= server.config.limits.maxChannelsPerClient) {
    return reply.numeric(ERR_TOOMANYCHANNELS, name, 'You have joined too many channels');
  }
  // Server operators, and the founder and operators of a registered room, are not locked out by
  // the room's own +b/+i/+k/+l.
  if (existing && !client.isOper && !restoredRole(server, existing, client).op) {
    const invited = inviteKeys(server, client).some((k) => existing.invited.has(k));
    if (existing.isBanned(client, (s) => server.registry.fold(s)) && !invited) {
      return reply.numeric(ERR_BANNEDFROMCHAN, existing.name, 'Cannot join channel (+b)');
    }
    if (existing.flags.has('i') && !invited) return reply.numeric(ERR_INVITEONLYCHAN, existing.name, 'Cannot join channel (+i)');
    if (existing.key !== null && existing.key !== key && !invited) {
      return reply.numeric(ERR_BADCHANNELKEY, existing.name, 'Cannot join channel (+k)');
    }
    if (existing.limit !== null && existing.members.size >= existing.limit && !invited) {
      return reply.numeric(ERR_CHANNELISFULL, existing.name, 'Cannot join channel (+l)');
    }
  }
  // A room created while logged in is registered (kept for ever): --max-rooms-per-account of them.
  const maxRooms = server.config.limits.maxRoomsPerAccount;
  if (!existing && client.account !== null && registeredRoomCount(server, server.registry.fold(client.account)) >= maxRooms) {
    return reply.numeric(ERR_TOOMANYCHANNELS, name, `Your account has registered ${maxRooms} rooms, the most allowed: join an existing room instead`);
  }
  const { channel: ch, created } = server.registry.getOrCreateChannel(name);
  if (created) startLife(server, ch);
  for (const k of inviteKeys(server, client)) ch.invited.delete(k);
  // The first user of a new room is its operator; in a registered room the stored roles apply.
  const isFirst = created || (ch.members.size === 0 && !ch.registered);
  const role = restoredRole(server, ch, client);
  ch.members.set(client, { op: isFirst || role.op, voice: role.voice });
  client.channels.add(ch);
  if (created && client.account !== null) registerRoom(server, ch, client);

  // extended-join: `JOIN #room account :realname` for those who asked (account '*' when logged out).
  const tags = eventTags(client);
  const plain = new Outgoing({ tags: {}, source: client.hostmask, command: 'JOIN', params: [ch.name] }, tags);
  const extended = new Outgoing(
    { tags: {}, source: client.hostmask, command: 'JOIN', params: [ch.name, client.account ?? '*', client.realname || '*'] },
    tags,
  );
  for (const m of ch.members.keys()) {
    const out = m.has(CAP.extendedJoin) ? extended : plain;
    if (m === client) reply.send(out);
    else m.send(out);
  }
  if (ch.topic !== '') sendTopic(reply, ch);
  server.hooks.emit('joinReply', client, ch, reply);
  sendNames(server, client, ch, reply);
  server.hooks.emit('join', client, ch, reply);
}

/** Removes `client` from `ch`, telling every member (and the client) with a PART. */
export function partChannel(server: ServerContext, client: Client, ch: Channel, reason: string, reply?: Reply): void {
  const params = reason === '' ? [ch.name] : [ch.name, reason];
  const out = new Outgoing({ tags: {}, source: client.hostmask, command: 'PART', params }, eventTags(client));
  for (const m of ch.members.keys()) {
    if (m === client && reply) reply.send(out);
    else m.send(out);
  }
  leave(server, client, ch);
  server.hooks.emit('part', client, ch);
}

/** Drops membership without announcing it (the caller did). */
export function leave(server: ServerContext, client: Client, ch: Channel): void {
  ch.members.delete(client);
  client.channels.delete(ch);
  server.registry.dropIfEmpty(ch);
}

function partHandler({ server, client, msg, reply }: CommandContext): void {
  const reason = (msg.params[1] ?? '').slice(0, KICK_LENGTH);
  for (const name of msg.params[0]!.split(',')) {
    if (name === '') continue;
    const ch = server.registry.findChannel(name);
    if (!ch) {
      reply.numeric(ERR_NOSUCHCHANNEL, name, 'No such channel');
      continue;
    }
    if (!ch.members.has(client)) {
      reply.numeric(ERR_NOTONCHANNEL, ch.name, "You're not on that channel");
      continue;
    }
    partChannel(server, client, ch, reason, reply);
  }
}

function sendTopic(reply: Reply, ch: Channel): void {
  reply.numeric(RPL_TOPIC, ch.name, ch.topic);
  if (ch.topicSetBy !== '') reply.numeric(RPL_TOPICWHOTIME, ch.name, ch.topicSetBy, String(ch.topicSetAt));
}

/** 353/366. `=` public, `@` secret (+s). multi-prefix and userhost-in-names change the entries. */
export function sendNames(server: ServerContext, client: Client, ch: Channel, reply: Reply): void {
  const symbol = ch.flags.has('s') ? '@' : '=';
  const multi = client.has(CAP.multiPrefix);
  const userhost = client.has(CAP.userhostInNames);
  const visible = ch.members.has(client) || !ch.flags.has('s') || client.isOper;
  if (visible) {
    let line = '';
    for (const m of ch.members.keys()) {
      if (m.modes.has('i') && !ch.members.has(client) && !client.isOper) continue;
      const entry = ch.prefixOf(m, multi) + (userhost ? m.hostmask : m.nick);
      if (line !== '' && Buffer.byteLength(line) + 1 + Buffer.byteLength(entry) > NAMES_LINE_BYTES) {
        reply.numeric(RPL_NAMREPLY, symbol, ch.name, line);
        line = entry;
      } else line = line === '' ? entry : `${line} ${entry}`;
    }
    if (line !== '') reply.numeric(RPL_NAMREPLY, symbol, ch.name, line);
  }
  reply.numeric(RPL_ENDOFNAMES, ch.name, 'End of /NAMES list');
}

function namesHandler({ server, client, msg, reply }: CommandContext): void {
  const target = msg.params[0];
  if (target === undefined || target === '') return reply.numeric(RPL_ENDOFNAMES, '*', 'End of /NAMES list');
  const name = target.split(',')[0]!; // TARGMAX NAMES:1
  const ch = server.registry.findChannel(name);
  if (!ch) return reply.numeric(RPL_ENDOFNAMES, name, 'End of /NAMES list');
  sendNames(server, client, ch, reply);
}

function topicHandler({ server, client, msg, reply }: CommandContext): void {
  const name = msg.params[0]!;
  const ch = server.registry.findChannel(name);
  if (!ch) return reply.numeric(ERR_NOSUCHCHANNEL, name, 'No such channel');
  const member = ch.members.has(client);
  if (msg.params.length < 2) {
    if (!member && ch.flags.has('s') && !client.isOper) return reply.numeric(ERR_NOTONCHANNEL, ch.name, "You're not on that channel");
    if (ch.topic === '') return reply.numeric(RPL_NOTOPIC, ch.name, 'No topic is set');
    return sendTopic(reply, ch);
  }
  if (!member && !client.isOper) return reply.numeric(ERR_NOTONCHANNEL, ch.name, "You're not on that channel");
  if (ch.flags.has('t') && !ch.isOp(client) && !client.isOper) {
    return reply.numeric(ERR_CHANOPRIVSNEEDED, ch.name, "You're not channel operator");
  }
  const topic = truncate(msg.params[1]!, server.config.limits.topicLength);
  ch.topic = topic;
  ch.topicSetBy = client.hostmask;
  ch.topicSetAt = Math.floor(Date.now() / 1000);
  saveRoom(server, ch);
  const out = new Outgoing({ tags: {}, source: client.hostmask, command: 'TOPIC', params: [ch.name, topic] }, eventTags(client));
  for (const m of ch.members.keys()) {
    if (m === client) reply.send(out);
    else m.send(out);
  }
  if (!member) reply.send(out);
}

function truncate(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = text.slice(0, maxBytes);
  while (Buffer.byteLength(out) > maxBytes) out = out.slice(0, -1);
  return out;
}

function listHandler({ server, client, msg, reply }: CommandContext): void {
  reply.numeric(RPL_LISTSTART, 'Channel', 'Users  Name');
  const wanted = msg.params[0] ? msg.params[0].split(',').map((n) => server.registry.fold(n)) : null;
  for (const ch of server.registry.channels) {
    if (wanted && !wanted.includes(ch.folded)) continue;
    if (ch.flags.has('s') && !ch.members.has(client) && !client.isOper) continue;
    reply.numeric(RPL_LIST, ch.name, String(ch.members.size), ch.topic);
  }
  reply.numeric(RPL_LISTEND, 'End of /LIST');
}

/**
 * The key an invite to `client` is stored under: its account when it has one (it outlives the
 * connection), else this connection (as ergo does): never the nick, which someone else may take.
 */
function inviteKey(server: ServerContext, client: Client): string {
  return client.account !== null ? `account:${server.registry.fold(client.account)}` : `client:${client.id}`;
}

/** The invites `client` may use: to its account, and to this connection from before it logged in. */
function inviteKeys(server: ServerContext, client: Client): string[] {
  const byConnection = `client:${client.id}`;
  return client.account !== null ? [inviteKey(server, client), byConnection] : [byConnection];
}

function inviteHandler({ server, client, msg, reply }: CommandContext): void {
  if (msg.params.length === 0) {
    // INVITE with no parameters lists the rooms the client is invited to (modern.ircdocs.horse).
    const keys = inviteKeys(server, client);
    for (const ch of server.registry.channels) if (keys.some((k) => ch.invited.has(k))) reply.numeric(RPL_INVITELIST, ch.name);
    return reply.numeric(RPL_ENDOFINVITELIST, 'End of /INVITE list');
  }
  if (msg.params.length < 2) return reply.numeric(ERR_NEEDMOREPARAMS, 'INVITE', 'Not enough parameters');
  const [nick, name] = [msg.params[0]!, msg.params[1]!];
  const target = server.registry.findNick(nick);
  if (!target?.registered) return reply.numeric(ERR_NOSUCHNICK, nick, 'No such nick/channel');
  const ch = server.registry.findChannel(name);
  if (!ch) return reply.numeric(ERR_NOSUCHCHANNEL, name, 'No such channel');
  if (!ch.members.has(client) && !client.isOper) return reply.numeric(ERR_NOTONCHANNEL, ch.name, "You're not on that channel");
  if (ch.members.has(target)) return reply.numeric(ERR_USERONCHANNEL, target.nick, ch.name, 'is already on channel');
  if (ch.flags.has('i') && !ch.isOp(client) && !client.isOper) {
    return reply.numeric(ERR_CHANOPRIVSNEEDED, ch.name, "You're not channel operator");
  }
  ch.invited.add(inviteKey(server, target));
  reply.numeric(RPL_INVITING, target.nick, ch.name);
  if (target.away !== null) reply.numeric(RPL_AWAY, target.nick, target.away);
  const out = new Outgoing({ tags: {}, source: client.hostmask, command: 'INVITE', params: [target.nick, ch.name] }, eventTags(client));
  target.send(out);
  // invite-notify: other operators of the room learn about it.
  for (const m of ch.members.keys()) if (m !== client && m.has(CAP.inviteNotify) && ch.isOp(m)) m.send(out);
}

/**
 * RFC 2812 §3.2.8: one room and several nicks, or as many rooms as nicks, taken in pairs
 * (`KICK #a,#b alice,bob` kicks alice from #a and bob from #b). Each pair is checked on its own.
 */
function kickHandler(ctx: CommandContext): void {
  const { client, msg, reply } = ctx;
  const rooms = msg.params[0]!.split(',');
  const nicks = msg.params[1]!.split(',');
  if (rooms.length !== 1 && rooms.length !== nicks.length) {
    return reply.numeric(ERR_NEEDMOREPARAMS, 'KICK', 'Give one channel, or as many channels as nicks');
  }
  const reason = (msg.params[2] ?? client.nick).slice(0, KICK_LENGTH);
  nicks.slice(0, MAX_KICK_TARGETS).forEach((nick, i) => kickOne(ctx, rooms[rooms.length === 1 ? 0 : i]!, nick, reason));
}

function kickOne({ server, client, reply }: CommandContext, name: string, nick: string, reason: string): void {
  const ch = server.registry.findChannel(name);
  if (!ch) return reply.numeric(ERR_NOSUCHCHANNEL, name, 'No such channel');
  if (!ch.members.has(client) && !client.isOper) return reply.numeric(ERR_NOTONCHANNEL, ch.name, "You're not on that channel");
  if (!ch.isOp(client) && !client.isOper) return reply.numeric(ERR_CHANOPRIVSNEEDED, ch.name, "You're not channel operator");
  const target = server.registry.findNick(nick);
  if (!target || !ch.members.has(target)) return reply.numeric(ERR_USERNOTINCHANNEL, nick, ch.name, "They aren't on that channel");
  const out = new Outgoing({ tags: {}, source: client.hostmask, command: 'KICK', params: [ch.name, target.nick, reason] }, eventTags(client));
  for (const m of ch.members.keys()) {
    if (m === client) reply.send(out);
    else m.send(out);
  }
  if (!ch.members.has(client)) reply.send(out);
  leave(server, target, ch);
  server.hooks.emit('part', target, ch);
}

export const channelCommands: Record<string, CommandSpec> = {
  JOIN: { handler: joinHandler, minParams: 1 },
  PART: { handler: partHandler, minParams: 1 },
  TOPIC: { handler: topicHandler, minParams: 1 },
  NAMES: { handler: namesHandler, minParams: 0 },
  LIST: { handler: listHandler, minParams: 0 },
  INVITE: { handler: inviteHandler, minParams: 0 },
  KICK: { handler: kickHandler, minParams: 2 },
};
