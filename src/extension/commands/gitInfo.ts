// What VS Code's built-in git extension (vscode.git, API version 1) says about a file: the commit
// of its repository's HEAD, whether the file differs from it, and a URI for the file as it was at a
// commit. Typed here with only what we use; absent or disabled git (or no repository) means undefined.
import * as vscode from 'vscode';

interface Change {
  readonly uri: vscode.Uri;
}
interface Repository {
  readonly rootUri: vscode.Uri;
  readonly state: { readonly HEAD?: { readonly commit?: string }; readonly workingTreeChanges: readonly Change[]; readonly indexChanges: readonly Change[] };
}
interface GitApi {
  getRepository(uri: vscode.Uri): Repository | null;
  toGitUri(uri: vscode.Uri, ref: string): vscode.Uri;
}

async function gitApi(): Promise<GitApi | undefined> {
  const ext = vscode.extensions.getExtension<{ getAPI(version: 1): GitApi; enabled?: boolean }>('vscode.git');
  if (!ext) return undefined;
  try {
    const exports = ext.isActive ? ext.exports : await ext.activate();
    if (exports.enabled === false) return undefined;
    return exports.getAPI(1);
  } catch {
    return undefined;
  }
}

/** The commit the file's repository is at, and whether the file has unsaved or uncommitted changes. */
export async function commitOf(doc: vscode.TextDocument): Promise<{ commit: string; dirty: boolean } | undefined> {
  const api = await gitApi();
  const repo = api?.getRepository(doc.uri);
  const commit = repo?.state.HEAD?.commit;
  if (!repo || !commit) return undefined;
  const same = (c: Change) => c.uri.toString() === doc.uri.toString();
  const dirty = doc.isDirty || repo.state.workingTreeChanges.some(same) || repo.state.indexChanges.some(same);
  return { commit, dirty };
}

/** The file as it was at `commit` (a git: URI VS Code opens read-only), when git is there. */
export async function uriAtCommit(uri: vscode.Uri, commit: string): Promise<vscode.Uri | undefined> {
  const api = await gitApi();
  if (!api?.getRepository(uri)) return undefined;
  return api.toGitUri(uri, commit);
}
