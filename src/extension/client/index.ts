// The extension's IRC client core. No `vscode` import anywhere in this folder: the extension wraps
// it, the tests drive it over real TCP. Start with IrcClient (ircClient.ts).
export { IrcClient, type OutgoingMessageHandle } from './ircClient.ts';
export { ClientError, type ClientErrorCode } from './errors.ts';
export type { ClientOptions, ServerAddress } from './options.ts';
export { Emitter, DisposableStore, type Disposable, type Event } from './emitter.ts';
export { BUSY_MARKER, presenceFromAway } from './presence.ts';
export type { RegisterResult } from './accounts.ts';
export type { Status } from './features.ts';
export type * from './types.ts';
export { hasNickServ, nickServPasswordProblem, registerWithNickServ, NICKSERV, type NickServResult } from './nickserv.ts';
