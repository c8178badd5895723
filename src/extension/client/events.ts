// Every event the client raises, in one place so the connection-level code (session, handlers)
// and the public facade (IrcClient) share the same emitters. Chat facts go in through emit()
// (typed ChatEvents, chatEvents.ts); the per-topic emitters (room, user, message...) are derived
// from them here, once, for the consumers that want one topic.
import type { Casemapping } from '../../protocol/casemap.ts';
import type { ChatEvent } from './chatEvents.ts';
import { Emitter } from './emitter.ts';
import type { ClientError } from './errors.ts';
import type { ServerAddress } from './options.ts';
import type {
  ChatMessage,
  ConnectionState,
  HistoryPage,
  MessageStateChange,
  RoomChange,
  ServerNotice,
  TypingChange,
  UserInfo,
} from './types.ts';

export class ClientEvents {
  /** Every chat fact, typed (see chatEvents.ts). */
  readonly chat = new Emitter<ChatEvent>();
  /**
   * The same facts once every listener above has seen them: the core's own follow-ups (features:
   * WHO after our JOIN, forgetting a user who left) run here, so listeners see the model as the
   * event left it.
   */
  readonly settled = new Emitter<ChatEvent>();
  readonly state = new Emitter<ConnectionState>();
  readonly message = new Emitter<ChatMessage>();
  readonly error = new Emitter<ClientError>();
  readonly messageState = new Emitter<MessageStateChange>();
  readonly room = new Emitter<RoomChange>();
  readonly user = new Emitter<UserInfo>();
  readonly nick = new Emitter<string>();
  readonly typing = new Emitter<TypingChange>();
  readonly history = new Emitter<HistoryPage>();
  readonly notice = new Emitter<ServerNotice>();
  readonly account = new Emitter<string | null>();
  readonly readMarker = new Emitter<{ target: string; time: Date }>();
  readonly capabilities = new Emitter<ReadonlySet<string>>();
  /** The server's ISUPPORT CASEMAPPING changed how names fold (ids keyed by name must follow). */
  readonly casemapping = new Emitter<Casemapping>();
  /** A server of the list could not be reached or refused us; the next one is tried (connector.ts). */
  readonly serverFailed = new Emitter<{ server: ServerAddress; error: ClientError }>();
  /** Every raw line in and out, for an output channel or debugging. */
  readonly raw = new Emitter<{ direction: 'in' | 'out'; line: string }>();

  /** Announces a chat fact: on `chat`, then on its per-topic emitter. */
  emit(e: ChatEvent): void {
    this.chat.fire(e);
    this.#fanOut(e);
    this.settled.fire(e);
  }

  #fanOut(e: ChatEvent): void {
    switch (e.type) {
      case 'message':
        return this.message.fire(e.message);
      case 'historyPage':
        return this.history.fire(e.page);
      case 'delivery':
        return this.messageState.fire(e.change);
      case 'presence':
        return this.user.fire(e.user);
      case 'typing':
        return this.typing.fire(e.typing);
      case 'reaction':
      case 'redaction':
        return; // onDidChat only
      default:
        for (const change of roomChanges(e)) this.room.fire(change);
    }
  }

  dispose(): void {
    for (const e of Object.values(this)) if (e && typeof e.dispose === 'function') e.dispose();
  }
}

/** The RoomChanges (onDidChangeRoom) a room event stands for: one per room it touches. */
function roomChanges(e: Exclude<ChatEvent, { type: 'message' | 'historyPage' | 'delivery' | 'presence' | 'typing' | 'reaction' | 'redaction' }>): RoomChange[] {
  const change = (room: string, reason: RoomChange['reason'], by?: string, message?: string): RoomChange => ({
    room,
    reason,
    ...(by !== undefined ? { by } : {}),
    ...(message !== undefined ? { message } : {}),
  });
  switch (e.type) {
    case 'joined':
      return [change(e.room, e.self ? 'joined' : 'members')];
    case 'names':
    case 'mode':
      return [change(e.room, 'members')];
    case 'parted':
      return [change(e.room, e.self ? 'parted' : 'members', e.nick, e.reason)];
    case 'kicked':
      return [change(e.room, e.self ? 'kicked' : 'members', e.by, e.reason)];
    case 'quit':
      return e.rooms.map((room) => change(room, 'members', e.nick, e.reason));
    case 'renamed':
      return e.rooms.map((room) => change(room, 'members', e.from, e.to));
    case 'topic':
      return [change(e.room, 'topic', e.by)];
    case 'disconnected':
      return [change(e.room, 'disconnected', undefined, e.reason)];
  }
}
