// Feeds an IrcClient's events into the view model. Pure (no vscode): the client core and the
// model are both plain TypeScript, so this wiring is tested over real TCP with the real client.
import { isChannelName } from '../../protocol/validate.ts';
import type { Disposable, IrcClient } from '../client/ircClient.ts';
import type { ChatMessage } from '../client/types.ts';
import type { ChatViewModel, IncomingInfo } from './viewModel.ts';

/** The part of IrcClient the wiring uses (a fake in unit tests). */
export type BindableClient = Pick<IrcClient, 'onDidChat' | 'onDidChangeCasemapping' | 'casemapping' | 'messages' | 'loadOlder'>;

export interface BindOptions {
  /** A message that counts for notifications (not ours, not history). */
  readonly onIncoming?: (info: IncomingInfo, message: ChatMessage) => void;
  readonly isChannel?: (name: string) => boolean;
}

/** The client's typed events go to the model as they are; a message counted unread also to onIncoming. */
export function bindClient(client: BindableClient, model: ChatViewModel, options: BindOptions = {}): Disposable[] {
  const isChannel = options.isChannel ?? isChannelName;
  model.setCasemapping(client.casemapping);
  return [
    client.onDidChangeCasemapping((mapping) => model.setCasemapping(mapping)),
    client.onDidChat((e) => {
      const info = model.apply(e, isChannel);
      if (info?.unread && e.type === 'message') options.onIncoming?.(info, e.message);
    }),
  ];
}

/** Where the model finds older lines of a conversation: the client's memory, then CHATHISTORY. */
export function olderSource(client: Pick<BindableClient, 'messages' | 'loadOlder'>, target: string): { held(): readonly ChatMessage[]; fetch(): Promise<readonly ChatMessage[]> } {
  return {
    held: () => client.messages(target),
    fetch: () => client.loadOlder(target),
  };
}
