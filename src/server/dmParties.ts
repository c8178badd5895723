// Who the two sides of a direct message are (issue 11, "Who reads which history"). A side is its
// account when logged in, else its connection's token (Client.dmToken): a nick is not an identity,
// since whoever takes it next, or registers it, is someone else. The names shown stay the account
// or the nick as spelled. Each connection also remembers whom it talked to under which nick, so it
// finds the conversation once that nick has left (chathistory.ts peerParty).
import { casefold } from '../protocol/casemap.ts';
import type { Client } from './client.ts';
import type { ServerContext } from './context.ts';
import type { GuestPeer } from './storage/guestDms.ts';
import type { MessageTarget } from './storage/types.ts';

type DmTarget = Extract<MessageTarget, { type: 'dm' }>;

/** A DM between two connected clients. */
export function dmBetween(from: Client, to: Client): DmTarget {
  from.rememberPeer(to.nick, to.party);
  to.rememberPeer(from.nick, from.party);
  return { type: 'dm', from: from.party, to: to.party, fromName: from.account ?? from.nick, toName: to.account ?? to.nick };
}

/** A DM to an account with no connection under the nick it was sent to (offline delivery). */
export function dmToAccount(from: Client, account: string): DmTarget {
  return { type: 'dm', from: from.party, to: account, fromName: from.account ?? from.nick, toName: account };
}

/**
 * A guest logged in (its account was just set): the DMs it had as a guest become the account's
 * (storage/guestDms.ts), and connections that remember it by its token now know it by the account.
 * Its own messages are committed already (a login command waits for them); DMs to it still in
 * the writer's queue are flushed first so none is left under the token.
 */
export function adoptGuestDms(server: ServerContext, client: Client, token: string): void {
  const account = client.account;
  if (account === null) return;
  const peers = new Map<string, GuestPeer>();
  for (const p of client.rememberedPeers()) peers.set(casefold(p.party), { party: casefold(p.party), display: p.nick });
  try {
    for (const party of server.store.guestDms.listedBy(token)) {
      if (!peers.has(party)) peers.set(party, { party, display: server.store.accounts.getAccount(party)?.displayName ?? party });
    }
    if (peers.size === 0) return;
    if (server.store.messages.pending() > 0) server.store.messages.flush();
    const display = server.store.accounts.getAccount(account)?.displayName ?? account;
    const moved = server.store.guestDms.adopt(token, account, display, [...peers.values()]);
    if (moved > 0) server.log.info(`${client.nick} logged in as ${account}: ${moved} message(s) of its guest DMs are now the account's`);
  } catch (err) {
    server.log.error(`moving the guest DMs of ${client.nick} to ${account} failed`, err);
  }
  const to = casefold(account);
  for (const c of server.registry.clients) if (c !== client) c.peerBecame(token, to);
}
