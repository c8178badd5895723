// Accounts on a network whose services take registration by message, not by IRCv3
// draft/account-registration (InspIRCd + atheme, Anope...): find NickServ (WHOIS), then
// `PRIVMSG NickServ :REGISTER <password> [<email>]` for the current nick, and read its answers.
// NickServ takes the password as one word: one with a space is refused before anything is sent.
// Logging in afterwards is SASL's business (connect again with the account).
import { parseMessage } from '../../protocol/message.ts';
import { stripFormatting } from '../../protocol/formatting.ts';
import { ClientError } from './errors.ts';
import type { IrcClient } from './ircClient.ts';

export const NICKSERV = 'NickServ';

export interface NickServResult {
  /** The account (the nick it was registered for) when NickServ says it is registered. */
  readonly registered: boolean;
  readonly account: string;
  /** NickServ wants an e-mail address (atheme's "Syntax: REGISTER <password> <email>"). */
  readonly needsEmail: boolean;
  /** It asks to confirm the address first (an activation e-mail). */
  readonly verificationRequired: boolean;
  /** NickServ's own words, formatting stripped, one line each. */
  readonly lines: readonly string[];
}

/** Why a password cannot go to NickServ, or undefined. */
export function nickServPasswordProblem(password: string): string | undefined {
  if (password === '') return 'Enter a password.';
  if (/\s/.test(password)) return 'NickServ takes the password as one word: no spaces.';
  return undefined;
}

/** Lines from NickServ (NOTICE or PRIVMSG to us), as plain text, while `listen` runs. */
function nickServLines(client: IrcClient, onLine: (text: string) => void): { dispose(): void } {
  return client.onDidRawLine((l) => {
    if (l.direction !== 'in') return;
    let m;
    try {
      m = parseMessage(l.line);
    } catch {
      return;
    }
    const from = m.source?.split('!')[0] ?? '';
    if ((m.command === 'NOTICE' || m.command === 'PRIVMSG') && client.fold(from) === client.fold(NICKSERV) && m.params.length >= 2) onLine(stripFormatting(m.params.at(-1)!));
  });
}

/** Whether the network has a NickServ (WHOIS NickServ: 311 yes, 401 no; no answer in time: no). */
export function hasNickServ(client: IrcClient, timeoutMs = 5000): Promise<boolean> {
  if (client.state !== 'registered') return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (v: boolean) => {
      clearTimeout(timer);
      sub.dispose();
      resolve(v);
    };
    const sub = client.onDidRawLine((l) => {
      if (l.direction !== 'in') return;
      const m = / (311|401|318) \S+ (\S+)/.exec(l.line);
      if (!m || client.fold(m[2]!) !== client.fold(NICKSERV)) return;
      if (m[1] === '311') done(true);
      else if (m[1] === '401') done(false);
      else done(false); // end of WHOIS without 311
    });
    const timer = setTimeout(() => done(false), timeoutMs);
    client.sendRaw('WHOIS', [NICKSERV]);
  });
}

/**
 * Registers the current nick with NickServ. Resolves with what NickServ said once it has answered
 * (and then been quiet for `settleMs`); rejects with a ClientError ('bad-password') for a password
 * NickServ could not take, before sending it, or ('timeout') when NickServ does not answer.
 */
export function registerWithNickServ(client: IrcClient, password: string, email?: string, options: { timeoutMs?: number; settleMs?: number } = {}): Promise<NickServResult> {
  const problem = nickServPasswordProblem(password);
  if (problem) return Promise.reject(new ClientError('bad-password', problem));
  if (client.state !== 'registered') return Promise.reject(new ClientError('closed', 'Not connected'));
  const account = client.nick;
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    let settle: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      clearTimeout(timer);
      clearTimeout(settle);
      sub.dispose();
      const all = lines.join('\n');
      const registered = /\bis now registered\b|\bregistered\b.*\bsuccessfully\b|\bnickname registered\b/i.test(all);
      resolve({
        registered,
        account,
        needsEmail: !registered && /REGISTER <password> <e-?mail(?: address)?>|insufficient parameters|e-?mail address is required/i.test(all),
        verificationRequired: /activation|verify|confirm/i.test(all) && /e-?mail/i.test(all),
        lines: [...lines],
      });
    };
    const sub = nickServLines(client, (text) => {
      lines.push(text);
      clearTimeout(settle);
      settle = setTimeout(finish, options.settleMs ?? 750);
    });
    const timer = setTimeout(() => {
      clearTimeout(settle);
      sub.dispose();
      if (lines.length > 0) finish();
      else reject(new ClientError('timeout', 'NickServ did not answer'));
    }, options.timeoutMs ?? 15_000);
    client.sendRaw('PRIVMSG', [NICKSERV, email ? `REGISTER ${password} ${email}` : `REGISTER ${password}`]);
  });
}
