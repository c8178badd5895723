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
    void server.exited.then((how) => {
      if (this.#server !== server) return; // stopped on purpose
      this.#server = undefined;
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
    return server !== undefined;
  }

  dispose(): void {
    this.stop();
  }
}
