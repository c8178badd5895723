// PING/PONG (RFC 2812 §3.7.2-3). The server's own keep-alive PINGs are sent by ../liveness.ts;
// any line from the client counts as an answer (the dispatcher clears `pingPending`).
import { ERR_NOORIGIN } from '../../protocol/numerics.ts';
import type { CommandContext, CommandSpec } from '../context.ts';

function pingHandler({ server, msg, reply }: CommandContext): void {
  const token = msg.params[0] ?? '';
  if (token === '') return reply.numeric(ERR_NOORIGIN, 'No origin specified');
  reply.server('PONG', server.name, token);
}

function pongHandler(): void {
  // Nothing to do: receiving it already reset the client's liveness.
}

export const pingCommands: Record<string, CommandSpec> = {
  // Usable before registration: some clients PING while waiting, and we PING unregistered ones.
  PING: { handler: pingHandler, minParams: 0, preRegistration: true },
  PONG: { handler: pongHandler, minParams: 0, preRegistration: true },
};
