// The chat server this window hosts (Chat: Host), at most one. A Disposable: deactivating the
// extension or Chat: Stop Hosting kills the process.
import * as vscode from 'vscode';
import { startServer } from './serverProcess.ts';
import type { RunningServer } from './serverProcess.ts';

export class HostedServer implements vscode.Disposable {
  #server: RunningServer | undefined;
  readonly #output: vscode.OutputChannel;
  readonly #extensionPath: string;
  readonly #dataDir: string;

  readonly #onDidChange = new vscode.EventEmitter<RunningServer | undefined>();
  /** Started or stopped (on purpose or not). */
  readonly onDidChange = this.#onDidChange.event;

  constructor(context: vscode.ExtensionContext, output: vscode.OutputChannel) {
    this.#output = output;
    this.#extensionPath = context.extensionUri.fsPath;
    this.#dataDir = vscode.Uri.joinPath(context.globalStorageUri, 'server').fsPath;
  }

  get running(): RunningServer | undefined {
    return this.#server;
  }

  /** Starts the bundled server; throws ServerStartError (see serverProcess.ts). */
  async start(host: string, port: number): Promise<RunningServer> {
    if (this.#server) return this.#server;
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(this.#dataDir));
    const server = await startServer({
      extensionPath: this.#extensionPath,
      host,
      port,
      dataDir: this.#dataDir,
      log: (line) => this.#output.appendLine(line),
    });
    this.#server = server;
    this.#onDidChange.fire(server);
    void server.exited.then((how) => {
      if (this.#server !== server) return; // stopped on purpose
      this.#server = undefined;
      this.#onDidChange.fire(undefined);
      void vscode.window
        .showWarningMessage(`The chat server stopped unexpectedly (${how}).`, 'Show Server Output')
        .then((choice) => choice && this.#output.show());
    });
    return server;
  }

  stop(): boolean {
    const server = this.#server;
    this.#server = undefined;
    server?.dispose();
    if (server) this.#onDidChange.fire(undefined);
    return server !== undefined;
  }

  dispose(): void {
    this.stop();
    this.#onDidChange.dispose();
  }
}
