// Chat: Register, Log In, Log Out. Passwords go only to SecretStorage (credentials.ts) and to the
// server (REGISTER / SASL PLAIN); never to settings, logs or the webview.
import * as vscode from 'vscode';
import { ClientError } from '../client/errors.ts';
import { hasNickServ, nickServPasswordProblem, registerWithNickServ } from '../client/nickserv.ts';
import { plainDetail } from '../chat/errors.ts';
import { validateAccount, validateNewPassword, validatePassword } from '../chat/settings.ts';
import { plainMessage } from '../plainText.ts';
import { buildRequest, connectWith, credentialServers, requireConnection, type CommandDeps } from './deps.ts';
import { COMMANDS } from './ids.ts';
import { readSettings } from './settings.ts';

/** host:port of the current connection, or of the settings; `credentials`: where its account is kept. */
function currentServer(deps: CommandDeps): { host: string; port: number; hosting: boolean; tls: boolean; credentials: string[] } {
  const r = deps.connection.request;
  if (r) return { host: r.host, port: r.port, hosting: r.hosting === true, tls: r.tls === true, credentials: credentialServers(r) };
  const s = readSettings();
  return { host: s.host, port: s.port, hosting: false, tls: s.tls, credentials: credentialServers({ host: s.host, port: s.port, ...(s.servers.length > 1 ? { servers: s.servers } : {}) }) };
}

async function askAccount(title: string, value: string): Promise<string | undefined> {
  const account = await vscode.window.showInputBox({
    title,
    prompt: 'Account name (letters, digits and _ - [ ] \\ ` ^ { | }; it can be used as your nickname)',
    value,
    validateInput: (v) => validateAccount(v),
    ignoreFocusOut: true,
  });
  return account?.trim();
}

export async function register(deps: CommandDeps): Promise<void> {
  if (!requireConnection(deps)) return;
  const client = deps.connection.client!;
  if (!client.supports('account-registration')) {
    if (await hasNickServ(client)) return registerThroughNickServ(deps);
    void vscode.window.showWarningMessage(
      'Chat: this server offers no account registration: neither IRCv3 draft/account-registration nor a NickServ. Ask its operators how to get an account, then use Chat: Log In.',
    );
    return;
  }
  // Before the password is typed: it would go to the server in clear.
  if (!(await deps.connection.allowPassword())) return;
  const title = 'Chat: Register';
  const account = await askAccount(title, readSettings().nickname);
  if (!account) return;
  const password = await askNewPassword(title, `Password for "${account}" (at least 8 characters)`, validateNewPassword);
  if (password === undefined) return;
  try {
    const result = await client.registerAccount(account, password);
    await deps.credentials.rememberAll(currentServer(deps).credentials, result.account, password);
    // The account name and the message are the server's words.
    void vscode.window.showInformationMessage(
      plainMessage(
        result.verificationRequired
          ? `Chat: account "${result.account}" created; the server asks you to verify it first: ${result.message}`
          : `Chat: account "${result.account}" created; you are logged in. Chat will log in with it on this server from now on.`,
      ),
    );
  } catch (error) {
    const code = error instanceof ClientError ? error.serverCode : undefined;
    const why =
      code === 'ACCOUNT_EXISTS' ? `the account "${account}" already exists. Log in instead, or choose another name.`
      // The server's own words: they name its minimum length (--min-password-length).
      : code === 'WEAK_PASSWORD' ? plainDetail(error).replace(/^Account registration failed: /, '') || 'the server finds that password too weak.'
      : code === 'ALREADY_AUTHENTICATED' ? 'you are already logged in.'
      : plainDetail(error) || 'the server refused it.';
    const choice = await vscode.window.showErrorMessage(plainMessage(`Chat: could not create the account: ${why}`), ...(code === 'ACCOUNT_EXISTS' ? ['Log In'] : []));
    if (choice === 'Log In') await login(deps);
  }
}

/**
 * Chat: Register on a network with services (InspIRCd + atheme, Anope...): NickServ registers the
 * nick we are using, with a one-word password and, when it asks, an e-mail address; then Chat
 * connects again logged in with SASL.
 */
async function registerThroughNickServ(deps: CommandDeps): Promise<void> {
  const client = deps.connection.client!;
  if (!(await deps.connection.allowPassword())) return;
  const title = 'Chat: Register with NickServ';
  const account = client.nick;
  const password = await askNewPassword(
    title,
    `This network registers accounts through NickServ: the account is your nickname "${account}". Password (one word, at least 8 characters)`,
    (v) => nickServPasswordProblem(v) ?? validateNewPassword(v),
  );
  if (password === undefined) return;
  try {
    let result = await registerWithNickServ(client, password);
    if (!result.registered && result.needsEmail) {
      const email = await vscode.window.showInputBox({
        title,
        prompt: 'NickServ asks for an e-mail address for the account',
        validateInput: (v) => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? undefined : 'Enter an e-mail address such as ann@example.com.'),
        ignoreFocusOut: true,
      });
      if (email === undefined) return;
      result = await registerWithNickServ(client, password, email.trim());
    }
    if (!result.registered) {
      const said = result.lines.filter((l) => !l.includes(password)).join(' ');
      void vscode.window.showErrorMessage(plainMessage(`Chat: NickServ did not register "${account}": ${said || 'it gave no reason.'}`));
      return;
    }
    const { host, port, hosting, credentials } = currentServer(deps);
    await deps.credentials.rememberAll(credentials, result.account, password);
    if (result.verificationRequired) {
      void vscode.window.showInformationMessage(plainMessage(`Chat: account "${result.account}" created; NickServ sent an e-mail to confirm it. Chat will log in with it from now on.`));
      return;
    }
    // From now on with SASL: connect again logged in.
    if (await connectWith(deps, await buildRequest(deps, host, port, hosting))) {
      void vscode.window.showInformationMessage(plainMessage(`Chat: account "${result.account}" created through NickServ; you are logged in. Chat will log in with it on this network from now on.`));
    }
  } catch (error) {
    void vscode.window.showErrorMessage(plainMessage(`Chat: could not register with NickServ: ${plainDetail(error) || 'it did not answer.'}`));
  }
}

export async function login(deps: CommandDeps): Promise<void> {
  const { host, port, hosting, tls, credentials } = currentServer(deps);
  const server = `${host}:${port}`;
  if (!(await deps.connection.allowPassword({ host, tls }))) return;
  const title = 'Chat: Log In';
  const remembered = await deps.credentials.find(credentials);
  // The remembered account, else the configured nick (not a temporary nick_ taken while ours was busy).
  const account = await askAccount(title, remembered?.account ?? deps.connection.client?.account ?? readSettings().nickname);
  if (!account) return;
  let password = remembered?.account === account ? remembered.password : await deps.credentials.password(server, account);
  if (password === undefined) {
    password = await vscode.window.showInputBox({
      title,
      prompt: plainMessage(`Password for "${account}" on ${server}`),
      password: true,
      validateInput: validatePassword,
      ignoreFocusOut: true,
    });
    if (password === undefined) return;
  }
  await deps.credentials.rememberAll(credentials, account, password);
  // SASL happens while connecting: connect again with it.
  if (await connectWith(deps, await buildRequest(deps, host, port, hosting))) {
    const got = deps.connection.client?.account;
    if (got) void vscode.window.showInformationMessage(plainMessage(`Chat: logged in as "${got}".`));
    else void vscode.window.showWarningMessage('Chat: connected, but the server did not log you in (it may not offer SASL).');
  }
}

export async function logout(deps: CommandDeps): Promise<void> {
  const { host, port, hosting, credentials } = currentServer(deps);
  const account = await deps.credentials.forgetAll(credentials);
  const reconnected = deps.connection.request ? await connectWith(deps, await buildRequest(deps, host, port, hosting, { sasl: false })) : false;
  const done = account ? `Chat: logged out of "${account}"; its password is forgotten.` : 'Chat: logged out.';
  const client = deps.connection.client;
  if (!reconnected || !client || client.hasWantedNick) {
    void vscode.window.showInformationMessage(plainMessage(done));
    return;
  }
  // The server keeps a registered nickname for its account: without logging in we are nick_.
  const logIn = 'Log In';
  const choice = await vscode.window.showInformationMessage(
    plainMessage(`${done} You are "${client.nick}" for now: the nickname "${client.wantedNick}" belongs to an account. Log in to use it again.`),
    logIn,
  );
  if (choice === logIn) await vscode.commands.executeCommand(COMMANDS.login);
}

/** A new password, typed twice; undefined when the user cancels either box. */
async function askNewPassword(title: string, prompt: string, validate: (v: string) => string | undefined): Promise<string | undefined> {
  const password = await vscode.window.showInputBox({ title, prompt: plainMessage(prompt), password: true, validateInput: validate, ignoreFocusOut: true });
  if (password === undefined) return undefined;
  const confirm = await vscode.window.showInputBox({
    title,
    prompt: 'The same password again',
    password: true,
    validateInput: (v) => (v === password ? undefined : 'The passwords differ.'),
    ignoreFocusOut: true,
  });
  return confirm === undefined ? undefined : password;
}
