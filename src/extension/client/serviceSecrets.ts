// Passwords we gave to services, kept out of what services say back. atheme answers a REGISTER
// with "<nick> is now registered to <email>, with the password <password>." and a SET PASSWORD with
// the new one; Anope says "Your password is <password>". Every password we send to a *Serv
// (REGISTER, IDENTIFY, SET PASSWORD, GHOST/RECOVER/REGAIN) and the SASL one are remembered for the
// client's life, and a word of a line from or to services (our own, echoed) that is one of them
// becomes "********" before anything (the raw log, the view, a transcript) sees the line.
import type { IrcMessage } from '../../protocol/message.ts';
import { parseSource } from '../../protocol/source.ts';
import { stripFormatting } from '../../protocol/formatting.ts';

export const MASK = '********';
/** The newest passwords kept: a session changes its password a few times at most. */
const MAX_SECRETS = 8;
/** Quotes and brackets before a word, punctuation after it: "<password>." is still the password. */
const LEADING = /^[("'`<[]+/;
const TRAILING = /[)"'`>\].,;:!?]+$/;

const isService = (target: string | undefined) => target !== undefined && /serv$/i.test(target);

/** The password in a command to services, or undefined: REGISTER pw [email], IDENTIFY [account] pw, SET PASSWORD pw, GHOST nick pw. */
export function serviceCommandSecret(text: string): string | undefined {
  const words = text.trim().split(/\s+/);
  const verb = words[0]?.toUpperCase();
  if (verb === 'REGISTER') return words[1];
  if (verb === 'IDENTIFY') return words.length >= 3 ? words[2] : words[1];
  if (verb === 'SET' && words[1]?.toUpperCase() === 'PASSWORD') return words[2];
  if (verb === 'GHOST' || verb === 'RECOVER' || verb === 'REGAIN') return words[2];
  return undefined;
}

export class ServiceSecrets {
  readonly #secrets: string[] = [];

  constructor(initial: readonly (string | undefined)[] = []) {
    for (const s of initial) if (s) this.add(s);
  }

  add(secret: string): void {
    if (secret === '' || this.#secrets.includes(secret)) return;
    this.#secrets.push(secret);
    if (this.#secrets.length > MAX_SECRETS) this.#secrets.shift();
  }

  /** Notes the password of an outgoing PRIVMSG/NOTICE to a *Serv. */
  noteOutgoing(msg: IrcMessage): void {
    const command = msg.command.toUpperCase();
    if ((command !== 'PRIVMSG' && command !== 'NOTICE') || !isService(msg.params[0])) return;
    const secret = serviceCommandSecret(msg.params[1] ?? '');
    if (secret !== undefined) this.add(secret);
  }

  /** Our own line as the view shows it: a password typed to a *Serv (IDENTIFY <password>) masked, and noted. */
  maskOwn(target: string, text: string): string {
    if (!isService(target)) return text;
    const secret = serviceCommandSecret(text);
    if (secret === undefined) return text;
    this.add(secret);
    return this.mask(text);
  }

  /**
   * An incoming line from a *Serv, or to one (our own command echoed by echo-message), with our
   * passwords masked; the same message when there is nothing to mask.
   */
  maskIncoming(msg: IrcMessage): IrcMessage {
    // Every incoming line passes here: the cheap test first (almost no line holds a password).
    const text = msg.params.length >= 2 ? msg.params.at(-1)! : '';
    if (!this.#secrets.some((s) => text.includes(s))) return msg;
    const command = msg.command.toUpperCase();
    if (command !== 'PRIVMSG' && command !== 'NOTICE') return msg;
    if (!isService(msg.params[0]) && !(msg.source !== undefined && isService(parseSource(msg.source).nick))) return msg;
    const masked = this.mask(text);
    return masked === text ? msg : { ...msg, params: [...msg.params.slice(0, -1), masked] };
  }

  /** `text` with every word that is one of our passwords masked (formatting codes around it ignored). */
  mask(text: string): string {
    if (!this.#secrets.some((s) => text.includes(s))) return text;
    return text
      .split(/(\s+)/)
      .map((word) => {
        const bare = stripFormatting(word);
        const core = bare.replace(LEADING, '').replace(TRAILING, '');
        const secret = this.#secrets.find((s) => s === bare || s === core);
        return secret === undefined ? word : bare.replace(secret, MASK);
      })
      .join('');
  }
}
