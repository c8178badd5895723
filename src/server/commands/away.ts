// AWAY (RFC 2812 §4.1): 306 when set, 305 when cleared; PRIVMSG senders then get 301 and WHO shows G.
// The `away` hook lets the away-notify / MONITOR module tell others.
import { RPL_NOWAWAY, RPL_UNAWAY } from '../../protocol/numerics.ts';
import type { CommandContext, CommandSpec } from '../context.ts';
import { AWAY_LENGTH } from '../isupport.ts';

function awayHandler({ server, client, msg, reply }: CommandContext): void {
  const text = msg.params[0] ?? '';
  if (text === '') {
    client.away = null;
    reply.numeric(RPL_UNAWAY, 'You are no longer marked as being away');
  } else {
    client.away = text.slice(0, AWAY_LENGTH);
    reply.numeric(RPL_NOWAWAY, 'You have been marked as being away');
  }
  server.hooks.emit('away', client);
}

export const awayCommands: Record<string, CommandSpec> = {
  AWAY: { handler: awayHandler, minParams: 0 },
};
