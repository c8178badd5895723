// The Chat webview view: strict CSP with a per-render nonce, scripts and styles only from dist/ and
// media/, and a ready handshake: nothing is posted until the webview says `ready`, which it says
// again each time it is (re)created, and then it gets a full snapshot.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { parseFromWebview } from '../../webview/messages.ts';
import type { FromWebview, Snapshot, ToWebview } from '../../webview/messages.ts';

export const CHAT_VIEW_ID = 'chatroom.chat';

export interface ChatViewHost {
  /** Everything the view needs to draw itself (after `ready`). */
  snapshot(): Snapshot;
  /** A checked message from the view (anything but `ready`). */
  receive(message: FromWebview): void;
  /** The view was shown or hidden. */
  visibilityChanged(visible: boolean): void;
}

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  #view: vscode.WebviewView | undefined;
  #ready = false;
  readonly #viewDisposables: vscode.Disposable[] = [];
  readonly #extensionUri: vscode.Uri;
  readonly #host: ChatViewHost;

  constructor(extensionUri: vscode.Uri, host: ChatViewHost) {
    this.#extensionUri = extensionUri;
    this.#host = host;
  }

  /** The view is on screen (for unread counts and notifications). */
  get visible(): boolean {
    return this.#view?.visible === true;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.#disposeView();
    this.#view = view;
    this.#ready = false;
    const media = vscode.Uri.joinPath(this.#extensionUri, 'media');
    const dist = vscode.Uri.joinPath(this.#extensionUri, 'dist');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    view.webview.html = this.#html(view.webview, dist, media);
    this.#viewDisposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => this.#receive(raw)),
      // A hidden view loses its webview; when shown again the webview says `ready` and gets a snapshot.
      view.onDidChangeVisibility(() => {
        if (!view.visible) this.#ready = false;
        this.#host.visibilityChanged(view.visible);
      }),
      view.onDidDispose(() => {
        if (this.#view === view) {
          this.#view = undefined;
          this.#ready = false;
          this.#host.visibilityChanged(false);
        }
      }),
    );
    this.#host.visibilityChanged(view.visible);
  }

  /** Shows the view (e.g. after Connect from the palette). */
  async reveal(preserveFocus = true): Promise<void> {
    if (this.#view) this.#view.show(preserveFocus);
    else await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  }

  #receive(raw: unknown): void {
    const message = parseFromWebview(raw);
    if (!message) return; // malformed: ignore, never throw into the webview channel
    if (message.type === 'ready') {
      this.#ready = true;
      this.post({ type: 'snapshot', snapshot: this.#host.snapshot() });
      return;
    }
    this.#host.receive(message);
  }

  post(message: ToWebview): void {
    if (!this.#view || !this.#ready) return; // the snapshot after `ready` carries it
    void this.#view.webview.postMessage(message);
  }

  #html(webview: vscode.Webview, dist: vscode.Uri, media: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'chat.css'));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Chat</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  #disposeView(): void {
    for (const d of this.#viewDisposables.splice(0)) d.dispose();
  }

  dispose(): void {
    this.#disposeView();
  }
}
