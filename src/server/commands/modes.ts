// MODE for rooms and users (RFC 2811 §4, RFC 2812 §3.1.5/§3.2.3, modern.ircdocs.horse#mode-message).
// Room modes: +o +v (prefixes), +b (list, masks), +k (key), +l (limit), +i +m +n +s +t (flags).
// Changing them needs room operator (+o) or server operator; listing bans needs neither.
// User modes: +i (invisible); +o only through OPER (a `MODE nick +o` is ignored), -o drops it.
import {
  ERR_CHANOPRIVSNEEDED,
  ERR_NOSUCHCHANNEL,
  ERR_NOSUCHNICK,
  ERR_UMODEUNKNOWNFLAG,
  ERR_UNKNOWNMODE,
  ERR_USERNOTINCHANNEL,
  ERR_USERSDONTMATCH,
  ERR_BANLISTFULL,
  ERR_INVALIDKEY,
  ERR_INVALIDMODEPARAM,
  RPL_BANLIST,
  RPL_CHANNELMODEIS,
  RPL_CREATIONTIME,
  RPL_ENDOFBANLIST,
  RPL_UMODEIS,
} from '../../protocol/numerics.ts';
import { isChannelName } from '../../protocol/validate.ts';
import { FLAG_MODES, type Channel, type FlagMode } from '../channel.ts';
import type { Client } from '../client.ts';
import type { CommandContext, CommandSpec } from '../context.ts';
import { MAX_BANS, MAX_MODES_PER_COMMAND } from '../isupport.ts';
import { eventTags } from '../msgtags.ts';
import { Outgoing } from '../outgoing.ts';
import type { Reply } from '../reply.ts';
import { saveBan, saveRole, saveRoom } from '../rooms.ts';

function modeHandler(ctx: CommandContext): void {
  const target = ctx.msg.params[0]!;
  if (isChannelName(target)) channelMode(ctx, target);
  else userMode(ctx, target);
}

/** `nick` -> `nick!*@*`, `user@host` -> `*!user@host`: the canonical ban mask form. */
export function normalizeMask(mask: string): string {
  const bang = mask.indexOf('!');
  const at = mask.indexOf('@');
  if (bang === -1 && at === -1) return `${mask}!*@*`;
  if (bang === -1) return `*!${mask}`;
  if (at === -1) return `${mask}@*`;
  return mask;
}

function channelMode({ server, client, msg, reply }: CommandContext, name: string): void {
  const ch = server.registry.findChannel(name);
  if (!ch) return reply.numeric(ERR_NOSUCHCHANNEL, name, 'No such channel');
  const modestring = msg.params[1];
  if (modestring === undefined || modestring === '') {
    reply.numeric(RPL_CHANNELMODEIS, ch.name, ...ch.modeString(ch.members.has(client) || client.isOper));
    reply.numeric(RPL_CREATIONTIME, ch.name, String(ch.createdAt));
    return;
  }
  const args = msg.params.slice(2);
  // "MODE #room b" / "+b" with no mask lists the bans: open to anyone who can see the room.
  if (/^[+-]?b$/.test(modestring) && args.length === 0) return sendBanList(ch, reply);
  const privileged = ch.isOp(client) || client.isOper;

  let adding = true;
  let paramModes = 0;
  let argIndex = 0;
  const applied: Array<{ sign: '+' | '-'; mode: string; arg?: string }> = [];
  let roomChanged = false;
  const roleChanges = new Set<Client>();
  let refused = false;
  const refuse = () => {
    if (!refused) reply.numeric(ERR_CHANOPRIVSNEEDED, ch.name, "You're not channel operator");
    refused = true;
  };

  for (const m of modestring) {
    if (m === '+' || m === '-') {
      adding = m === '+';
      continue;
    }
    const takesArg = m === 'o' || m === 'v' || m === 'b' || m === 'k' || (m === 'l' && adding);
    let arg: string | undefined;
    if (takesArg) {
      if (++paramModes > MAX_MODES_PER_COMMAND) break;
      arg = args[argIndex++];
      if (arg === undefined || arg === '') {
        if (m === 'b') {
          sendBanList(ch, reply);
          continue;
        }
        if (!(m === 'k' && !adding)) continue; // a missing parameter: skip that mode (as ircds do)
      }
    }
    if (!'ovbklimnst'.includes(m)) {
      reply.numeric(ERR_UNKNOWNMODE, m, 'is an unknown mode char to me');
      continue;
    }
    if (!privileged) {
      refuse();
      continue;
    }
    const sign = adding ? '+' : '-';
    switch (m) {
      case 'o':
      case 'v': {
        const who = server.registry.findNick(arg!);
        if (!who) {
          reply.numeric(ERR_NOSUCHNICK, arg!, 'No such nick/channel');
          break;
        }
        const member = ch.members.get(who);
        if (!member) {
          reply.numeric(ERR_USERNOTINCHANNEL, who.nick, ch.name, "They aren't on that channel");
          break;
        }
        const key = m === 'o' ? 'op' : 'voice';
        if (member[key] === adding) break;
        member[key] = adding;
        roleChanges.add(who);
        applied.push({ sign, mode: m, arg: who.nick });
        break;
      }
      case 'b': {
        const mask = normalizeMask(arg!);
        if (mask.includes(' ') || mask.startsWith(':')) {
          reply.numeric(ERR_INVALIDMODEPARAM, ch.name, 'b', arg!, 'Invalid ban mask');
          break;
        }
        const fold = (s: string) => server.registry.fold(s);
        const idx = ch.bans.findIndex((b) => fold(b.mask) === fold(mask));
        if (adding) {
          if (idx !== -1) break;
          if (ch.bans.length >= MAX_BANS) {
            reply.numeric(ERR_BANLISTFULL, ch.name, 'b', 'Channel ban list is full');
            break;
          }
          ch.bans.push({ mask, setBy: client.hostmask, setAt: Math.floor(Date.now() / 1000) });
        } else {
          if (idx === -1) break;
          ch.bans.splice(idx, 1);
        }
        saveBan(server, ch, mask, adding, client.hostmask);
        applied.push({ sign, mode: 'b', arg: mask });
        break;
      }
      case 'k':
        if (adding) {
          if (/[\s,:]/.test(arg!) || arg!.length > 32) {
            reply.numeric(ERR_INVALIDKEY, ch.name, 'Key is not well-formed');
            break;
          }
          ch.key = arg!;
          applied.push({ sign, mode: 'k', arg: arg! });
        } else {
          if (ch.key === null) break;
          ch.key = null;
          applied.push({ sign, mode: 'k', arg: '*' });
        }
        roomChanged = true;
        break;
      case 'l':
        if (adding) {
          const n = Number.parseInt(arg!, 10);
          if (!Number.isFinite(n) || n < 1 || String(n) !== arg) {
            reply.numeric(ERR_INVALIDMODEPARAM, ch.name, 'l', arg!, 'Limit must be a positive number');
            break;
          }
          ch.limit = n;
          applied.push({ sign, mode: 'l', arg: String(n) });
        } else {
          if (ch.limit === null) break;
          ch.limit = null;
          applied.push({ sign, mode: 'l' });
        }
        roomChanged = true;
        break;
      default: {
        const flag = m as FlagMode;
        if (!FLAG_MODES.includes(flag) || ch.flags.has(flag) === adding) break;
        if (adding) ch.flags.add(flag);
        else ch.flags.delete(flag);
        applied.push({ sign, mode: m });
        roomChanged = true;
      }
    }
  }

  if (roomChanged) saveRoom(server, ch);
  for (const who of roleChanges) saveRole(server, ch, who);
  if (applied.length === 0) return;
  const out = new Outgoing(
    { tags: {}, source: client.hostmask, command: 'MODE', params: [ch.name, ...formatModes(applied)] },
    eventTags(client),
  );
  for (const m of ch.members.keys()) {
    if (m === client) reply.send(out);
    else m.send(out);
  }
  if (!ch.members.has(client)) reply.send(out);
}

/** `[{+,o,a},{+,v,b},{-,k,*}]` -> ['+ov-k', 'a', 'b', '*'] */
function formatModes(changes: Array<{ sign: '+' | '-'; mode: string; arg?: string }>): string[] {
  let modes = '';
  let last = '';
  const args: string[] = [];
  for (const c of changes) {
    if (c.sign !== last) {
      modes += c.sign;
      last = c.sign;
    }
    modes += c.mode;
    if (c.arg !== undefined) args.push(c.arg);
  }
  return [modes, ...args];
}

function sendBanList(ch: Channel, reply: Reply): void {
  for (const b of ch.bans) reply.numeric(RPL_BANLIST, ch.name, b.mask, b.setBy, String(b.setAt));
  reply.numeric(RPL_ENDOFBANLIST, ch.name, 'End of channel ban list');
}

function userMode({ server, client, msg, reply }: CommandContext, nick: string): void {
  const target = server.registry.findNick(nick);
  if (!target) return reply.numeric(ERR_NOSUCHNICK, nick, 'No such nick/channel');
  if (target !== client) return reply.numeric(ERR_USERSDONTMATCH, "Can't change mode for other users");
  const modestring = msg.params[1];
  if (modestring === undefined || modestring === '') {
    return reply.numeric(RPL_UMODEIS, '+' + [...client.modes].sort().join(''));
  }
  let adding = true;
  const applied: Array<{ sign: '+' | '-'; mode: string }> = [];
  let unknown = false;
  for (const m of modestring) {
    if (m === '+' || m === '-') {
      adding = m === '+';
      continue;
    }
    if (server.userModes.has(m) && m !== 'o') {
      if (client.modes.has(m) === adding) continue;
      if (adding) client.modes.add(m);
      else client.modes.delete(m);
      applied.push({ sign: adding ? '+' : '-', mode: m });
    } else if (m === 'o') {
      // +o only through OPER; dropping it is always allowed.
      if (!adding && client.modes.delete('o')) applied.push({ sign: '-', mode: 'o' });
    } else {
      unknown = true;
    }
  }
  if (unknown) reply.numeric(ERR_UMODEUNKNOWNFLAG, 'Unknown MODE flag');
  if (applied.length > 0) {
    reply.send({ tags: {}, source: client.hostmask, command: 'MODE', params: [client.nick, formatModes(applied).join('')] });
  }
}

/** Sends a user-mode change the server made (e.g. +o after OPER). */
export function announceUserMode(client: Client, change: string, reply: Reply): void {
  reply.send({ tags: {}, source: client.nick, command: 'MODE', params: [client.nick, change] });
}

export const modeCommands: Record<string, CommandSpec> = {
  MODE: { handler: modeHandler, minParams: 1 },
};
