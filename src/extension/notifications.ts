// Notifications for direct messages and mentions while the Chat view is not visible, as
// chatroom.notifications says, with an "Open Chat" action.
import * as vscode from 'vscode';
import { NotifyGate, shouldNotify } from './chat/notifyPolicy.ts';
import type { NotificationsSetting } from './chat/settings.ts';
import { plainMessage } from './plainText.ts';
import type { IncomingInfo } from './chat/viewModel.ts';

export class ChatNotifier {
  readonly #gate = new NotifyGate();
  readonly #open: (conversation: string) => void;
  readonly #state: (conversation: string) => { unread: number; viewVisible: boolean };

  /** `state`: the conversation's unread count and whether the view is visible, when a held toast is due. */
  constructor(open: (conversation: string) => void, state: (conversation: string) => { unread: number; viewVisible: boolean }) {
    this.#open = open;
    this.#state = state;
  }

  incoming(info: IncomingInfo, setting: NotificationsSetting, viewVisible: boolean): void {
    if (!shouldNotify(setting, info, viewVisible)) return;
    const decision = this.#gate.incoming(info, Date.now());
    if (decision.kind === 'show') this.#show(info.conversation, decision.text);
    else if (decision.kind === 'later') {
      setTimeout(() => {
        const { unread, viewVisible: visible } = this.#state(info.conversation);
        const text = this.#gate.due(info.conversation, unread, visible, Date.now());
        if (text !== undefined) this.#show(info.conversation, text);
      }, decision.delayMs).unref?.();
    }
  }

  #show(conversation: string, text: string): void {
    void vscode.window.showInformationMessage(plainMessage(`Chat: ${text}`), 'Open Chat').then((choice) => {
      if (choice) this.#open(conversation);
    });
  }
}
