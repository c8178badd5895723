// What a handler of the table (handlers/index.ts) may read and do: the connection (Link), our
// sent messages, the features, and the few things only the incoming side changes (our nick and
// source, ISUPPORT). session.ts implements it; handlers import this file, never the session.
// Each handler file narrows it to what its handlers use and the chat events they may emit
// (`type RoomsContext = Pick<HandlerContext, …> & Fires<…> & Emits<'joined' | …>`): the
// compiler then says when a handler reaches for more.
import type { IrcMessage } from '../../../protocol/message.ts';
import type { Features } from '../features.ts';
import type { Link, LineContext } from '../link.ts';
import type { OutgoingTracker } from '../outgoing.ts';

export interface HandlerContext extends Link {
  readonly outgoing: OutgoingTracker;
  readonly features: Features;
  nick: string;
  /** Our user and host as the server shows them (for line-length budgets). */
  selfUser?: string;
  selfHost?: string;
  /** Channel prefix modes, highest first: [['o','@'],['v','+']]. */
  readonly prefixes: ReadonlyArray<readonly [mode: string, symbol: string]>;
  /** Applies one RPL_ISUPPORT line. */
  applyIsupport(tokens: string[]): void;
}

export type Handler = (s: HandlerContext, msg: IrcMessage, line: LineContext) => void;

export interface HandlerEntry {
  /** Fewer parameters than this: ignored (a broken server line must not crash us). */
  min: number;
  fn: Handler;
}
