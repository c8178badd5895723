// Capabilities the core offers, and the feature modules it installs. Each entry is a capability in
// the registry (../caps.ts) plus, where needed, hook listeners; a later module (chathistory,
// multiline, MONITOR...) follows the same pattern from its own file.
import { CAP } from '../protocol/caps.ts';
import type { ServerContext } from './context.ts';
import { installAccountRegistration } from './commands/account.ts';
import { installSasl } from './commands/sasl.ts';
import { installModernFeatures } from './features/index.ts';

export function installFeatures(server: ServerContext): void {
  // Pure capability flags whose behaviour lives where the lines are built (outgoing.ts tag specs,
  // JOIN/NAMES/INVITE, reply.ts).
  for (const name of [
    CAP.capNotify,
    CAP.messageTags,
    CAP.serverTime,
    CAP.echoMessage,
    CAP.accountTag,
    CAP.extendedJoin,
    CAP.multiPrefix,
    CAP.userhostInNames,
    CAP.inviteNotify,
    CAP.batch,
    CAP.labeledResponse,
    CAP.standardReplies,
  ]) {
    server.caps.register({ name });
  }
  server.caps.register({ name: CAP.accountNotify });
  installSasl(server);
  installAccountRegistration(server);
  installModernFeatures(server);
}
