// Who the two sides of a direct message are (issue 11, "Who reads which history"). A side is its
// account when logged in, else its connection's token (Client.dmToken): a nick is not an identity,
// since whoever takes it next, or registers it, is someone else. The names shown stay the account
// or the nick as spelled. Each connection also remembers whom it talked to under which nick, so it
// finds the conversation once that nick has left (chathistory.ts peerParty).
import type { Client } from './client.ts';
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
