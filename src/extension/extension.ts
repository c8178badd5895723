// Entry point of the Chat Room extension (bundled to dist/extension.cjs). Everything registered here
// goes into context.subscriptions, so VS Code disposes it (and stops a hosted server) on deactivate.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { IrcClient } from './client/ircClient.ts';
import { ChatConnection, type ClientFactory } from './chat/connection.ts';
import { PasswordConsent } from './chat/passwordConsent.ts';
import { CONNECTION_SETTINGS, type ChatSettings } from './chat/settings.ts';
import { ChatViewModel } from './chat/viewModel.ts';
import { buildRequest, connectWith, hostedTarget, showErrorView, type CommandDeps } from './commands/deps.ts';
import { COMMANDS, CONTEXT } from './commands/ids.ts';
import { registerCommands } from './commands/registerCommands.ts';
import { forgetReported, readSettings } from './commands/settings.ts';
import { Credentials } from './credentials.ts';
import { HostedServer } from './host/hostedServer.ts';
import { ChatNotifier } from './notifications.ts';
import { plainMessage } from './plainText.ts';
import { AutoAway } from './chat/autoAway.ts';
import { ChatStatusBar } from './statusBar.ts';
import { CHAT_VIEW_ID, ChatViewProvider } from './views/chatViewProvider.ts';
import { dispatchWebviewMessage } from './views/webviewHandlers.ts';
import type { ToWebview } from '../webview/messages.ts';

// altNicks: with the nick taken (another window of yours, say) connect as nick_ rather than fail.
const createClient: ClientFactory = (r) =>
  new IrcClient({
    host: r.host,
    port: r.port,
    tls: r.tls === true,
    ...(r.servers !== undefined ? { servers: r.servers } : {}),
    ...(r.ca !== undefined ? { ca: r.ca } : {}),
    ...(r.fingerprint256 !== undefined ? { fingerprint256: r.fingerprint256 } : {}),
    nick: r.nick,
    username: r.nick,
    realname: r.nick,
    altNicks: true,
    ...(r.account && r.password ? { sasl: { account: r.account, password: r.password } } : {}),
  });

/** Where Chat: Connect goes, for the view while disconnected: "127.0.0.1:6697 with TLS, trusting team.pem" (or "pinned to AB:CD:EF:01…"). */
function connectTarget(s: ChatSettings): string {
  const more = s.servers.length > 1 ? `, then ${s.servers.slice(1).map((x) => `${x.host}:${x.port}`).join(', ')}` : '';
  return connectTargetOf(s) + more;
}

function connectTargetOf(s: ChatSettings): string {
  if (!s.tls) return `${s.host}:${s.port}`;
  // The pin's start, as typed: enough to tell which one is set.
  if (s.tlsFingerprint) return `${s.host}:${s.port} with TLS, pinned to ${s.tlsFingerprint.slice(0, 11)}…`;
  return `${s.host}:${s.port} with TLS${s.tlsCertificate ? `, trusting ${basename(s.tlsCertificate)}` : ''}`;
}

const contextValues = new Map<string, boolean>();

/** Sets a `when`-clause context key, only when its value changes (posts are frequent). */
function setContext(key: string, value: boolean): void {
  if (contextValues.get(key) === value) return;
  contextValues.set(key, value);
  void vscode.commands.executeCommand('setContext', key, value);
}

export function activate(context: vscode.ExtensionContext): void {
  const serverOutput = vscode.window.createOutputChannel('Chat Room Server');
  // The chat connection's own log: each server of chatroom.servers that failed, and why.
  const chatOutput = vscode.window.createOutputChannel('Chat Room');
  const log = (line: string): void => chatOutput.appendLine(`[${new Date().toISOString()}] ${plainMessage(line)}`);
  const statusBar = new ChatStatusBar();
  const server = new HostedServer(context, serverOutput);
  const credentials = new Credentials(context.secrets, context.globalState);
  // Per user (globalState), not per workspace: a cloned repository cannot agree for you.
  const consent = new PasswordConsent(context.globalState, async (host) => {
    const send = 'Send Anyway';
    const choice = await vscode.window.showWarningMessage(
      `Chat will send your password unencrypted to ${host}.`,
      {
        modal: true,
        detail: `This connection does not use TLS: anyone on the network between you and ${host} can read the password. Use the server's TLS port with chatroom.tls if it has one. Chat asks once for each host.`,
      },
      send,
    );
    return choice === send;
  });

  // The model posts to the view; posts also refresh the status bar and the context keys.
  let view: ChatViewProvider | undefined;
  const refresh = (): void => {
    const c = model.connection;
    statusBar.update(c, model.unread);
    setContext(CONTEXT.connected, c.state !== 'disconnected');
    setContext(CONTEXT.loggedIn, c.state === 'connected' && c.account !== undefined);
    setContext(CONTEXT.hasConversation, model.active !== undefined);
  };
  const model: ChatViewModel = new ChatViewModel((message: ToWebview) => {
    view?.post(message);
    if (message.type !== 'lines' && message.type !== 'lineState' && message.type !== 'typing') refresh();
  });

  const notifier = new ChatNotifier(
    (id) => {
      model.open(id);
      void view?.reveal(false);
    },
    (id) => ({ unread: model.conversations().find((c) => c.id === id)?.unread ?? 0, viewVisible: view?.visible === true }),
  );
  const connection = new ChatConnection(model, createClient, {
    onIncoming: (info) => notifier.incoming(info, readSettings({ report: false }).notifications, view?.visible === true),
    onError: (errorView, code) => {
      // A drop that reconnects by itself is shown in the view and the status bar; a stop is worth a
      // message, unless the view is on screen: it says it there with the same actions (once, not twice).
      if ((connection.client?.state === 'disconnected' || code !== 'closed') && view?.visible !== true) void showErrorView(errorView);
    },
    onNotice: (n) => {
      if (n.kind === 'error' || n.kind === 'fail') void vscode.window.showWarningMessage(plainMessage(`Chat: ${n.text}`));
    },
    onServerFailed: (where, reason) => log(`${where}: ${reason}`),
    onServerConnected: (where) => log(`connected to ${where}`),
    onChange: refresh,
    allowPassword: (target) => consent.allow(target),
  });

  const editorActivity = followEditorActivity(connection);
  const provider = new ChatViewProvider(context.extensionUri, {
    snapshot: () => model.snapshot(),
    // Messages arrive only after activate() returned: deps exists by then.
    receive: (message) => {
      // Writing or acting in the Chat view is activity too (ready and read markers come by themselves).
      if (message.type !== 'ready' && message.type !== 'markRead') editorActivity.activity();
      dispatchWebviewMessage(message, deps);
    },
    visibilityChanged: (visible) => model.setViewVisible(visible),
  });
  view = provider;
  const deps: CommandDeps = { connection, model, server, view: provider, serverOutput, credentials, workspaceState: context.workspaceState, lastRequest: undefined };

  /** Shown while disconnected: where Connect goes, and the port Host would use (the setting). */
  const showConnectTarget = (): void => {
    const now = readSettings();
    model.setConnectTarget(connectTarget(now), now.serverPort);
  };

  context.subscriptions.push(
    serverOutput,
    chatOutput,
    statusBar,
    provider,
    server,
    connection,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, provider, { webviewOptions: { retainContextWhenHidden: false } }),
    server.onDidChange((running) => setContext(CONTEXT.hosting, running !== undefined)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('chatroom')) return;
      forgetReported();
      showConnectTarget();
      const current = connection.request;
      if (!current || !CONNECTION_SETTINGS.some((s) => e.affectsConfiguration(s))) return;
      void vscode.window
        .showInformationMessage('Chat: the connection settings changed. Reconnect with the new settings?', 'Reconnect')
        .then(async (choice) => {
          if (choice !== 'Reconnect') return;
          const running = server.running;
          if (current.hosting && running) {
            const { host, port } = hostedTarget(running);
            await connectWith(deps, await buildRequest(deps, host, port, true));
          } else {
            await vscode.commands.executeCommand(COMMANDS.connect);
          }
        });
    }),
    ...registerCommands(deps),
    ...editorActivity.disposables,
  );
  setContext(CONTEXT.hosting, false);
  refresh();

  showConnectTarget();
  const settings = readSettings();
  if (settings.autoConnect) void vscode.commands.executeCommand(COMMANDS.connect);
}

/** chatroom.autoAway: presence follows editor activity (chat/autoAway.ts). */
function followEditorActivity(connection: ChatConnection): { disposables: vscode.Disposable[]; activity: () => void } {
  const auto = new AutoAway({
    minutes: () => {
      const v = vscode.workspace.getConfiguration('chatroom').get<number>('autoAway', 15);
      return typeof v === 'number' && Number.isFinite(v) ? Math.max(0, Math.min(v, 1440)) : 15;
    },
    status: () => (connection.connected ? connection.client?.status : undefined),
    setStatus: (status, message) => connection.setStatus(status, message),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  });
  // Activity: typing, moving the cursor, switching editors or terminals, the window regaining focus.
  let last = 0;
  const active = (): void => {
    const now = Date.now();
    if (now - last < 1000) return; // selection events come in bursts
    last = now;
    auto.activity();
  };
  const disposables = [
    { dispose: () => auto.dispose() },
    vscode.window.onDidChangeTextEditorSelection(active),
    vscode.window.onDidChangeActiveTextEditor(active),
    vscode.window.onDidChangeActiveTerminal(active),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.scheme !== 'output') active();
    }),
    vscode.window.onDidChangeWindowState((s) => {
      if (s.focused) active();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('chatroom.autoAway')) auto.reconfigure();
    }),
  ];
  return { disposables, activity: active };
}

export function deactivate(): void {
  // Nothing beyond context.subscriptions.
}
