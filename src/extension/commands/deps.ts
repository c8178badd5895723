// What every command needs, and the helpers they share: connecting with the user's settings and
// credentials, and showing an error with its actions.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { ChatConnection, ConnectRequest } from '../chat/connection.ts';
import { ConnectError } from '../chat/connection.ts';
import { ACTION_TITLES } from '../chat/errors.ts';
import { loadTrustedCertificate } from '../chat/trustedCertificate.ts';
import type { ChatViewModel } from '../chat/viewModel.ts';
import type { Credentials } from '../credentials.ts';
import type { HostedServer } from '../host/hostedServer.ts';
import type { ChatViewProvider } from '../views/chatViewProvider.ts';
import type { ErrorView, WebviewCommand } from '../../webview/messages.ts';
import { WEBVIEW_COMMAND_IDS } from './ids.ts';
import { readSettings } from './settings.ts';

export interface CommandDeps {
  readonly connection: ChatConnection;
  readonly model: ChatViewModel;
  readonly server: HostedServer;
  readonly view: ChatViewProvider;
  readonly serverOutput: vscode.OutputChannel;
  readonly credentials: Credentials;
  /** The last connection asked for (Retry reuses it). */
  lastRequest: { host: string; port: number; hosting: boolean } | undefined;
}

/** Runs a view command / error action. */
export function runWebviewCommand(command: WebviewCommand): Thenable<unknown> {
  const id = WEBVIEW_COMMAND_IDS[command];
  return command === 'openSettings' ? vscode.commands.executeCommand(id, 'chatroom') : vscode.commands.executeCommand(id);
}

/** An error as a VS Code message whose buttons run its actions. */
export async function showErrorView(view: ErrorView): Promise<void> {
  const buttons = view.actions.map((a) => ({ title: ACTION_TITLES[a] ?? a, command: a }));
  const choice = await vscode.window.showErrorMessage(`Chat: ${view.message}`, ...buttons);
  if (choice) await runWebviewCommand(choice.command);
}

/**
 * The request for host:port from the settings and, when the user logged in there, the stored
 * credentials. `tlsCertificate`: the setting, read by connectWith() (it can fail with a message).
 */
export async function buildRequest(
  deps: CommandDeps,
  host: string,
  port: number,
  hosting: boolean,
  options: { sasl?: boolean } = {},
): Promise<ConnectRequest & { tlsCertificate?: string }> {
  const s = readSettings();
  const server = `${host}:${port}`;
  const account = options.sasl === false ? undefined : deps.credentials.account(server);
  const password = account ? await deps.credentials.password(server, account) : undefined;
  const tls = hosting ? false : s.tls;
  return {
    host,
    port,
    tls,
    nick: s.nickname,
    rooms: s.rooms,
    hosting,
    ...(tls && s.tlsCertificate !== '' ? { tlsCertificate: s.tlsCertificate } : {}),
    ...(account && password ? { account, password } : {}),
  };
}

/** Connects and reports failure with its actions; true when connected. */
export async function connectWith(deps: CommandDeps, built: ConnectRequest & { tlsCertificate?: string }): Promise<boolean> {
  const { tlsCertificate, ...rest } = built;
  let request: ConnectRequest = rest;
  if (tlsCertificate !== undefined) {
    const cert = await loadTrustedCertificate(tlsCertificate, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, homedir());
    if (!cert.ok) {
      void showErrorView({ message: `Could not connect to ${built.host}:${built.port}: ${cert.message}`, actions: ['openSettings'] });
      return false;
    }
    request = { ...rest, ca: cert.pem };
  }
  deps.lastRequest = { host: request.host, port: request.port, hosting: request.hosting === true };
  await deps.view.reveal();
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Chat: connecting to ${request.host}:${request.port}…` },
      () => deps.connection.connect(request),
    );
    return true;
  } catch (error) {
    if (error instanceof ConnectError) {
      if (error.code === 'bad-password' && request.account) await deps.credentials.forget(`${request.host}:${request.port}`);
      // The view (revealed above) shows the error with its buttons: a toast would say it twice.
      if (!deps.view.visible) void showErrorView(error.view);
    } else {
      void vscode.window.showErrorMessage(`Chat: could not connect to ${request.host}:${request.port}.`);
    }
    return false;
  }
}

/** The active conversation, or a message saying there is none. */
export function activeConversation(deps: CommandDeps): string | undefined {
  const id = deps.model.active;
  if (id === undefined) void vscode.window.showInformationMessage('Chat: open a room or a conversation first.');
  return id;
}

/** True when connected; otherwise says so with a Connect action. */
export function requireConnection(deps: CommandDeps): boolean {
  if (deps.connection.connected) return true;
  void vscode.window.showWarningMessage('Chat: you are not connected.', 'Connect', 'Host a Server').then((c) => {
    if (c === 'Connect') void runWebviewCommand('connect');
    if (c === 'Host a Server') void runWebviewCommand('host');
  });
  return false;
}
