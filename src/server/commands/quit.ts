// QUIT (RFC 2812 §3.1.7): peers see "Quit: <message>", the client gets ERROR and is closed.
import type { CommandContext, CommandSpec } from '../context.ts';

function quitHandler({ server, client, msg }: CommandContext): void {
  const text = (msg.params[0] ?? '').slice(0, 300);
  server.disconnect(client, 'Client Quit', text === '' ? 'Client Quit' : `Quit: ${text}`);
}

export const quitCommands: Record<string, CommandSpec> = {
  QUIT: { handler: quitHandler, minParams: 0, preRegistration: true },
};
