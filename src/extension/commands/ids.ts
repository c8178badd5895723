// Command ids, in one place: the manifest (package.json contributes.commands) lists the same ids.
import type { WebviewCommand } from '../../webview/messages.ts';

export const COMMANDS = {
  connect: 'chatroom.connect',
  disconnect: 'chatroom.disconnect',
  host: 'chatroom.host',
  stopHosting: 'chatroom.stopHosting',
  saveTranscript: 'chatroom.saveTranscript',
  clearTranscript: 'chatroom.clearTranscript',
  register: 'chatroom.register',
  login: 'chatroom.login',
  logout: 'chatroom.logout',
  setStatus: 'chatroom.setStatus',
  joinRoom: 'chatroom.joinRoom',
  leaveRoom: 'chatroom.leaveRoom',
  messageUser: 'chatroom.messageUser',
  shareSelection: 'chatroom.shareSelection',
  searchMessages: 'chatroom.searchMessages',
  // Not in the palette: error actions and view buttons.
  retry: 'chatroom.retry',
  hostOnAnotherPort: 'chatroom.hostOnAnotherPort',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** What each view button / error action runs. */
export const WEBVIEW_COMMAND_IDS: Readonly<Record<WebviewCommand, string>> = {
  connect: COMMANDS.connect,
  host: COMMANDS.host,
  disconnect: COMMANDS.disconnect,
  retry: COMMANDS.retry,
  openSettings: 'workbench.action.openSettings',
  login: COMMANDS.login,
  register: COMMANDS.register,
  setStatus: COMMANDS.setStatus,
  joinRoom: COMMANDS.joinRoom,
  messageUser: COMMANDS.messageUser,
  saveTranscript: COMMANDS.saveTranscript,
  clearTranscript: COMMANDS.clearTranscript,
  useAnotherPort: COMMANDS.hostOnAnotherPort,
  searchMessages: COMMANDS.searchMessages,
};

/** Context keys for `when` clauses. */
export const CONTEXT = {
  connected: 'chatroom.connected',
  hosting: 'chatroom.hosting',
  loggedIn: 'chatroom.loggedIn',
  hasConversation: 'chatroom.hasConversation',
} as const;
