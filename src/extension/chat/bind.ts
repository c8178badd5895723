// Feeds an IrcClient's events into the view model. Pure (no vscode): the client core and the
// model are both plain TypeScript, so this wiring is tested over real TCP with the real client.
import { isChannelName } from '../../protocol/validate.ts';
import type { Disposable, IrcClient } from '../client/ircClient.ts';
import type { ChatMessage } from '../client/types.ts';
import type { ChatViewModel, IncomingInfo } from './viewModel.ts';

/** The part of IrcClient the wiring uses (a fake in unit tests). */
export type BindableClient = Pick<
  IrcClient,
  | 'onDidMessage'
  | 'onDidChangeMessageState'
  | 'onDidChangeRoom'
  | 'onDidChangeUser'
  | 'onDidChangeTyping'
  | 'onDidChangeCasemapping'
  | 'casemapping'
  | 'room'
  | 'messages'
  | 'loadOlder'
>;

export interface BindOptions {
  /** A message that counts for notifications (not ours, not history). */
  readonly onIncoming?: (info: IncomingInfo, message: ChatMessage) => void;
  readonly isChannel?: (name: string) => boolean;
}

export function bindClient(client: BindableClient, model: ChatViewModel, options: BindOptions = {}): Disposable[] {
  const isChannel = options.isChannel ?? isChannelName;
  model.setCasemapping(client.casemapping);
  return [
    client.onDidChangeCasemapping((mapping) => model.setCasemapping(mapping)),
    client.onDidMessage((m) => {
      const info = model.message(m, isChannel(m.target));
      if (info?.unread) options.onIncoming?.(info, m);
    }),
    client.onDidChangeMessageState((c) => model.messageState(c)),
    client.onDidChangeRoom((change) => {
      const room = client.room(change.room);
      switch (change.reason) {
        case 'joined':
          model.roomJoined(change.room, room?.members ?? []);
          if (room?.topic !== undefined) model.roomTopic(change.room, room.topic);
          return;
        case 'parted':
        case 'kicked':
        case 'disconnected':
          return model.roomLeft(change.room, change.reason, change.by, change.message);
        case 'members':
          return model.roomMembers(change.room, room?.members ?? [], change.by, change.message);
        case 'topic':
          return model.roomTopic(change.room, room?.topic, change.by);
      }
    }),
    client.onDidChangeUser((u) => model.user(u)),
    client.onDidChangeTyping((t) => model.typing(t)),
  ];
}

/** Where the model finds older lines of a conversation: the client's memory, then CHATHISTORY. */
export function olderSource(client: BindableClient, target: string): { held(): readonly ChatMessage[]; fetch(): Promise<readonly ChatMessage[]> } {
  return {
    held: () => client.messages(target),
    fetch: () => client.loadOlder(target),
  };
}
