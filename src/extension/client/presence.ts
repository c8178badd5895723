// Presence: online / away / busy / offline. Busy rides on AWAY (BUSY_MARKER, src/protocol/
// conventions.ts) so stock IRC clients see it too. Sources: away-notify, RPL_AWAY, WHO/WHOX flags,
// MONITOR, JOIN/QUIT.
import { BUSY_MARKER, isBusyAway } from '../../protocol/conventions.ts';
import { ircMessage } from '../../protocol/message.ts';
import type { Presence } from './types.ts';

export { BUSY_MARKER };

/** Our WHOX query token (so replies to someone else's WHOX are not misread). */
export const WHOX_TOKEN = '734';
/** WHOX fields we ask for: token, channel, nick, flags, account. */
export const WHOX_FIELDS = `%tcnfa,${WHOX_TOKEN}`;

/** Reads an away message: `[busy] text` → busy + text; '' or undefined → online. */
export function presenceFromAway(message: string | undefined): { presence: Presence; message?: string } {
  if (message === undefined || message === '') return { presence: 'online' };
  if (isBusyAway(message)) {
    const rest = message.slice(BUSY_MARKER.length).trim();
    return rest === '' ? { presence: 'busy' } : { presence: 'busy', message: rest };
  }
  return { presence: 'away', message };
}

/** The AWAY command for a status: online clears it, busy gets the marker. */
export function awayCommand(status: 'online' | 'away' | 'busy', message?: string) {
  const text = (message ?? '').trim();
  if (status === 'online') return ircMessage('AWAY', []);
  if (status === 'busy') return ircMessage('AWAY', [text === '' ? BUSY_MARKER : `${BUSY_MARKER} ${text}`]);
  // AWAY with an empty text would mean "back": say something.
  return ircMessage('AWAY', [text === '' ? 'Away' : text]);
}
