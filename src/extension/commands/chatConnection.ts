// One chat connection at a time: connects an IRC client, joins the default room, and mirrors the
// client's state and messages into the view model. Errors become short sentences for people.
import * as vscode from 'vscode';
import type { ChatLine } from '../../webview/messages.ts';
import type { ChatModel } from '../views/chatModel.ts';

/** The part of src/extension/client/ircClient.ts (IrcClient) this controller uses. */
export interface ChatClient {
  connect(): Promise<void>;
  readonly nick: string;
  onDidChangeState(listener: (state: 'disconnected' | 'connecting' | 'registered' | 'reconnecting') => void): vscode.Disposable;
  onDidMessage(listener: (m: IncomingMessage) => void): vscode.Disposable;
  join(channel: string, key?: string): void;
  sendMessage(target: string, text: string): void;
  quit(reason?: string): Promise<void>;
  dispose(): void;
}

export interface IncomingMessage {
  target: string;
  from: string;
  text: string;
  time: Date;
  msgid?: string;
  self: boolean;
  kind: 'privmsg' | 'notice' | 'action';
}

export interface ConnectTarget {
  readonly host: string;
  readonly port: number;
  readonly nick: string;
}

export type ClientFactory = (target: ConnectTarget) => ChatClient;

/** The room everyone lands in until rooms get their own UI. */
export const DEFAULT_ROOM = '#general';

const ERROR_TEXT: Record<string, (t: ConnectTarget) => string> = {
  refused: (t) =>
    `Could not connect to ${t.host}:${t.port}: the connection was refused or the host was not found. Is the chat server running, and are the settings chatroom.host and chatroom.port right?`,
  timeout: (t) => `Could not connect to ${t.host}:${t.port}: the server did not answer in time.`,
  tls: (t) => `Could not connect to ${t.host}:${t.port}: the secure (TLS) connection failed.`,
  'nick-in-use': (t) => `The nickname "${t.nick}" is already in use on ${t.host}:${t.port}. Change the setting chatroom.nickname.`,
  'bad-password': (t) => `${t.host}:${t.port} rejected the password.`,
  banned: (t) => `${t.host}:${t.port} refused the connection: you are banned from this server.`,
  closed: (t) => `The connection to ${t.host}:${t.port} was closed.`,
  protocol: (t) => `${t.host}:${t.port} does not speak the chat protocol (IRC) as expected.`,
};

/** A sentence for people, never a stack trace. */
export function describeConnectError(error: unknown, target: ConnectTarget): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const known = typeof code === 'string' ? ERROR_TEXT[code] : undefined;
  if (known) return known(target);
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return `Could not connect to ${target.host}:${target.port}: ${message}`;
}

let lineCounter = 0;

function toLine(m: IncomingMessage): ChatLine {
  lineCounter += 1;
  return {
    id: m.msgid ?? `local-${lineCounter}`,
    from: m.from,
    text: m.text,
    time: m.time.getTime(),
    self: m.self,
    kind: m.kind,
  };
}

export class ChatConnection implements vscode.Disposable {
  readonly #model: ChatModel;
  readonly #createClient: ClientFactory;
  #client: ChatClient | undefined;
  #target: ConnectTarget | undefined;
  #subscriptions: vscode.Disposable[] = [];

  constructor(model: ChatModel, createClient: ClientFactory) {
    this.#model = model;
    this.#createClient = createClient;
  }

  get target(): ConnectTarget | undefined {
    return this.#client ? this.#target : undefined;
  }

  /** Connects (replacing any current connection) and joins the default room. Throws a readable Error. */
  async connect(target: ConnectTarget): Promise<void> {
    await this.disconnect();
    const server = `${target.host}:${target.port}`;
    const client = this.#createClient(target);
    this.#client = client;
    this.#target = target;
    this.#model.setConnection({ state: 'connecting', server }, undefined);
    this.#subscriptions.push(
      client.onDidChangeState((state) => {
        if (this.#client !== client) return;
        if (state === 'registered') this.#model.setConnection({ state: 'connected', server, nick: client.nick }, this.#model.room);
        else if (state === 'reconnecting') this.#model.setConnection({ state: 'reconnecting', server, nick: client.nick }, this.#model.room);
        else if (state === 'connecting') this.#model.setConnection({ state: 'connecting', server }, this.#model.room);
        else this.#model.setConnection({ state: 'disconnected' }, undefined);
      }),
      client.onDidMessage((m) => {
        if (this.#client === client) this.#model.addLine(m.target, toLine(m));
      }),
    );
    try {
      await client.connect();
    } catch (error) {
      const text = describeConnectError(error, target);
      if (this.#client === client) this.#drop();
      this.#model.setConnection({ state: 'disconnected', error: { message: text, actions: ['connect', 'host', 'openSettings'] } }, undefined);
      throw new Error(text);
    }
    if (this.#client !== client) return; // replaced meanwhile
    client.join(DEFAULT_ROOM);
    this.#model.setConnection({ state: 'connected', server, nick: client.nick }, DEFAULT_ROOM);
  }

  /** Sends text to the current room, one IRC message per line of text. */
  send(text: string): boolean {
    const room = this.#model.room;
    if (!this.#client || !room || this.#model.connection.state !== 'connected') return false;
    for (const line of text.split(/\r?\n/)) if (line.trim()) this.#client.sendMessage(room, line);
    return true;
  }

  async disconnect(reason = 'Leaving'): Promise<void> {
    const client = this.#client;
    if (!client) return;
    this.#drop(false);
    try {
      await client.quit(reason);
    } catch {
      // already gone: nothing to tell the user
    } finally {
      client.dispose();
    }
    this.#model.setConnection({ state: 'disconnected' }, undefined);
  }

  #drop(disposeClient = true): void {
    for (const d of this.#subscriptions.splice(0)) d.dispose();
    const client = this.#client;
    this.#client = undefined;
    if (client && disposeClient) client.dispose();
  }

  dispose(): void {
    this.#drop();
  }
}
