// REGISTER and VERIFY: IRCv3 draft/account-registration
// (https://ircv3.net/specs/extensions/account-registration). Replies are standard replies:
// `REGISTER SUCCESS <account> :...` or `FAIL REGISTER <CODE> <account> :...`.
//
// Our rules: the account name is the current nick (or `*` for it) — so nobody can reserve a nick
// someone else is using —, passwords have at least --min-password-length characters, e-mail is
// optional, and accounts need no verification (so VERIFY has nothing to verify). With
// --register-before-connect, REGISTER also works before registration completes (`before-connect`
// in the capability value).
import { CAP } from '../../protocol/caps.ts';
import { isValidAccountName } from '../../protocol/validate.ts';
import type { CommandContext, CommandSpec, ServerContext } from '../context.ts';
import { logIn } from '../login.ts';

/** scrypt input is bounded anyway; a longer "password" is a mistake or an attack. */
const MAX_PASSWORD_LENGTH = 300;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function installAccountRegistration(server: ServerContext): void {
  server.caps.register({
    name: CAP.accountRegistration,
    value: () => (server.config.registerBeforeConnect ? 'before-connect' : undefined),
  });
}

async function registerHandler({ server, client, msg, reply }: CommandContext): Promise<void> {
  const [requested, email, password] = msg.params as [string, string, string];
  const fail = (code: string, account: string, text: string) => reply.fail('REGISTER', code, text, account);
  if (!client.registered && !server.config.registerBeforeConnect) {
    return fail('COMPLETE_CONNECTION_REQUIRED', requested, 'Finish connecting (NICK/USER/CAP END) before registering');
  }
  // The password is in this very line: refusing it does not unsend it, but it is not used, and
  // the client learns to come back over TLS (the extension asks before sending it in clear).
  const insecure = server.auth.plaintextRefusal(client);
  if (insecure !== null) return fail('TLS_REQUIRED', requested, insecure);
  if (client.account !== null) return fail('ALREADY_AUTHENTICATED', client.account, 'You are already logged in');
  if (client.nick === '*') return fail('NEED_NICK', requested, 'Choose a nick first: your account will be named after it');
  const account = requested === '*' ? client.nick : requested;
  if (!isValidAccountName(account, server.config.limits.nickLength)) {
    return fail('BAD_ACCOUNT_NAME', account, 'That is not a valid account name (use nick characters)');
  }
  if (server.registry.fold(account) !== server.registry.fold(client.nick)) {
    return fail('ACCOUNT_NAME_MUST_BE_NICK', account, `The account name must be your current nick (${client.nick})`);
  }
  if (email !== '*' && !EMAIL.test(email)) return fail('INVALID_EMAIL', account, 'That e-mail address is not valid');
  const min = server.config.minPasswordLength;
  if ([...password].length < min) return fail('WEAK_PASSWORD', account, `Passwords need at least ${min} characters on this server`);
  if (password.length > MAX_PASSWORD_LENGTH) return fail('UNACCEPTABLE_PASSWORD', account, 'That password is too long');
  const limited = server.auth.registerRefusal(client);
  if (limited !== null) return fail('TEMPORARILY_UNAVAILABLE', account, limited);
  let result;
  try {
    const creating = server.auth.hash(client, () => server.store.accounts.createAccount(account, password, email === '*' ? null : email));
    if (!('result' in creating)) return fail('TEMPORARILY_UNAVAILABLE', account, creating.text);
    result = await creating.result;
  } catch (err) {
    server.log.error('creating an account failed', err);
    return fail('TEMPORARILY_UNAVAILABLE', account, 'Accounts cannot be created right now, try again later');
  }
  if (!result.ok) {
    if (result.error === 'exists') return fail('ACCOUNT_EXISTS', account, 'An account with that name already exists');
    return fail('BAD_ACCOUNT_NAME', account, result.message);
  }
  server.auth.accountRegistered(client);
  if (client.quitting) return;
  reply.server('REGISTER', 'SUCCESS', result.account.displayName, 'Account created; you are now logged in');
  logIn(server, client, result.account.displayName, reply);
}

function verifyHandler({ msg, reply }: CommandContext): void {
  // Verification is off: no account is ever pending, so any code is wrong.
  reply.fail('VERIFY', 'INVALID_CODE', 'This server does not require account verification', msg.params[0]!);
}

export const accountCommands: Record<string, CommandSpec> = {
  // preRegistration: the handler itself refuses unless --register-before-connect.
  REGISTER: { handler: registerHandler, minParams: 3, preRegistration: true },
  VERIFY: { handler: verifyHandler, minParams: 2, preRegistration: true },
};
