// The Chat: commands. Each registration is a Disposable handed back to activate().
import * as vscode from 'vscode';
import type { HostedServer } from '../host/hostedServer.ts';
import { findFreePort, ServerStartError } from '../host/serverProcess.ts';
import type { RunningServer } from '../host/serverProcess.ts';
import type { ChatModel } from '../views/chatModel.ts';
import type { ChatViewProvider } from '../views/chatViewProvider.ts';
import type { ChatConnection } from './chatConnection.ts';
import { connectHostFor } from './names.ts';
import { readSettings } from './settings.ts';
import { renderTranscript, transcriptFileName } from './transcript.ts';

export const COMMANDS = {
  connect: 'chatroom.connect',
  host: 'chatroom.host',
  disconnect: 'chatroom.disconnect',
  stopHosting: 'chatroom.stopHosting',
  saveTranscript: 'chatroom.saveTranscript',
} as const;

/** Folder (in the first workspace folder) that Chat: Save Transcript writes into. */
export const TRANSCRIPT_FOLDER = 'chat-transcripts';

export interface CommandDeps {
  readonly connection: ChatConnection;
  readonly server: HostedServer;
  readonly view: ChatViewProvider;
  readonly model: ChatModel;
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

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Writes the current room's lines as Markdown into the workspace and opens the file. */
async function saveTranscript(deps: CommandDeps): Promise<void> {
  const room = deps.model.room;
  const lines = room ? deps.model.lines(room) : [];
  if (!room || lines.length === 0) {
    void vscode.window.showInformationMessage('Chat: nothing to save yet: join a room and chat first.');
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showErrorMessage('Chat: open a folder first: transcripts are saved into your workspace.');
    return;
  }
  const now = new Date();
  const dir = vscode.Uri.joinPath(folder.uri, TRANSCRIPT_FOLDER);
  const name = transcriptFileName(room, now);
  // Never overwrite an earlier transcript: it may hold lines this window no longer has.
  let uri = vscode.Uri.joinPath(dir, name);
  for (let n = 2; await exists(uri); n++) uri = vscode.Uri.joinPath(dir, name.replace(/\.md$/, `-${n}.md`));
  const target = deps.connection.target;
  const server = target ? `${target.host}:${target.port}` : 'a chat server';
  await vscode.workspace.fs.createDirectory(dir);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(renderTranscript(room, lines, server, now)));
  await vscode.window.showTextDocument(uri, { preview: false });
  void vscode.window.showInformationMessage(`Chat: saved ${vscode.workspace.asRelativePath(uri)}.`);
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const table: Record<(typeof COMMANDS)[keyof typeof COMMANDS], (deps: CommandDeps) => Promise<void>> = {
    [COMMANDS.connect]: connect,
    [COMMANDS.host]: host,
    [COMMANDS.disconnect]: disconnect,
    [COMMANDS.stopHosting]: stopHosting,
    [COMMANDS.saveTranscript]: saveTranscript,
  };
  return Object.entries(table).map(([id, run]) => vscode.commands.registerCommand(id, () => run(deps)));
}
