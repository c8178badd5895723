// The status bar item: connection state icon, nick and unread count; a click focuses the Chat view.
import * as vscode from 'vscode';
import type { ConnectionView } from '../webview/messages.ts';
import { plainLabel, plainMessage } from './plainText.ts';
import { CHAT_VIEW_ID } from './views/chatViewProvider.ts';

export class ChatStatusBar implements vscode.Disposable {
  readonly #item = vscode.window.createStatusBarItem('chatroom.status', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.#item.name = 'Chat Room';
    this.#item.command = `${CHAT_VIEW_ID}.focus`;
    this.update({ state: 'disconnected' }, 0);
    this.#item.show();
  }

  update(connection: ConnectionView, unread: number): void {
    // The nick is the server's word (it may rename us); the error may quote the server.
    const nick = plainLabel(connection.state === 'connected' ? connection.nick : '', 40);
    const count = unread > 0 ? ` ${unread > 99 ? '99+' : unread}` : '';
    switch (connection.state) {
      case 'connected':
        this.#item.text = `$(comment-discussion) ${nick}${count}`;
        this.#item.tooltip = plainMessage(`Chat: connected to ${connection.server} as ${nick}${unread ? ` — ${unread} unread` : ''}. Click to open the chat.`);
        this.#item.accessibilityInformation = { label: `Chat: connected as ${nick}, ${unread} unread` };
        break;
      case 'connecting':
      case 'reconnecting':
        this.#item.text = `$(sync~spin) Chat${count}`;
        this.#item.tooltip = plainMessage(`Chat: ${connection.state} to ${connection.server}…`);
        this.#item.accessibilityInformation = { label: `Chat: ${connection.state}` };
        break;
      default:
        this.#item.text = `$(debug-disconnect) Chat${count}`;
        this.#item.tooltip = connection.error ? plainMessage(`Chat: not connected — ${connection.error.message}`) : 'Chat: not connected. Click to open the chat.';
        this.#item.accessibilityInformation = { label: 'Chat: not connected' };
    }
  }

  dispose(): void {
    this.#item.dispose();
  }
}
