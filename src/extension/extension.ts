// Entry point of the Chat Room extension (bundled to dist/extension.cjs). Everything registered here
// goes into context.subscriptions, so VS Code disposes it (and kills a hosted server) on deactivate.
import * as vscode from 'vscode';
import { IrcClient } from './client/ircClient.ts';
import { ChatConnection } from './commands/chatConnection.ts';
import type { ClientFactory } from './commands/chatConnection.ts';
import { COMMANDS, registerCommands } from './commands/registerCommands.ts';
import { HostedServer } from './host/hostedServer.ts';
import { ChatModel } from './views/chatModel.ts';
import { CHAT_VIEW_ID, ChatViewProvider } from './views/chatViewProvider.ts';
import type { FromWebview } from '../webview/messages.ts';

// altNicks: with the nick taken (another window of yours, say) connect as nick_ rather than fail.
const createClient: ClientFactory = (t) =>
  new IrcClient({ host: t.host, port: t.port, nick: t.nick, username: t.nick, realname: t.nick, altNicks: true });

export function activate(context: vscode.ExtensionContext): void {
  const serverOutput = vscode.window.createOutputChannel('Chat Room Server');
  const model = new ChatModel();
  const connection = new ChatConnection(model, createClient);
  const server = new HostedServer(context, serverOutput);

  const onWebviewMessage = (message: FromWebview): void => {
    if (message.type === 'send') {
      if (!connection.send(message.text)) void vscode.window.showWarningMessage('Chat: connect before sending messages.');
    } else if (message.type === 'run') {
      void vscode.commands.executeCommand(message.command === 'connect' ? COMMANDS.connect : COMMANDS.host);
    }
  };
  const view = new ChatViewProvider(context.extensionUri, model, onWebviewMessage);

  context.subscriptions.push(
    serverOutput,
    model,
    view,
    server,
    connection,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, view),
    ...registerCommands({ connection, server, view, model, serverOutput }),
  );
}

export function deactivate(): void {
  // Nothing beyond context.subscriptions.
}
