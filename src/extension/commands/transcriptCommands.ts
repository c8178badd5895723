// Chat: Save Transcript and Chat: Clear Transcript.
//
// Save writes the open conversation as Markdown into <workspace>/<chatroom.transcripts.folder>/
// <conversation>-<YYYY-MM-DD>.md through workspace.fs and opens it. An existing file is never
// overwritten (it may hold lines this window no longer has): the next free name -2, -3... is used.
// With no folder open, a save dialog asks where. A direct conversation goes into the workspace
// only after a modal question, once per conversation and workspace (dmConsent.ts): a repository is
// often shared. Files are written by transcriptFile.ts, which never leaves the workspace folder. The lines are what the view holds plus, when the
// server keeps history, the rest of today from it (CHATHISTORY), after a Clear Transcript if any.
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ChatMessage } from '../client/types.ts';
import { numberedFileName, renderTranscript, transcriptFileName, withEarlierMessages } from '../chat/transcript.ts';
import { OutsideWorkspaceError, writeNewFileInside } from '../chat/transcriptFile.ts';
import type { ChatLine } from '../../webview/messages.ts';
import { plainMessage } from '../plainText.ts';
import { activeConversation, type CommandDeps } from './deps.ts';
import { askDmInWorkspace } from './dmConsent.ts';
import { readSettings } from './settings.ts';

/** History pages fetched at most to complete today's transcript. */
const MAX_HISTORY_PAGES = 10;

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

function startOfToday(now: Date): number {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
}

/** The view's lines, completed with today's messages the client holds or the server keeps. */
async function transcriptLines(deps: CommandDeps, id: string, name: string, now: Date): Promise<ChatLine[]> {
  const lines = deps.model.lines(id);
  const client = deps.connection.connected ? deps.connection.client : undefined;
  if (!client) return [...lines];
  const from = Math.max(startOfToday(now), deps.model.clearedAt(id) ?? 0);
  const oldest = lines.find((l) => l.kind !== 'event')?.time ?? now.getTime();
  if (oldest <= from) return [...lines];
  if (client.supports('history')) {
    for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
      const held = client.messages(name);
      if (held.length > 0 && held[0]!.time.getTime() < from) break;
      const got = await client.loadOlder(name).catch(() => [] as ChatMessage[]);
      if (got.length === 0) break;
    }
  }
  return withEarlierMessages(lines, client.messages(name), from, client.nick);
}

export async function saveTranscript(deps: CommandDeps): Promise<void> {
  const id = activeConversation(deps);
  if (id === undefined) return;
  const name = deps.model.nameOf(id) ?? id;
  const now = new Date();
  const lines = await transcriptLines(deps, id, name, now);
  if (lines.length === 0) {
    void vscode.window.showInformationMessage(plainMessage(`Chat: nothing to save: ${name} has no messages in the view.`));
    return;
  }
  const request = deps.connection.request;
  const markdown = renderTranscript(name, lines, now, request ? `${request.host}:${request.port}` : undefined);
  const fileName = transcriptFileName(name, now);
  const data = new TextEncoder().encode(markdown);
  const segments = readSettings().transcriptsFolder;
  let folder = vscode.workspace.workspaceFolders?.[0];
  if (folder && deps.model.kindOf(id) === 'dm') {
    const answer = await askDmInWorkspace(deps.workspaceState, id, name, [folder.name, ...segments].join('/'));
    if (answer === 'cancel') return;
    if (answer === 'elsewhere') folder = undefined;
  }
  let uri: vscode.Uri | undefined;
  if (folder?.uri.scheme === 'file') {
    try {
      uri = vscode.Uri.file(await writeNewFileInside(folder.uri.fsPath, segments, fileName, (n) => numberedFileName(fileName, n), data));
    } catch (error) {
      if (!(error instanceof OutsideWorkspaceError)) throw error;
      void vscode.window.showErrorMessage(plainMessage(`Chat: the transcript was not saved: the folder ${error.message}. Check the setting chatroom.transcripts.folder.`));
      return;
    }
  } else if (folder) {
    // A virtual workspace (no local path): its file system provider keeps within it.
    const dir = vscode.Uri.joinPath(folder.uri, ...segments);
    await vscode.workspace.fs.createDirectory(dir);
    uri = vscode.Uri.joinPath(dir, fileName);
    for (let n = 2; await exists(uri); n++) uri = vscode.Uri.joinPath(dir, numberedFileName(fileName, n));
    await vscode.workspace.fs.writeFile(uri, data);
  } else {
    uri = await vscode.window.showSaveDialog({
      title: 'Chat: Save Transcript',
      saveLabel: 'Save Transcript',
      filters: { Markdown: ['md'] },
      defaultUri: vscode.Uri.file(join(homedir(), fileName)),
    });
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, data);
  }
  await vscode.window.showTextDocument(uri, { preview: false });
  void vscode.window.showInformationMessage(plainMessage(`Chat: saved the transcript of ${name} to ${vscode.workspace.asRelativePath(uri)}.`));
}

export async function clearTranscript(deps: CommandDeps): Promise<void> {
  const id = activeConversation(deps);
  if (id === undefined) return;
  const name = deps.model.nameOf(id) ?? id;
  const choice = await vscode.window.showWarningMessage(
    plainMessage(`Clear ${name} in the Chat view?`),
    { modal: true, detail: 'Only this window\'s view is cleared; the server keeps its history, and others see no change.' },
    'Clear',
  );
  if (choice === 'Clear') deps.model.clear(id);
}
