// Names and addresses derived from settings; pure, so tests need no VS Code.

/**
 * A nickname IRC accepts, from a free-form name (RFC 2812 2.3.1: a letter or special first, then
 * letters, digits, specials or "-"). Servers announce their own length limit (NICKLEN); 30 is common.
 */
export function toNickname(name: string): string {
  let nick = name.normalize('NFKD').replace(/[^A-Za-z0-9[\]\\`_^{|}-]/g, '');
  if (/^[0-9-]/.test(nick)) nick = `_${nick}`;
  nick = nick.slice(0, 30);
  return nick || 'guest';
}

/** Where to connect to reach a server listening on `host` (a wildcard address means this machine). */
export function connectHostFor(listenHost: string): string {
  if (listenHost === '0.0.0.0' || listenHost === '') return '127.0.0.1';
  if (listenHost === '::' || listenHost === '[::]') return '::1';
  return listenHost.replace(/^\[(.*)\]$/, '$1');
}
