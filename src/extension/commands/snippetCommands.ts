// Chat: Share Selection (the editor's lines as a snippet message, snippets.ts has the wire form),
// and what a click on a snippet or a link in the view does: open the file only if it is inside an
// open workspace folder, open only http(s) links.
import { realpath } from 'node:fs/promises';
import * as vscode from 'vscode';
import { isInsideFolder } from '../chat/paths.ts';
import { cleanRelativePath, formatSnippet, locateSnippet, MAX_SNIPPET_BYTES, MAX_SNIPPET_LINES, snippetFromSelection } from '../chat/snippets.ts';
import { plainLabel, plainMessage } from '../plainText.ts';
import type { SnippetView } from '../../webview/messages.ts';
import { commitOf, uriAtCommit } from './gitInfo.ts';
import { activeConversation, requireConnection, type CommandDeps } from './deps.ts';

export async function shareSelection(deps: CommandDeps): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Chat: open a file and select the lines to share.');
    return;
  }
  if (!requireConnection(deps)) return;
  const id = activeConversation(deps);
  if (id === undefined) return;
  const doc = editor.document;
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  if (!folder) {
    void vscode.window.showWarningMessage('Chat: only files inside a workspace folder can be shared (others could not open them).');
    return;
  }
  const sel = editor.selection;
  const startLine = sel.start.line;
  // A selection that ends at the start of a line does not include that line.
  const endLine = sel.end.line > sel.start.line && sel.end.character === 0 ? sel.end.line - 1 : sel.end.line;
  const range = new vscode.Range(startLine, 0, endLine, doc.lineAt(endLine).text.length);
  const relative = vscode.workspace.asRelativePath(doc.uri, false).replace(/\\/g, '/');
  const result = snippetFromSelection({ path: relative, languageId: doc.languageId, startLine: startLine + 1, text: doc.getText(range) });
  if (!result.ok) {
    void vscode.window.showWarningMessage(`Chat: ${result.reason}`);
    return;
  }
  // The commit it was at (and whether the file differed), so a click finds the code later.
  const at = await commitOf(doc);
  const snippet = at ? { ...result.snippet, commit: at.commit, ...(at.dirty ? { dirty: true } : {}) } : result.snippet;
  if (!deps.connection.send(id, formatSnippet(snippet))) {
    void vscode.window.showWarningMessage(plainMessage(`Chat: cannot send to ${deps.model.nameOf(id) ?? id} now (not connected, or not in that room).`));
    return;
  }
  const name = deps.model.nameOf(id) ?? id;
  if (result.cut) {
    void vscode.window.showWarningMessage(
      `Chat: shared lines ${result.snippet.startLine}-${result.snippet.endLine} only: a snippet holds at most ${MAX_SNIPPET_LINES} lines and ${MAX_SNIPPET_BYTES / 1000} KB (you selected ${result.selectedLines} lines).`,
    );
  } else {
    void vscode.window.setStatusBarMessage(plainLabel(`Chat: shared ${relative}:${result.snippet.startLine}-${result.snippet.endLine} in ${name}`, 200), 4000);
  }
}

/** The file a snippet names, if it exists inside an open workspace folder (symlinks resolved). */
async function resolveInWorkspace(path: string): Promise<vscode.Uri | undefined> {
  const clean = cleanRelativePath(path);
  if (!clean) return undefined;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const uri = vscode.Uri.joinPath(folder.uri, ...clean.split('/'));
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.type & vscode.FileType.Directory) continue;
    } catch {
      continue;
    }
    if (uri.scheme === 'file') {
      // A symlink inside the workspace may point anywhere: compare the real paths.
      try {
        const [root, real] = await Promise.all([realpath(folder.uri.fsPath), realpath(uri.fsPath)]);
        if (!isInsideFolder(root, real)) continue;
      } catch {
        continue;
      }
    }
    return uri;
  }
  return undefined;
}

/**
 * Opens a shared snippet's file. With the snippet (its code and commit), at the lines that hold that
 * code now, even after edits above moved them; if the code is not there any more, offers the file as
 * it was at the shared commit. Without it (an old message), at the shared line.
 */
export async function openSnippet(path: string, line: number, snippet?: SnippetView): Promise<void> {
  const uri = await resolveInWorkspace(path);
  if (!uri) {
    if (snippet?.commit && (await offerAtCommit(path, snippet.commit, line, 'That file is not in your workspace now'))) return;
    // The path is the sender's: shown as text.
    void vscode.window.showWarningMessage(plainMessage(`Chat: That file is not in your workspace: ${path}`, 250));
    return;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  if (snippet) {
    const found = locateSnippet(doc.getText(), snippet.code, snippet.startLine);
    if (found !== undefined) {
      const last = Math.min(doc.lineCount - 1, found - 1 + (snippet.endLine - snippet.startLine));
      const range = new vscode.Range(found - 1, 0, last, doc.lineAt(last).text.length);
      const editor = await vscode.window.showTextDocument(doc, { preview: true });
      // The code selected, the cursor on its first line (anchor at the end, active at the start).
      editor.selection = new vscode.Selection(range.end, range.start);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      return;
    }
    if (snippet.commit && (await offerAtCommit(path, snippet.commit, line, 'The shared code is not in the file any more', uri))) return;
  }
  const at = Math.min(Math.max(line, 1), doc.lineCount) - 1;
  const pos = new vscode.Position(at, 0);
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: true });
}

/** Asks to open the file as it was at the shared commit; true when it was opened. */
async function offerAtCommit(path: string, commit: string, line: number, why: string, current?: vscode.Uri): Promise<boolean> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const clean = cleanRelativePath(path);
  const uri = current ?? (folder && clean ? vscode.Uri.joinPath(folder.uri, ...clean.split('/')) : undefined);
  const old = uri ? await uriAtCommit(uri, commit) : undefined;
  if (!old) return false;
  const choice = await vscode.window.showInformationMessage(plainMessage(`Chat: ${why}. Open ${path} as it was at ${commit.slice(0, 7)}?`, 300), 'Open at That Commit', 'Open Current File');
  if (choice !== 'Open at That Commit') return choice === undefined;
  const doc = await vscode.workspace.openTextDocument(old);
  const at = Math.min(Math.max(line, 1), doc.lineCount) - 1;
  const pos = new vscode.Position(at, 0);
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: true });
  return true;
}

/** Opens a link from a message: http and https only, parsed (never passed through as typed). */
export async function openLink(url: string): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    void vscode.window.showWarningMessage('Chat: that link is not a valid web address.');
    return;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    void vscode.window.showWarningMessage(`Chat: only http and https links are opened (not ${parsed.protocol.replace(/:$/, '')}).`);
    return;
  }
  await vscode.env.openExternal(vscode.Uri.parse(parsed.toString(), true));
}
