// What the Chat view shows, kept on the extension side (the source of truth): the connection, the
// current room and recent lines per room. The view gets a snapshot after `ready`, then changes.
import * as vscode from 'vscode';
import { casefold } from '../../protocol/casemap.ts';
import type { ChatLine, ConnectionView, ConversationView, SelfView, Snapshot, ToWebview } from '../../webview/messages.ts';

// Lines kept per room for redraws; full history belongs to the server (draft/chathistory).
const MAX_LINES_PER_ROOM = 500;

export class ChatModel implements vscode.Disposable {
  #connection: ConnectionView = { state: 'disconnected' };
  #room: string | undefined;
  readonly #lines = new Map<string, ChatLine[]>();
  readonly #onDidChange = new vscode.EventEmitter<ToWebview>();
  /** Fires one webview message per change. */
  readonly onDidChange = this.#onDidChange.event;

  get connection(): ConnectionView {
    return this.#connection;
  }

  get room(): string | undefined {
    return this.#room;
  }

  snapshot(): Snapshot {
    const room = this.#room;
    return {
      connection: this.#connection,
      self: this.#self(),
      conversations: this.#conversations(),
      active: room ? casefold(room) : undefined,
      members: [],
      lines: room ? [...this.lines(room)] : [],
      hasOlder: false,
      typing: [],
    };
  }

  /** Sets the connection and the current room (pass `model.room` to keep it). */
  setConnection(connection: ConnectionView, room: string | undefined): void {
    const roomChanged = room !== this.#room;
    this.#connection = connection;
    this.#room = room;
    if (roomChanged) this.#onDidChange.fire({ type: 'snapshot', snapshot: this.snapshot() });
    else this.#onDidChange.fire({ type: 'connection', connection, self: this.#self() });
  }

  addLine(room: string, line: ChatLine): void {
    const key = casefold(room);
    const lines = this.#lines.get(key) ?? [];
    lines.push(line);
    if (lines.length > MAX_LINES_PER_ROOM) lines.splice(0, lines.length - MAX_LINES_PER_ROOM);
    this.#lines.set(key, lines);
    if (this.#room && casefold(this.#room) === key) {
      this.#onDidChange.fire({ type: 'lines', conversation: key, lines: [line], position: 'append' });
    }
  }

  #self(): SelfView | undefined {
    const c = this.#connection;
    return c.state === 'connected' || c.state === 'reconnecting' ? { nick: c.nick, status: 'online' } : undefined;
  }

  #conversations(): ConversationView[] {
    const room = this.#room;
    return room ? [{ id: casefold(room), name: room, kind: 'room', joined: true, unread: 0, mentions: 0 }] : [];
  }

  /** Lines kept for a room (oldest first). */
  lines(room: string): readonly ChatLine[] {
    return this.#lines.get(casefold(room)) ?? [];
  }

  dispose(): void {
    this.#onDidChange.dispose();
  }
}
