// What command handlers and feature modules see of the server. Handlers get a CommandContext;
// everything shared (config, registry, store, capability and ISUPPORT registries, hooks) hangs
// off `server`.
import type { IsupportValue } from '../protocol/isupport.ts';
import type { IrcMessage } from '../protocol/message.ts';
import type { AuthGuard } from './auth/guard.ts';
import type { CapabilityRegistry } from './caps.ts';
import type { Client } from './client.ts';
import type { ServerConfig } from './config/types.ts';
import type { Hooks } from './hooks.ts';
import type { Registry } from './registry.ts';
import type { Reply } from './reply.ts';
import type { FloodLimiter } from './limits/index.ts';
import type { Store } from './storage/types.ts';

export interface Logger {
  info(msg: string): void;
  error(msg: string, err?: unknown): void;
}

export interface ServerContext {
  readonly config: ServerConfig;
  /** Source of server messages (--server-name). */
  readonly name: string;
  readonly version: string;
  readonly startedAt: Date;
  readonly registry: Registry;
  readonly store: Store;
  readonly caps: CapabilityRegistry;
  readonly commands: CommandTable;
  /** RPL_ISUPPORT tokens, in the order they are sent. Modules add theirs (e.g. CHATHISTORY, MONITOR). */
  readonly isupport: Map<string, IsupportValue>;
  readonly hooks: Hooks;
  readonly log: Logger;
  /** MOTD lines, or null for 422. */
  readonly motd: string[] | null;
  /** A flood limiter for a new client, or null when flood control is off (--flood-control off). */
  newFloodLimiter(): FloodLimiter<Buffer> | null;
  /**
   * Consulted, in order, for every parsed line of a registered client before the command table;
   * one that returns true has consumed the line (e.g. a line inside an open draft/multiline batch).
   */
  readonly interceptors: LineInterceptor[];
  /**
   * User modes a client may set on itself with MODE (core: 'i'). A module adds its own (e.g. 'B' for
   * bots); 'o' is never in here: only OPER grants it.
   */
  readonly userModes: Set<string>;
  /** Password policy and login throttling shared by SASL, OPER, PASS and REGISTER (auth/guard.ts). */
  readonly auth: AuthGuard;
  /** DMs to a nick that is not online: null answers 401; a module (offline delivery) may set it. */
  offlineDelivery: OfflineDelivery | null;
  /** Removes a client: QUIT to its rooms, nick released, socket closed with ERROR :reason. */
  disconnect(client: Client, reason: string, quitMessage?: string): void;
}

export interface CommandContext {
  readonly server: ServerContext;
  readonly client: Client;
  readonly msg: IrcMessage;
  /** Replies to the sender; flushed (and labeled) after the handler returns or its promise settles. */
  readonly reply: Reply;
}

export type LineInterceptor = (ctx: CommandContext) => boolean;

export interface OfflineDelivery {
  /** The account to store a DM to the offline `nick` for, or null for 401 ERR_NOSUCHNICK. */
  recipientFor(nick: string): string | null;
  /** True when the account is connected under another nick (then the DM is delivered, not queued). */
  isConnected(account: string): boolean;
  /** The account's connections (under any nick). */
  sessionsOf(account: string): readonly Client[];
  /** Called after such a DM was queued for storage: tell the sender it will be delivered later. */
  storedForLater(ctx: CommandContext, nick: string): void;
}

export type Handler = (ctx: CommandContext) => void | Promise<void>;

export interface CommandSpec {
  handler: Handler;
  /** Parameters required; fewer -> 461 ERR_NEEDMOREPARAMS from the dispatcher. */
  minParams: number;
  /** Usable before registration completes (else 451 ERR_NOTREGISTERED). */
  preRegistration?: boolean;
  /** Server operators only (else 481 ERR_NOPRIVILEGES). */
  operOnly?: boolean;
  /**
   * Relayed messages (PRIVMSG, NOTICE): the next command may start while this one's storage
   * commit is pending, so a client can stream messages. Other commands wait for it.
   */
  pipelined?: boolean;
}

/** The one verb -> handler table. Feature modules add their verbs with `add`. */
export class CommandTable {
  readonly #specs = new Map<string, CommandSpec>();

  add(verb: string, spec: CommandSpec): void {
    this.#specs.set(verb.toUpperCase(), spec);
  }

  addAll(specs: Record<string, CommandSpec>): void {
    for (const [verb, spec] of Object.entries(specs)) this.add(verb, spec);
  }

  get(verb: string): CommandSpec | undefined {
    return this.#specs.get(verb);
  }

  verbs(): string[] {
    return [...this.#specs.keys()];
  }
}
