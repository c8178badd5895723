// The chat server this window hosts (Chat: Host), at most one. A Disposable: deactivating the
// extension or Chat: Stop Hosting kills the process. On a non-loopback address it also listens with
// TLS, with a self-signed certificate kept in global storage (hostCertificate.ts).
import { hostname, networkInterfaces } from 'node:os';
import * as vscode from 'vscode';
import { isLoopbackHost } from '../chat/loopback.ts';
import { ensureHostCertificate, type HostCertificate } from './hostCertificate.ts';
import { certificateNames } from './reach.ts';
import { ServerStartError, startServer } from './serverProcess.ts';
import type { RunningServer } from './serverProcess.ts';

export interface HostedRunning extends RunningServer {
  /** Set when it listens on a non-loopback address, hence with TLS (tlsPort). */
  readonly certificate?: HostCertificate;
}

export class HostedServer implements vscode.Disposable {
  #server: HostedRunning | undefined;
  readonly #output: vscode.OutputChannel;
  readonly #extensionPath: string;
  readonly #dataDir: string;
  readonly #tlsDir: string;

  readonly #onDidChange = new vscode.EventEmitter<HostedRunning | undefined>();
  /** Started or stopped (on purpose or not). */
  readonly onDidChange = this.#onDidChange.event;

  constructor(context: vscode.ExtensionContext, output: vscode.OutputChannel) {
    this.#output = output;
    this.#extensionPath = context.extensionUri.fsPath;
    this.#dataDir = vscode.Uri.joinPath(context.globalStorageUri, 'server').fsPath;
    this.#tlsDir = vscode.Uri.joinPath(context.globalStorageUri, 'tls').fsPath;
  }

  get running(): HostedRunning | undefined {
    return this.#server;
  }

  /** Starts the bundled server; throws ServerStartError (see serverProcess.ts). */
  async start(host: string, port: number, tlsPort: number): Promise<HostedRunning> {
    if (this.#server) return this.#server;
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(this.#dataDir));
    // Reachable from other machines: passwords and messages must not cross the network in clear.
    let certificate: HostCertificate | undefined;
    if (!isLoopbackHost(host)) {
      try {
        certificate = await ensureHostCertificate(this.#tlsDir, certificateNames(host, hostname(), networkInterfaces()));
      } catch (e) {
        throw new ServerStartError('spawn', `Could not make the server's TLS certificate in ${this.#tlsDir}: ${(e as Error).message}`);
      }
      this.#output.appendLine(`TLS certificate ${certificate.created ? 'made' : 'reused'}: ${certificate.certFile} (SHA-256 ${certificate.fingerprint256})`);
    }
    const started = await startServer({
      extensionPath: this.#extensionPath,
      host,
      port,
      dataDir: this.#dataDir,
      ...(certificate ? { tls: { port: tlsPort, certFile: certificate.certFile, keyFile: certificate.keyFile } } : {}),
      log: (line) => this.#output.appendLine(line),
    });
    const server: HostedRunning = certificate ? { ...started, certificate } : started;
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
