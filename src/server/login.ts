// Logging a client in to an account (after SASL or REGISTER): 900 RPL_LOGGEDIN to the client,
// ACCOUNT to peers with account-notify (https://ircv3.net/specs/extensions/account-notify).
import { CAP } from '../protocol/caps.ts';
import { RPL_LOGGEDIN } from '../protocol/numerics.ts';
import type { Client } from './client.ts';
import { adoptGuestDms } from './dmParties.ts';
import type { ServerContext } from './context.ts';
import { eventTags } from './msgtags.ts';
import { Outgoing } from './outgoing.ts';
import { sendToPeers } from './peers.ts';
import type { Reply } from './reply.ts';

export function logIn(server: ServerContext, client: Client, account: string, reply: Reply): void {
  // A guest's DMs become the account's; an account switching to another keeps its own apart.
  const guestToken = client.account === null ? client.guestToken : undefined;
  client.account = account;
  if (guestToken !== undefined) adoptGuestDms(server, client, guestToken);
  reply.numeric(RPL_LOGGEDIN, client.hostmask, account, `You are now logged in as ${account}`);
  if (client.registered) {
    const out = new Outgoing({ tags: {}, source: client.hostmask, command: 'ACCOUNT', params: [account] }, eventTags(client));
    sendToPeers(client, out, { cap: CAP.accountNotify });
  }
  server.hooks.emit('login', client);
}
