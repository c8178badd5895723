// Chat Room's own conventions on top of IRC, shared by the server and the extension. Each is
// defined here once; test/protocol/conventions.test.ts fails if a second literal appears in src/.

/**
 * Busy rides on AWAY so stock IRC clients see it too: an away message that starts with this marker
 * means busy (`AWAY :[busy] in a meeting`); any other away message means away.
 */
export const BUSY_MARKER = '[busy]';

/** Whether an away message means busy (the marker, in any case). */
export function isBusyAway(away: string): boolean {
  return away.toLowerCase().startsWith(BUSY_MARKER);
}

/**
 * Standard-reply code (`NOTE PRIVMSG STORED_OFFLINE <nick> :<text>`) telling the sender that its
 * direct message was stored for an account that is not connected, to be delivered on its return.
 */
export const STORED_OFFLINE = 'STORED_OFFLINE';

/**
 * The text of that note, also sent as RPL_AWAY (301) so stock clients show it; a client without
 * standard-replies recognises the 301 by this exact text.
 */
export function storedOfflineText(nick: string): string {
  return `${nick} is offline; your message was stored and will be delivered when they return`;
}

/** A RPL_AWAY about `nick` that is really the stored-offline note (the user is offline, not away). */
export function isStoredOfflineAway(nick: string, text: string): boolean {
  return text === storedOfflineText(nick);
}
