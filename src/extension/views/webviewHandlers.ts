// What the extension does for each message from the Chat view: one handler per message type (a
// table, so the compiler checks every type has one). Messages arrive already checked by
// parseFromWebview (chatViewProvider.ts); a handler never throws into the webview channel.
import * as vscode from 'vscode';
import type { FromWebview } from '../../webview/messages.ts';
import { openLink, openSnippet } from '../commands/snippetCommands.ts';
import { runWebviewCommand, type CommandDeps } from '../commands/deps.ts';
import { plainMessage } from '../plainText.ts';
import { deleteLine, jumpTo, toggleReaction } from '../chat/messageActions.ts';

type Handled = Exclude<FromWebview['type'], 'ready'>;
type Handler<K extends Handled> = (message: Extract<FromWebview, { type: K }>, deps: CommandDeps) => void | Promise<unknown> | Thenable<unknown>;
export type WebviewHandlers = { readonly [K in Handled]: Handler<K> };

export const WEBVIEW_HANDLERS: WebviewHandlers = {
  send: (m, deps) => {
    if (!deps.connection.send(m.conversation, m.text, m.replyTo)) {
      void vscode.window.showWarningMessage(
        plainMessage(
          deps.connection.connected ? `Chat: you are not in ${deps.model.nameOf(m.conversation) ?? m.conversation}: join it to write there.` : 'Chat: connect before sending messages.',
        ),
      );
    }
  },
  open: (m, deps) => {
    deps.model.open(m.conversation);
    deps.connection.markRead(m.conversation);
  },
  openDm: (m, deps) => {
    deps.connection.openDm(m.nick);
  },
  leave: (m, deps) => deps.connection.leave(m.conversation),
  loadOlder: (m, deps) => deps.connection.loadOlder(m.conversation),
  retry: (m, deps) => {
    if (!deps.connection.retry(m.conversation, m.id)) void vscode.window.showWarningMessage('Chat: that message cannot be sent again now (are you connected?).');
  },
  markRead: (m, deps) => deps.connection.markRead(m.conversation),
  typing: (m, deps) => deps.connection.typing(m.conversation, m.state),
  // The snippet from our own copy of the line (its code and commit), not from the view.
  openSnippet: (m, deps) => {
    const snippet = m.conversation !== undefined && m.id !== undefined ? deps.model.line(m.conversation, m.id)?.snippet : undefined;
    return openSnippet(m.path, m.line, snippet?.path === m.path ? snippet : undefined);
  },
  openLink: (m) => openLink(m.url),
  run: (m) => runWebviewCommand(m.command),
  react: (m, deps) => {
    const client = deps.connection.client;
    if (!client || !toggleReaction(client, deps.model, m.conversation, m.id, m.reaction)) void vscode.window.showWarningMessage('Chat: reactions cannot be sent now.');
  },
  deleteLine: async (m, deps) => {
    const client = deps.connection.client;
    const line = deps.model.line(m.conversation, m.id);
    if (!client || !line) return;
    const ok = await vscode.window.showWarningMessage('Delete this message for everyone?', { modal: true, detail: 'It is removed from the room and its history.' }, 'Delete');
    if (ok === 'Delete' && !deleteLine(client, deps.model, m.conversation, m.id)) void vscode.window.showWarningMessage('Chat: this server cannot delete messages.');
  },
  copyLine: async (m, deps) => {
    const line = deps.model.line(m.conversation, m.id);
    if (line && !line.deleted) await vscode.env.clipboard.writeText(line.snippet ? line.snippet.code : line.text);
  },
  jumpTo: async (m, deps) => {
    const client = deps.connection.client;
    const found = client ? await jumpTo(client, deps.model, m.conversation, m.id) : deps.model.reveal(m.conversation, m.id);
    if (!found) void vscode.window.showInformationMessage('Chat: that message is no longer in the history.');
  },
};

export function dispatchWebviewMessage(message: FromWebview, deps: CommandDeps, handlers: WebviewHandlers = WEBVIEW_HANDLERS): void {
  if (message.type === 'ready') return;
  const handler = handlers[message.type] as Handler<Handled>;
  try {
    const result = handler(message as Extract<FromWebview, { type: Handled }>, deps);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(undefined, (err: unknown) => report(message.type, err));
    }
  } catch (err) {
    report(message.type, err);
  }
}

function report(type: string, err: unknown): void {
  console.error(`chatroom: the view's "${type}" failed`, err);
  void vscode.window.showErrorMessage(`Chat: that did not work (${type}). See the extension host log for details.`);
}
