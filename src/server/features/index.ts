// The modern layer (issue 4): IRCv3 features installed on top of the core, one module per concern.
// Each registers its capability, ISUPPORT tokens, commands and hook listeners on the ServerContext.
import type { ServerContext } from '../context.ts';
import { installBotMode } from './bot.ts';
import { installChathistory } from './chathistory.ts';
import { Monitor } from './monitor.ts';
import { installMultiline } from './multiline.ts';
import { installOfflineDelivery } from './offlineDelivery.ts';
import { installPresence } from './presence.ts';
import { installReadMarkers } from './readMarker.ts';
import { installRedaction } from './redaction.ts';
import { installSearch } from './search.ts';
import { AccountSessions } from './sessions.ts';
import { installTagmsg } from './tagmsg.ts';
import { installWhowas } from './whowas.ts';

export function installModernFeatures(server: ServerContext): void {
  const sessions = new AccountSessions(server);
  const monitor = new Monitor(server);
  installPresence(server, monitor);
  installChathistory(server);
  installOfflineDelivery(server, sessions);
  installReadMarkers(server, sessions);
  installTagmsg(server);
  installRedaction(server);
  installSearch(server);
  installMultiline(server);
  installBotMode(server);
  installWhowas(server);
}
