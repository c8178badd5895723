// The core's command table: every verb the server understands, each with its handler and the
// checks the dispatcher makes for it (see ../context.ts CommandSpec). Feature modules add theirs
// with `server.commands.add(...)` / `addAll(...)`.
import { CommandTable } from '../context.ts';
import { accountCommands } from './account.ts';
import { awayCommands } from './away.ts';
import { capCommands } from './cap.ts';
import { channelCommands } from './channels.ts';
import { helpCommands } from './help.ts';
import { messagingCommands } from './messaging.ts';
import { modeCommands } from './modes.ts';
import { operCommands } from './oper.ts';
import { pingCommands } from './ping.ts';
import { queryCommands } from './queries.ts';
import { quitCommands } from './quit.ts';
import { registrationCommands } from './registration.ts';
import { saslCommands } from './sasl.ts';
import { serverInfoCommands } from './serverInfo.ts';

export function coreCommands(): CommandTable {
  const table = new CommandTable();
  for (const group of [
    registrationCommands,
    capCommands,
    pingCommands,
    quitCommands,
    channelCommands,
    messagingCommands,
    queryCommands,
    serverInfoCommands,
    helpCommands,
    awayCommands,
    saslCommands,
    accountCommands,
    modeCommands,
    operCommands,
  ]) {
    table.addAll(group);
  }
  return table;
}
