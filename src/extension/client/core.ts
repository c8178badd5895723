// The client core's long-lived parts, wired once: events, the model (ChatState), sent-message
// tracking and the features; and a Session per connection on top of them. IrcClient and the
// handler tests (test/extension/client/support/fakeSession.ts) both build through here.
import { ClientEvents } from './events.ts';
import { Features } from './features.ts';
import { HANDLERS } from './handlers/index.ts';
import type { ClientOptions } from './options.ts';
import { OutgoingTracker } from './outgoing.ts';
import { ServiceSecrets } from './serviceSecrets.ts';
import { Session, type SessionDeps } from './session.ts';
import { ChatState } from './state.ts';

export const DEFAULT_HISTORY_ON_JOIN = 50;
export const DEFAULT_PRESENCE_POLL_MS = 30_000;

export interface ClientCore {
  readonly options: ClientOptions;
  readonly events: ClientEvents;
  readonly state: ChatState;
  readonly outgoing: OutgoingTracker;
  readonly features: Features;
  /** Passwords we gave to services, masked in what they say back (they outlive a reconnect). */
  readonly secrets: ServiceSecrets;
}

export function createCore(options: ClientOptions): ClientCore {
  const events = new ClientEvents();
  const state = new ChatState();
  const features = new Features(state, events, options.historyOnJoin ?? DEFAULT_HISTORY_ON_JOIN, options.presencePollMs ?? DEFAULT_PRESENCE_POLL_MS);
  const outgoing = new OutgoingTracker((change) => events.emit({ type: 'delivery', change }), (n) => state.fold(n));
  const secrets = new ServiceSecrets([options.sasl?.password]);
  return { options, events, state, outgoing, features, secrets };
}

/** One connection's session over the core: `send` and `abort` are its only ways out. */
export function openSession(core: ClientCore, link: Pick<SessionDeps, 'send' | 'abort' | 'nick' | 'reconnecting'>): Session {
  const session = new Session({ ...core, ...link }, HANDLERS);
  core.features.attach(session);
  return session;
}
