// What the Chat view shows, kept on the extension side (the source of truth): the connection, the
// current room and recent lines per room. The view gets a snapshot after `ready`, then changes.
import * as vscode from 'vscode';
import type { ChatLine, ConnectionView, Snapshot, ToWebview } from '../../webview/messages.ts';

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
    return { connection: this.#connection, room, messages: room ? [...this.lines(room)] : [] };
  }

  /** Sets the connection and the current room (pass `model.room` to keep it). */
  setConnection(connection: ConnectionView, room: string | undefined): void {
    this.#connection = connection;
    this.#room = room;
    this.#onDidChange.fire({ type: 'connection', connection, room });
  }

  addLine(room: string, line: ChatLine): void {
    const key = room.toLowerCase();
    const lines = this.#lines.get(key) ?? [];
    lines.push(line);
    if (lines.length > MAX_LINES_PER_ROOM) lines.splice(0, lines.length - MAX_LINES_PER_ROOM);
    this.#lines.set(key, lines);
    if (this.#room && this.#room.toLowerCase() === key) this.#onDidChange.fire({ type: 'message', room: this.#room, line });
  }

  /** Lines kept for a room (oldest first). */
  lines(room: string): readonly ChatLine[] {
    return this.#lines.get(room.toLowerCase()) ?? [];
  }

  dispose(): void {
    this.#onDidChange.dispose();
  }
}
