// Before a direct conversation's transcript goes into the workspace: a repository is often shared
// (a commit, a push), and a DM was meant for one person. A modal question, once per conversation
// and workspace; the answer "Save in Workspace" is remembered in workspaceState, the other choice
// saves elsewhere through a save dialog this time only.
import * as vscode from 'vscode';
import { plainMessage } from '../plainText.ts';

const KEY = 'chatroom.dmTranscriptsInWorkspace';
export const SAVE_HERE = 'Save in Workspace';
export const SAVE_ELSEWHERE = 'Choose Another Place…';

/** 'workspace': go ahead; 'elsewhere': ask for a place outside; 'cancel': do nothing. */
export async function askDmInWorkspace(
  state: vscode.Memento,
  conversation: string,
  name: string,
  where: string,
): Promise<'workspace' | 'elsewhere' | 'cancel'> {
  const allowed = state.get<string[]>(KEY, []);
  if (allowed.includes(conversation)) return 'workspace';
  const choice = await vscode.window.showWarningMessage(
    plainMessage(`Save your direct messages with ${name} into this workspace?`),
    {
      modal: true,
      detail: plainMessage(
        `The transcript would go to ${where}. A repository is often shared: whoever gets this folder (a commit, a push) could read the conversation. Chat asks once for each direct conversation in this workspace.`,
        1000,
      ),
    },
    SAVE_HERE,
    SAVE_ELSEWHERE,
  );
  if (choice === SAVE_HERE) {
    await state.update(KEY, [...allowed, conversation]);
    return 'workspace';
  }
  return choice === SAVE_ELSEWHERE ? 'elsewhere' : 'cancel';
}
