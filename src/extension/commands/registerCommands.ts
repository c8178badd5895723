// The Chat: commands, one table from id to handler. Each registration is a Disposable.
import * as vscode from 'vscode';
import { login, logout, register } from './accountCommands.ts';
import { connect, disconnect, host, hostOnAnotherPort, retry, stopHosting } from './connectionCommands.ts';
import type { CommandDeps } from './deps.ts';
import { plainMessage } from '../plainText.ts';
import { COMMANDS, type CommandId } from './ids.ts';
import { joinRoom, leaveRoom, messageUser, setStatus } from './roomCommands.ts';
import { shareSelection } from './snippetCommands.ts';
import { searchMessages } from './searchCommands.ts';
import { clearTranscript, saveTranscript } from './transcriptCommands.ts';

export { COMMANDS } from './ids.ts';

const TABLE: Readonly<Record<CommandId, (deps: CommandDeps) => Promise<void>>> = {
  [COMMANDS.connect]: connect,
  [COMMANDS.disconnect]: disconnect,
  [COMMANDS.host]: host,
  [COMMANDS.stopHosting]: stopHosting,
  [COMMANDS.saveTranscript]: saveTranscript,
  [COMMANDS.clearTranscript]: clearTranscript,
  [COMMANDS.register]: register,
  [COMMANDS.login]: login,
  [COMMANDS.logout]: logout,
  [COMMANDS.setStatus]: setStatus,
  [COMMANDS.joinRoom]: joinRoom,
  [COMMANDS.leaveRoom]: leaveRoom,
  [COMMANDS.messageUser]: messageUser,
  [COMMANDS.shareSelection]: shareSelection,
  [COMMANDS.searchMessages]: searchMessages,
  [COMMANDS.retry]: retry,
  [COMMANDS.hostOnAnotherPort]: hostOnAnotherPort,
};

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return Object.entries(TABLE).map(([id, run]) =>
    vscode.commands.registerCommand(id, async () => {
      try {
        await run(deps);
      } catch (err) {
        // Never a stack trace in the UI: a sentence here, the details in the extension host log.
        console.error(`chatroom: ${id} failed`, err);
        void vscode.window.showErrorMessage(plainMessage(`Chat: that did not work: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`));
      }
    }),
  );
}
