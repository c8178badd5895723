// Helpers shared by the modern-layer tests (test/server/features/*.test.ts, and a few at the top of
// test/server): clients with the IRCv3 capabilities of a modern client, accounts, batch collection.
import assert from 'node:assert/strict';
import type { IrcMessage } from '../../../src/protocol/message.ts';
import type { IrcTestClient, RegisterOptions } from '../../helpers/index.ts';
import type { Harness } from '../helpers.ts';

/** What a modern client (our extension, gamja, The Lounge) negotiates. */
export const MODERN_CAPS = [
  'message-tags',
  'server-time',
  'echo-message',
  'batch',
  'labeled-response',
  'account-tag',
  'standard-replies',
  'away-notify',
  'draft/chathistory',
  'draft/event-playback',
  'draft/multiline',
  'draft/read-marker',
];

/** Connects `nick`, creates its account with REGISTER (the account is named after the nick). */
export async function newAccount(h: Harness, nick: string, password = `${nick}-password`, opts: RegisterOptions = {}): Promise<IrcTestClient> {
  const caps = [...new Set([...(opts.caps ?? MODERN_CAPS), 'draft/account-registration'])];
  const c = await h.user(nick, { ...opts, caps });
  c.send(`REGISTER * * ${password}`);
  await c.waitFor((m) => m.command === '900');
  return c;
}

/** Connects and logs in to an existing account with SASL PLAIN. */
export function login(h: Harness, nick: string, password = `${nick}-password`, caps: string[] = MODERN_CAPS): Promise<IrcTestClient> {
  return h.user(nick, { caps, sasl: { account: nick, password } });
}

export interface Batch {
  open: IrcMessage;
  /** Lines tagged with the batch reference (nested batches' lines excluded). */
  lines: IrcMessage[];
  /** Every line between BATCH + and BATCH -, nested ones included. */
  all: IrcMessage[];
}

/** Waits for `BATCH +ref <type>` and its end; returns its lines. */
export async function collectBatch(c: IrcTestClient, type: string, pred: (open: IrcMessage) => boolean = () => true): Promise<Batch> {
  const open = await c.waitFor((m) => m.command === 'BATCH' && m.params[0]!.startsWith('+') && m.params[1] === type && pred(m));
  const ref = open.params[0]!.slice(1);
  const rest = await c.collectUntil((m) => m.command === 'BATCH' && m.params[0] === `-${ref}`);
  const start = rest.indexOf(open);
  const all = rest.slice(start + 1, -1);
  return { open, lines: all.filter((m) => m.tags['batch'] === ref), all };
}

/** The text of PRIVMSG/NOTICE lines. */
export function texts(lines: readonly IrcMessage[]): string[] {
  return lines.filter((m) => m.command === 'PRIVMSG' || m.command === 'NOTICE').map((m) => m.params[1] ?? '');
}

export function isFail(command: string, code: string) {
  return (m: IrcMessage) => m.command === 'FAIL' && m.params[0] === command && m.params[1] === code;
}

/** Sends `n` messages to `target` and waits for the echo of the last (the sender has echo-message). */
export async function say(c: IrcTestClient, target: string, lines: string[]): Promise<IrcMessage[]> {
  const echoes: IrcMessage[] = [];
  for (const text of lines) {
    c.send(`PRIVMSG ${target} :${text}`);
    echoes.push(await c.waitFor((m) => m.command === 'PRIVMSG' && m.source?.startsWith(`${c.nick}!`) === true && m.params[1] === text));
  }
  assert.equal(echoes.length, lines.length);
  return echoes;
}
