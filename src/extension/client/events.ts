// Every event the client raises, in one place so the connection-level code (session, handlers)
// and the public facade (IrcClient) share the same emitters.
import type { Casemapping } from '../../protocol/casemap.ts';
import { Emitter } from './emitter.ts';
import type { ClientError } from './errors.ts';
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
  /** Every raw line in and out, for an output channel or debugging. */
  readonly raw = new Emitter<{ direction: 'in' | 'out'; line: string }>();

  dispose(): void {
    for (const e of Object.values(this)) if (e && typeof e.dispose === 'function') e.dispose();
  }
}
