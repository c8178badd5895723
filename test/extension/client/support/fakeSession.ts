// A Session wired to nothing: what it sends is collected as lines, what it receives is fed as
// lines. For handler and state tests without a network. Built through the same createCore /
// openSession as IrcClient, so the handlers see what they see in production.
import { parseMessage, serializeMessage } from '../../../../src/protocol/message.ts';
import { createCore, openSession } from '../../../../src/extension/client/core.ts';
import type { ClientEvents } from '../../../../src/extension/client/events.ts';
import type { Features } from '../../../../src/extension/client/features.ts';
import type { ClientOptions } from '../../../../src/extension/client/options.ts';
import type { OutgoingTracker } from '../../../../src/extension/client/outgoing.ts';
import type { Session } from '../../../../src/extension/client/session.ts';
import type { ChatState } from '../../../../src/extension/client/state.ts';
import type { ClientError } from '../../../../src/extension/client/errors.ts';

export interface Fake {
  s: Session;
  state: ChatState;
  events: ClientEvents;
  outgoing: OutgoingTracker;
  features: Features;
  /** Lines sent so far (serialised, no CRLF). */
  sent: string[];
  /** Removes and returns what was sent since the last call. */
  take(): string[];
  feed(...lines: string[]): void;
  aborted: ClientError[];
}

export function fakeSession(options: Partial<ClientOptions> = {}, reconnecting = false): Fake {
  const sent: string[] = [];
  const aborted: ClientError[] = [];
  // No history on join and no presence polling unless a test asks: its lines stay its own.
  const opts: ClientOptions = { host: '127.0.0.1', port: 6667, nick: 'me', historyOnJoin: 0, presencePollMs: 0, ...options };
  const core = createCore(opts);
  const { events, state, outgoing, features } = core;
  const s = openSession(core, { send: (m) => sent.push(serializeMessage(m)), abort: (e) => aborted.push(e), nick: opts.nick, reconnecting });
  let taken = 0;
  return {
    s,
    state,
    events,
    outgoing,
    features,
    sent,
    aborted,
    take() {
      const out = sent.slice(taken);
      taken = sent.length;
      return out;
    },
    feed(...lines) {
      for (const line of lines) s.receive(parseMessage(line));
    },
  };
}

/**
 * Runs registration with the given server capabilities (CAP LS value string) up to end of MOTD.
 * ISUPPORT tokens may be added.
 */
export function registered(options: Partial<ClientOptions> = {}, capLs = '', isupport: string[] = []): Fake {
  const f = fakeSession(options);
  f.s.start();
  f.feed(`:srv CAP * LS :${capLs}`);
  const req = f.sent.find((l) => l.startsWith('CAP REQ'));
  if (req) f.feed(`:srv CAP * ACK :${req.replace(/^CAP REQ :?/, '')}`);
  f.feed(`:srv 001 ${f.s.nick} :Welcome ${f.s.nick}!user@host.example`);
  if (isupport.length > 0) f.feed(`:srv 005 ${f.s.nick} ${isupport.join(' ')} :are supported`);
  f.feed(`:srv 376 ${f.s.nick} :End of MOTD`);
  f.take();
  return f;
}
