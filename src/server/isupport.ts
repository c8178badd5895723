// RPL_ISUPPORT (005) tokens this server advertises, honestly: each one describes what the code
// does. https://modern.ircdocs.horse/#rplisupport-parameter
import type { IsupportValue } from '../protocol/isupport.ts';
import type { ServerConfig } from './config/types.ts';

/** Targets per PRIVMSG/NOTICE (TARGMAX / MAXTARGETS). */
export const MAX_MSG_TARGETS = 4;
/** Modes with a parameter per MODE command (MODES). */
export const MAX_MODES_PER_COMMAND = 6;
/** Entries in a room's ban list (MAXLIST). */
export const MAX_BANS = 100;
/** Users per KICK command (TARGMAX KICK). */
export const MAX_KICK_TARGETS = 4;
export const AWAY_LENGTH = 390;
export const KICK_LENGTH = 390;
export const USER_LENGTH = 16;
export const NETWORK_NAME = 'ChatRoom';

export function defaultIsupport(config: ServerConfig): Map<string, IsupportValue> {
  const L = config.limits;
  return new Map<string, IsupportValue>([
    ['AWAYLEN', String(AWAY_LENGTH)],
    ['CASEMAPPING', 'rfc1459'],
    ['CHANLIMIT', `#:${L.maxChannelsPerClient}`],
    ['CHANMODES', 'b,k,l,imnst'],
    ['CHANNELLEN', String(L.channelLength)],
    ['CHANTYPES', '#'],
    ['KICKLEN', String(KICK_LENGTH)],
    ['MAXLIST', `b:${MAX_BANS}`],
    ['MAXTARGETS', String(MAX_MSG_TARGETS)],
    ['MODES', String(MAX_MODES_PER_COMMAND)],
    ['NETWORK', NETWORK_NAME],
    ['NICKLEN', String(L.nickLength)],
    ['PREFIX', '(ov)@+'],
    ['TARGMAX', `PRIVMSG:${MAX_MSG_TARGETS},NOTICE:${MAX_MSG_TARGETS},JOIN:,PART:,NAMES:1,WHOIS:1,KICK:${MAX_KICK_TARGETS}`],
    ['TOPICLEN', String(L.topicLength)],
    ['USERLEN', String(USER_LENGTH)],
    ['UTF8ONLY', true],
    ['WHOX', true],
  ]);
}
