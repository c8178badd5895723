// Chat: Connect, Disconnect, Host, Stop Hosting, and the Retry / Use Another Port actions.
import { networkInterfaces } from 'node:os';
import * as vscode from 'vscode';
import type { HostedRunning } from '../host/hostedServer.ts';
import { reachableAddresses, reachMessage } from '../host/reach.ts';
import { findFreePort, ServerStartError } from '../host/serverProcess.ts';
import { buildRequest, connectWith, hostedTarget, type CommandDeps } from './deps.ts';
import { connectHostFor } from './names.ts';
import { readSettings } from './settings.ts';
import { validatePort } from '../chat/settings.ts';

export async function connect(deps: CommandDeps): Promise<void> {
  const { host, port } = readSettings();
  await connectWith(deps, await buildRequest(deps, host, port, false));
}

/** Connects again to what was last asked for (an error's Retry). */
export async function retry(deps: CommandDeps): Promise<void> {
  const last = deps.lastRequest;
  if (!last) return connect(deps);
  if (last.hosting) return host(deps); // (re)starts it if it stopped, and reconnects
  await connectWith(deps, await buildRequest(deps, last.host, last.port, last.hosting));
}

export async function disconnect(deps: CommandDeps): Promise<void> {
  if (!deps.connection.request) {
    void vscode.window.showInformationMessage('Chat: you are not connected.');
    return;
  }
  await deps.connection.disconnect();
}

/** Asks for another port (a free one pre-filled) and saves it; undefined when cancelled. */
async function askForAnotherPort(host: string, taken: number): Promise<number | undefined> {
  const suggestion = await findFreePort(host).catch(() => taken + 1);
  const answer = await vscode.window.showInputBox({
    title: 'Chat: Host',
    prompt: `Port ${taken} is taken. Port for the chat server (saved in the setting chatroom.server.port):`,
    value: String(suggestion),
    validateInput: (v) => validatePort(v.trim()),
  });
  if (answer === undefined) return undefined;
  const port = Number(answer.trim());
  await vscode.workspace.getConfiguration('chatroom').update('server.port', port, vscode.ConfigurationTarget.Global);
  return port;
}

async function startServer(deps: CommandDeps, askFirst = false): Promise<HostedRunning | undefined> {
  let { serverHost: host, serverPort: port, serverTlsPort: tlsPort } = readSettings();
  if (askFirst) {
    const next = await askForAnotherPort(host, port);
    if (next === undefined) return undefined;
    port = next;
  }
  for (;;) {
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Chat: starting the chat server on port ${port}…` },
        () => deps.server.start(host, port, tlsPort),
      );
    } catch (error) {
      if (error instanceof ServerStartError && error.kind === 'tls-port-in-use') {
        const choice = await vscode.window.showErrorMessage(`Chat: Host could not start the chat server: ${error.message}`, 'Open Settings');
        if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'chatroom.server.tlsPort');
        return undefined;
      }
      if (error instanceof ServerStartError && error.kind === 'port-in-use') {
        const choice = await vscode.window.showErrorMessage(
          `Chat: Host could not start the chat server: port ${port} is already in use by another program.`,
          'Use Another Port',
        );
        if (choice !== 'Use Another Port') return undefined;
        const next = await askForAnotherPort(host, port);
        if (next === undefined) return undefined;
        port = next;
        ({ serverHost: host } = readSettings());
        continue;
      }
      const message = error instanceof Error ? error.message : String(error);
      const choice = await vscode.window.showErrorMessage(`Chat: Host failed. ${message}`, 'Show Server Output');
      if (choice) deps.serverOutput.show();
      return undefined;
    }
  }
}

/** Once per start on a non-loopback address: who can now reach this server, and the fingerprint to share. */
function announceReach(server: HostedRunning): void {
  const certificate = server.certificate;
  if (!certificate || server.tlsPort === undefined) return;
  const message = reachMessage({
    listenHost: server.host,
    port: server.port,
    tlsPort: server.tlsPort,
    fingerprint256: certificate.fingerprint256,
    addresses: reachableAddresses(server.host, networkInterfaces()),
  });
  void vscode.window.showInformationMessage(message, 'Copy Fingerprint').then(async (choice) => {
    if (!choice) return;
    await vscode.env.clipboard.writeText(certificate.fingerprint256);
    void vscode.window.showInformationMessage('Chat: the fingerprint is on the clipboard.');
  });
}

async function hostWith(deps: CommandDeps, askPort: boolean): Promise<void> {
  let server = deps.server.running;
  if (!server) {
    server = await startServer(deps, askPort);
    if (!server) return;
    announceReach(server);
  }
  const { host, port } = hostedTarget(server);
  await connectWith(deps, await buildRequest(deps, host, port, true));
}

export function host(deps: CommandDeps): Promise<void> {
  return hostWith(deps, false);
}

export function hostOnAnotherPort(deps: CommandDeps): Promise<void> {
  return hostWith(deps, !deps.server.running);
}

export async function stopHosting(deps: CommandDeps): Promise<void> {
  const server = deps.server.running;
  if (!server) {
    void vscode.window.showInformationMessage('Chat: no chat server is running in this window.');
    return;
  }
  const target = deps.connection.request;
  if (target?.hosting || (target && target.port === server.port && target.host === connectHostFor(server.host))) {
    await deps.connection.disconnect('Server shutting down');
  }
  deps.server.stop();
  void vscode.window.showInformationMessage(`Chat: stopped the chat server on port ${server.port}.`);
}
