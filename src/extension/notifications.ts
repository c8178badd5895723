// Notifications for direct messages and mentions while the Chat view is not visible, as
// chatroom.notifications says, with an "Open Chat" action.
import * as vscode from 'vscode';
import { NOTIFY_QUIET_MS, notificationText, shouldNotify } from './chat/notifyPolicy.ts';
import type { NotificationsSetting } from './chat/settings.ts';
import { plainMessage } from './plainText.ts';
import type { IncomingInfo } from './chat/viewModel.ts';

export class ChatNotifier {
  readonly #lastShown = new Map<string, number>();
  readonly #open: (conversation: string) => void;

  constructor(open: (conversation: string) => void) {
    this.#open = open;
  }

  incoming(info: IncomingInfo, setting: NotificationsSetting, viewVisible: boolean): void {
    if (!shouldNotify(setting, info, viewVisible)) return;
    const now = Date.now();
    if (now - (this.#lastShown.get(info.conversation) ?? 0) < NOTIFY_QUIET_MS) return;
    this.#lastShown.set(info.conversation, now);
    void vscode.window.showInformationMessage(plainMessage(`Chat: ${notificationText(info)}`), 'Open Chat').then((choice) => {
      if (choice) this.#open(info.conversation);
    });
  }
}
