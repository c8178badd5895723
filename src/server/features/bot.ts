// Bot mode (https://ircv3.net/specs/extensions/bot-mode): a client marks itself a bot with user mode
// +B (ISUPPORT BOT=B). Its messages and events then carry the `bot` tag for message-tags clients
// (msgtags.ts), WHO shows a `B` flag and WHOIS answers 335 RPL_WHOISBOT (commands/queries.ts).
import type { ServerContext } from '../context.ts';

export const BOT_MODE = 'B';

export function installBotMode(server: ServerContext): void {
  server.userModes.add(BOT_MODE);
  server.isupport.set('BOT', BOT_MODE);
}
