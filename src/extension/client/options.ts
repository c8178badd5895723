// What a client is told at construction. The first block is the contract the extension codes
// against; the rest are optional knobs with safe defaults.
import type { BackoffOptions } from './backoff.ts';

/** One server of a network: where to connect, and whether with TLS (default: the client's `tls`). */
export interface ServerAddress {
  host: string;
  port: number;
  tls?: boolean;
}

export interface ClientOptions {
  host: string;
  port: number;
  tls?: boolean;
  /**
   * Servers of one network, tried in order on connect and on each reconnect (the first that
   * registers wins; each failure fires onDidFailServer). Empty or absent: host/port/tls alone.
   */
  servers?: readonly ServerAddress[];
  nick: string;
  username?: string;
  realname?: string;
  /** Server password (PASS). */
  password?: string;
  /** SASL PLAIN login. */
  sasl?: { account: string; password: string };

  /** Verify the TLS certificate (default true). false for a team server with a self-signed certificate. */
  rejectUnauthorized?: boolean;
  /** PEM certificate(s) to trust for TLS besides the system CAs (a team server's own certificate). */
  ca?: string;
  /** Pinning: trust exactly the TLS certificate with this SHA-256 fingerprint ("AB:CD:…"); see Transport. */
  fingerprint256?: string;
  /**
   * Create this account (draft/account-registration) while connecting: before registration when
   * the server advertises `before-connect`, else right after it. A refusal rejects connect()
   * (before-connect) or fires onDidError (after), as a ClientError ('bad-password' for
   * WEAK_PASSWORD, else 'protocol') whose serverCode is
   * the spec's FAIL code (ACCOUNT_EXISTS, WEAK_PASSWORD...). Success fires onDidChangeAccount.
   */
  registerAccount?: { account: string; password: string; email?: string };
  /** On 433 before registration, try nick_, nick__... instead of failing with 'nick-in-use'. Reconnects always do. */
  altNicks?: boolean;
  /** Reconnect after an unexpected drop (default true). */
  reconnect?: boolean;
  backoff?: BackoffOptions;
  /** Milliseconds for TCP/TLS connect (default 15 s) and then for registration (default 30 s). */
  connectTimeoutMs?: number;
  registrationTimeoutMs?: number;
  /** Send PING after this much silence; drop the link after as much again (default 90 s). */
  pingIntervalMs?: number;
  /** After registering under an alternative nick, how often to ask for ours back (default 15 s). */
  nickRegainIntervalMs?: number;
  /** CHATHISTORY LATEST fetched on join (default 50; 0 = none). */
  historyOnJoin?: number;
  /** Messages per loadOlder() page (default 50). */
  historyPageSize?: number;
  /** On a server without MONITOR, how often watched users' presence is asked with USERHOST (default 30 s; 0 = never). */
  presencePollMs?: number;
}
