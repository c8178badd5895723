// What a nick and a channel name may be. RFC 2812 §2.3.1 is stricter than what deployed servers
// accept; we follow modern.ircdocs.horse: https://modern.ircdocs.horse/#clients and #channels.

/** Default limits; the server advertises its own in ISUPPORT (NICKLEN, CHANNELLEN, TOPICLEN). */
export const DEFAULT_NICK_LENGTH = 30;
export const DEFAULT_CHANNEL_LENGTH = 64;
export const DEFAULT_TOPIC_LENGTH = 390;

// First character: a letter or one of []\`_^{|}; then also digits and '-'. No space, comma, '*',
// '?', '!', '@', '.', ':' or '#' — they would be ambiguous in masks, lists and prefixes.
const NICK = /^[A-Za-z\[\]\\`_^{|}][A-Za-z0-9\[\]\\`_^{|}-]*$/;

export function isValidNick(nick: string, maxLength = DEFAULT_NICK_LENGTH): boolean {
  return nick.length > 0 && nick.length <= maxLength && NICK.test(nick);
}

export const CHANNEL_PREFIXES = '#';

export function isChannelName(target: string): boolean {
  return target.length > 0 && CHANNEL_PREFIXES.includes(target[0]!);
}

// RFC 2812 §1.3: no space, ^G (0x07), comma; we also refuse other control characters and ':'.
const CHANNEL_FORBIDDEN = /[\x00-\x20,:\x7f]/;

export function isValidChannelName(name: string, maxLength = DEFAULT_CHANNEL_LENGTH): boolean {
  return (
    name.length > 1 &&
    Buffer.byteLength(name) <= maxLength &&
    isChannelName(name) &&
    !CHANNEL_FORBIDDEN.test(name)
  );
}

/** Account names follow nick rules, so an account can always be used as its own nick. */
export function isValidAccountName(name: string, maxLength = DEFAULT_NICK_LENGTH): boolean {
  return isValidNick(name, maxLength);
}
