// Presence: away-notify (https://ircv3.net/specs/extensions/away-notify) and the busy convention.
//
// AWAY sets or clears the away message (commands/away.ts: 306/305; PRIVMSG senders get 301; WHO
// shows G; WHOIS shows 301). Here its change is announced as `:nick!user@host AWAY [:message]` to
// every client that shares a room with the user and negotiated away-notify, and — with
// extended-monitor — to clients that MONITOR the nick; each receiver gets it once. A user who joins
// while away is announced to the room's away-notify members right after the JOIN. The spec has the
// joiner learn who is away already from WHO, whose G flag carries no text; so a joiner with
// away-notify is also sent the AWAY of each member away already (after NAMES), and a busy member
// shows as busy, not merely away.
//
// Busy: an away message that starts with `[busy]` means busy (`AWAY :[busy] in a meeting`). For IRC
// it is away like any other (301, G in WHO, AWAY to away-notify clients), so stock clients show the
// text; our extension shows "busy".
import { CAP } from '../../protocol/caps.ts';
import { isBusyAway } from '../../protocol/conventions.ts';
import type { Client } from '../client.ts';
import type { ServerContext } from '../context.ts';
import { eventTags } from '../msgtags.ts';
import { Outgoing } from '../outgoing.ts';
import { peersOf } from '../peers.ts';
import type { Monitor } from './monitor.ts';

export function isBusy(away: string | null): boolean {
  return away !== null && isBusyAway(away);
}

export function awayLine(client: Client): Outgoing {
  const params = client.away === null ? [] : [client.away];
  return new Outgoing({ tags: {}, source: client.hostmask, command: 'AWAY', params }, eventTags(client));
}

export function installPresence(server: ServerContext, monitor: Monitor): void {
  server.caps.register({ name: CAP.awayNotify });
  server.hooks.on('away', (client) => {
    const out = awayLine(client);
    const to = new Set<Client>();
    for (const p of peersOf(client)) if (p.has(CAP.awayNotify)) to.add(p);
    for (const w of monitor.watchersOf(client.nick)) if (w !== client && w.has(CAP.extendedMonitor) && w.has(CAP.awayNotify)) to.add(w);
    for (const c of to) c.send(out);
  });
  server.hooks.on('join', (client, channel, reply) => {
    if (client.away !== null) {
      const out = awayLine(client);
      for (const m of channel.members.keys()) if (m !== client && m.has(CAP.awayNotify)) m.send(out);
    }
    // In the JOIN's reply, after NAMES: a client learns of the members before their away state.
    if (client.has(CAP.awayNotify)) {
      for (const m of channel.members.keys()) if (m !== client && m.away !== null) reply.send(awayLine(m));
    }
  });
}
