// What every command needs, and the helpers they share: connecting with the user's settings and
// credentials, and showing an error with its actions.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { ChatConnection, ConnectRequest } from '../chat/connection.ts';
import { ConnectCancelled, ConnectError } from '../chat/connection.ts';
import { ACTION_TITLES } from '../chat/errors.ts';
import { parseFingerprint } from '../chat/fingerprint.ts';
import { loadTrustedCertificate } from '../chat/trustedCertificate.ts';
import type { ChatViewModel } from '../chat/viewModel.ts';
import type { Credentials } from '../credentials.ts';
import type { HostedRunning, HostedServer } from '../host/hostedServer.ts';
import { plainMessage } from '../plainText.ts';
import type { ChatViewProvider } from '../views/chatViewProvider.ts';
import type { ErrorView, WebviewCommand } from '../../webview/messages.ts';
import { WEBVIEW_COMMAND_IDS } from './ids.ts';
import { connectHostFor } from './names.ts';
import { readSettings } from './settings.ts';

export interface CommandDeps {
  readonly connection: ChatConnection;
  readonly model: ChatViewModel;
  readonly server: HostedServer;
  readonly view: ChatViewProvider;
  readonly serverOutput: vscode.OutputChannel;
  readonly credentials: Credentials;
  /** This workspace's memory (which DM transcripts may go into it). */
  readonly workspaceState: vscode.Memento;
  /** The last connection asked for (Retry reuses it). */
  lastRequest: { host: string; port: number; hosting: boolean } | undefined;
}

/** Runs a view command / error action. */
export function runWebviewCommand(command: WebviewCommand): Thenable<unknown> {
  const id = WEBVIEW_COMMAND_IDS[command];
  return command === 'openSettings' ? vscode.commands.executeCommand(id, 'chatroom') : vscode.commands.executeCommand(id);
}

/** An error as a VS Code message whose buttons run its actions (its text may quote the server). */
export async function showErrorView(view: ErrorView): Promise<void> {
  const buttons = view.actions.map((a) => ({ title: ACTION_TITLES[a] ?? a, command: a }));
  const choice = await vscode.window.showErrorMessage(plainMessage(`Chat: ${view.message}`), ...buttons);
  if (choice) await runWebviewCommand(choice.command);
}

/**
 * Where this window connects to the server it hosts: its TLS port when it has one (a server on a
 * LAN address is not on loopback, and takes passwords only over TLS), else the plain port.
 */
export function hostedTarget(server: HostedRunning): { host: string; port: number } {
  const host = connectHostFor(server.host);
  return server.certificate && server.tlsPort !== undefined ? { host, port: server.tlsPort } : { host, port: server.port };
}

/** What buildRequest() leaves to connectWith(): settings that can still fail with a message. */
export type BuiltRequest = ConnectRequest & { tlsCertificate?: string; tlsFingerprint?: string };

/**
 * The request for host:port from the settings and, when the user logged in there, the stored
 * credentials. `tlsCertificate`, `tlsFingerprint`: the settings, read by connectWith().
 */
export async function buildRequest(
  deps: CommandDeps,
  host: string,
  port: number,
  hosting: boolean,
  options: { sasl?: boolean } = {},
): Promise<BuiltRequest> {
  const s = readSettings();
  const listed = !hosting && s.servers.length > 1 && s.servers[0]!.host === host && s.servers[0]!.port === port;
  const login = options.sasl === false ? undefined : await deps.credentials.find(credentialServers({ host, port, ...(listed ? { servers: s.servers } : {}) }));
  // Our own hosted server over TLS: trust exactly the certificate we made for it.
  const hosted = hosting ? deps.server.running : undefined;
  const pinned = hosted?.certificate !== undefined && port === hosted.tlsPort ? hosted.certificate.fingerprint256 : undefined;
  const tls = hosting ? pinned !== undefined : s.tls;
  return {
    host,
    port,
    tls,
    nick: s.nickname,
    rooms: s.rooms,
    hosting,
    // chatroom.servers: the whole list when connecting to its first server (what Connect and Retry do).
    ...(listed ? { servers: s.servers } : {}),
    ...(pinned !== undefined ? { fingerprint256: pinned } : {}),
    ...(tls && !hosting && s.tlsCertificate !== '' ? { tlsCertificate: s.tlsCertificate } : {}),
    ...(tls && !hosting && s.tlsFingerprint !== '' ? { tlsFingerprint: s.tlsFingerprint } : {}),
    ...(login ? { account: login.account, password: login.password } : {}),
  };
}

/**
 * Where an account for this connection is remembered ("host:port"): its server and, with
 * chatroom.servers, every server of the list (one network, one account; the list may change).
 */
export function credentialServers(target: { host: string; port: number; servers?: readonly { host: string; port: number }[] | undefined }): string[] {
  return [...new Set([target, ...(target.servers ?? [])].map((s) => `${s.host}:${s.port}`))];
}

/** Connects and reports failure with its actions; true when connected. */
export async function connectWith(deps: CommandDeps, built: BuiltRequest): Promise<boolean> {
  const { tlsCertificate, tlsFingerprint, ...rest } = built;
  let request: ConnectRequest = rest;
  if (tlsFingerprint !== undefined) {
    const pin = parseFingerprint(tlsFingerprint);
    if (!pin.ok) {
      void showErrorView({ message: `Could not connect to ${built.host}:${built.port}: ${pin.message}`, actions: ['openSettings'] });
      return false;
    }
    // The pin decides alone: chatroom.tlsCertificate is not needed (nor read) beside it.
    request = { ...rest, fingerprint256: pin.fingerprint };
  } else if (tlsCertificate !== undefined) {
    const cert = await loadTrustedCertificate(tlsCertificate, homedir());
    if (!cert.ok) {
      void showErrorView({ message: `Could not connect to ${built.host}:${built.port}: ${cert.message}`, actions: ['openSettings'] });
      return false;
    }
    request = { ...rest, ca: cert.pem };
  }
  deps.lastRequest = { host: request.host, port: request.port, hosting: request.hosting === true };
  // Asked here, before the progress notification; connect() checks again (then remembered, silent).
  if (request.password !== undefined && !(await deps.connection.allowPassword(request))) return false;
  await deps.view.reveal();
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Chat: connecting to ${request.host}:${request.port}…` },
      () => deps.connection.connect(request),
    );
    // Logged in: every server of the list now holds the account (one found under a server since
    // dropped from the list still serves the list as it is now).
    if (request.account !== undefined && request.password !== undefined && request.servers && deps.connection.client?.account !== undefined) {
      await deps.credentials.rememberAll(credentialServers(request), request.account, request.password);
    }
    return true;
  } catch (error) {
    if (error instanceof ConnectCancelled) return false; // the user chose it: nothing to report
    if (error instanceof ConnectError) {
      if (error.code === 'bad-password' && request.account) await deps.credentials.forgetAll(credentialServers(request));
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
