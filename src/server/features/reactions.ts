// Reactions (https://ircv3.net/specs/client-tags/react): a TAGMSG with `+draft/react=<r>` (or
// `+draft/unreact=<r>`, which takes it back) and `+draft/reply=<msgid>`. Relayed like any TAGMSG
// (tagmsg.ts) and also stored, so CHATHISTORY replays each message's current reactions right
// after it (annotations.ts). Stored only for a msgid in that target's history as the reactor may
// read it (chathistory.ts resolveTarget); a reaction is at most MAX_REACTION_BYTES, one user keeps
// at most REACTIONS_PER_USER on a message. Refusals: `FAIL TAGMSG UNKNOWN_MSGID|INVALID_REACTION|
// TOO_MANY_REACTIONS <target> ...`, and the reaction is not relayed either. A react without
// `+draft/reply` (the spec requires one) is relayed as before and not stored.
import { MAX_REACTION_BYTES, REACT_TAG, REACTIONS_PER_USER, REPLY_TAG, UNREACT_TAG } from '../../protocol/clienttags.ts';
import type { Client } from '../client.ts';
import type { ServerContext } from '../context.ts';
import type { StoredMessage } from '../storage/types.ts';
import { resolveTarget } from './chathistory.ts';

export interface Refusal {
  code: string;
  text: string;
}

/** The stored message `msgid` if it is in `target`'s history as `client` may read it, not redacted. */
export function findReadable(server: ServerContext, client: Client, target: string, msgid: string): StoredMessage | 'no-target' | null {
  const where = resolveTarget(server, client, target);
  if (!where) return 'no-target';
  const m = server.store.messages.findByMsgid(msgid);
  if (where.key === null || !m || m.target !== where.key) return null;
  if (where.from !== undefined && m.time < where.from) return null;
  const keep = server.store.history.keepSince?.();
  if (keep !== undefined && m.time < keep) return null;
  return m;
}

/** Whether these client tags carry a reaction to store (a react or unreact naming its message). */
export function isReaction(clientTags: Readonly<Record<string, string>>): boolean {
  return (clientTags[REACT_TAG] !== undefined || clientTags[UNREACT_TAG] !== undefined) && clientTags[REPLY_TAG] !== undefined;
}

/**
 * Stores the reaction carried by these client tags, if any, under the reaction's own msgid and
 * time (those it is relayed with). null: relay it; a Refusal: answer FAIL and drop it.
 */
export function recordReaction(
  server: ServerContext,
  client: Client,
  target: string,
  clientTags: Readonly<Record<string, string>>,
  stamp: { msgid: string; time: number },
): Refusal | null {
  const react = clientTags[REACT_TAG];
  const unreact = clientTags[UNREACT_TAG];
  const parent = clientTags[REPLY_TAG];
  if (!isReaction(clientTags) || parent === undefined) return null;
  const value = react ?? unreact!;
  if (value === '' || Buffer.byteLength(value) > MAX_REACTION_BYTES) {
    return { code: 'INVALID_REACTION', text: `A reaction is 1 to ${MAX_REACTION_BYTES} bytes` };
  }
  const m = findReadable(server, client, target, parent);
  if (m === 'no-target' || m === null || m.kind === 'TAGMSG' || server.store.annotations.redactionOf(m.id) !== null) {
    return { code: 'UNKNOWN_MSGID', text: 'No such message in this conversation to react to' };
  }
  const party = client.party; // an account, or this connection's token: never a nick
  if (react !== undefined) {
    const r = server.store.annotations.react(
      { messageId: m.id, party, reaction: react, msgid: stamp.msgid, source: client.hostmask, senderNick: client.nick, senderAccount: client.account, time: stamp.time },
      REACTIONS_PER_USER,
    );
    if (r === 'limit') return { code: 'TOO_MANY_REACTIONS', text: `At most ${REACTIONS_PER_USER} reactions per person on one message` };
  } else {
    server.store.annotations.unreact(m.id, party, unreact!);
  }
  return null;
}
