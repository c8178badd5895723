// The Chat: commands. Each registration is a Disposable handed back to activate().
import * as vscode from 'vscode';
import type { HostedServer } from '../host/hostedServer.ts';
import { findFreePort, ServerStartError } from '../host/serverProcess.ts';
import type { RunningServer } from '../host/serverProcess.ts';
import type { ChatViewProvider } from '../views/chatViewProvider.ts';
import type { ChatConnection } from './chatConnection.ts';
import { connectHostFor, readSettings } from './settings.ts';

export const COMMANDS = {
  connect: 'chatroom.connect',
  host: 'chatroom.host',
  disconnect: 'chatroom.disconnect',
  stopHosting: 'chatroom.stopHosting',
} as const;

export interface CommandDeps {
  readonly connection: ChatConnection;
  readonly server: HostedServer;
  readonly view: ChatViewProvider;
  readonly serverOutput: vscode.OutputChannel;
}

async function connectTo(deps: CommandDeps, host: string, port: number): Promise<boolean> {
  const { nickname } = readSettings();
  await deps.view.reveal();
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Chat: connecting to ${host}:${port}…` },
      () => deps.connection.connect({ host, port, nick: nickname }),
    );
    return true;
  } catch (error) {
    void vscode.window.showErrorMessage((error as Error).message);
    return false;
  }
}

async function connect(deps: CommandDeps): Promise<void> {
  const { host, port } = readSettings();
  await connectTo(deps, host, port);
}

/** Asks for another port (a free one pre-filled) and saves it; undefined when cancelled. */
async function askForAnotherPort(host: string, taken: number): Promise<number | undefined> {
  const suggestion = await findFreePort(host).catch(() => taken + 1);
  const answer = await vscode.window.showInputBox({
    title: 'Chat: Host',
    prompt: `Port ${taken} is taken. Port for the chat server (saved in the setting chatroom.server.port):`,
    value: String(suggestion),
    validateInput: (v) =>
      /^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : 'A port number from 1 to 65535',
  });
  if (answer === undefined) return undefined;
  const port = Number(answer.trim());
  await vscode.workspace.getConfiguration('chatroom').update('server.port', port, vscode.ConfigurationTarget.Global);
  return port;
}

async function startServer(deps: CommandDeps): Promise<RunningServer | undefined> {
  let { serverHost: host, serverPort: port } = readSettings();
  for (;;) {
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Chat: starting the chat server on port ${port}…` },
        () => deps.server.start(host, port),
      );
    } catch (error) {
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

async function host(deps: CommandDeps): Promise<void> {
  const server = deps.server.running ?? (await startServer(deps));
  if (!server) return;
  await connectTo(deps, connectHostFor(server.host), server.port);
}

async function disconnect(deps: CommandDeps): Promise<void> {
  if (!deps.connection.target) {
    void vscode.window.showInformationMessage('Chat: you are not connected.');
    return;
  }
  await deps.connection.disconnect();
}

async function stopHosting(deps: CommandDeps): Promise<void> {
  const server = deps.server.running;
  if (!server) {
    void vscode.window.showInformationMessage('Chat: no chat server is running in this window.');
    return;
  }
  const target = deps.connection.target;
  if (target && target.port === server.port && target.host === connectHostFor(server.host)) {
    await deps.connection.disconnect('Server shutting down');
  }
  deps.server.stop();
  void vscode.window.showInformationMessage(`Chat: stopped the chat server on port ${server.port}.`);
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const table: Record<(typeof COMMANDS)[keyof typeof COMMANDS], (deps: CommandDeps) => Promise<void>> = {
    [COMMANDS.connect]: connect,
    [COMMANDS.host]: host,
    [COMMANDS.disconnect]: disconnect,
    [COMMANDS.stopHosting]: stopHosting,
  };
  return Object.entries(table).map(([id, run]) => vscode.commands.registerCommand(id, () => run(deps)));
}
