// The server's typed configuration, produced from CLI flags by parseArgs (./args.ts).
// Every field is always present: defaults are filled in by the parser, so the engine never
// checks for undefined except where "not set" is meaningful (TLS, server password, MOTD file).

export interface OperCredential {
  /** The name given to OPER (compared case-sensitively, as operator names are in ircds). */
  name: string;
  password: string;
}

export interface TlsConfig {
  /** Port of the TLS listener (0 = ephemeral, for tests). */
  port: number;
  /** Path to the PEM certificate chain. */
  certFile: string;
  /** Path to the PEM private key. */
  keyFile: string;
}

export interface ServerLimits {
  /** Simultaneous connections from one IP address (an IPv6 /64), counted from TCP accept. */
  maxClientsPerIp: number;
  /** Simultaneous connections in all, TLS handshakes included. */
  maxClients: number;
  /** Seconds a TLS connection has to finish its handshake before it is closed. */
  tlsHandshakeTimeoutSec: number;
  /** Bytes of client-only tags stored with one message (as JSON); a message with more gets 417. */
  maxStoredTagBytes: number;
  /** Rooms one account may register (create while logged in); past it, JOIN of a new room gets 405. */
  maxRoomsPerAccount: number;
  /** Messages older than this many days are deleted and no longer served; null keeps everything. */
  historyDays: number | null;
  /** Bytes queued for one client that it has not read yet; past this it is disconnected ("SendQ exceeded"). */
  sendqBytes: number;
  /** Flood control: lines per second a client may sustain (token bucket refill rate). */
  floodRate: number;
  /** Flood control: lines a client may send at once before being slowed down (bucket size). */
  floodBurst: number;
  /** Flood control: lines held back (fakelag queue) before the client is dropped with "Excess Flood". */
  floodMaxQueued: number;
  /** Seconds of silence from a client before the server sends PING. */
  pingIntervalSec: number;
  /** Seconds to wait for any line after our PING before dropping the client ("Ping timeout"). */
  pingTimeoutSec: number;
  /** Seconds a connection has to complete registration (NICK/USER/CAP END). */
  registrationTimeoutSec: number;
  /** ISUPPORT NICKLEN. */
  nickLength: number;
  /** ISUPPORT CHANNELLEN. */
  channelLength: number;
  /** ISUPPORT TOPICLEN. */
  topicLength: number;
  /** ISUPPORT CHANLIMIT (#:n): channels one client may be in. */
  maxChannelsPerClient: number;
}

export interface ServerConfig {
  /** Address to listen on (plain and TLS). */
  host: string;
  /** Plain-text IRC port (0 = ephemeral; the real port is printed as `listening on HOST:PORT`). */
  port: number;
  /** Folder holding chatroom.sqlite; created if missing. Absolute (resolved against the cwd). */
  dataDir: string;
  /** The server's name, used as the source of server messages and in 001-004. */
  serverName: string;
  /** TLS listener, or null when no TLS flags were given. */
  tls: TlsConfig | null;
  /** Server operators (admins) from repeated --oper NAME:PASSWORD. */
  opers: OperCredential[];
  /** Connection password required via PASS, or null. */
  serverPassword: string | null;
  /** Only logged-in accounts may send messages / join. */
  requireLogin: boolean;
  /** Allow REGISTER before connection registration completes (draft/account-registration `before-connect`). */
  registerBeforeConnect: boolean;
  /** Shut down when stdin closes: a parent (the VS Code extension) that dies takes the server with it. */
  exitWithParent: boolean;
  /** File whose lines are the MOTD, or null (then 422 ERR_NOMOTD). */
  motdFile: string | null;
  /** How to reach the administrator (ADMIN's 259 RPL_ADMINEMAIL), or null when not given. */
  adminContact: string | null;
  /** Per-client flood control (opers are exempt either way). Off only for benchmarks. */
  floodControl: boolean;
  /**
   * Relay a message only after its COMMIT (the default: a relayed message survives kill -9).
   * Off only for benchmarks: messages are still stored, but relayed without waiting for the commit.
   */
  durability: boolean;
  limits: ServerLimits;
  // Passwords and logins (issue 11; README "Security").
  /** Accept passwords on plain connections from other machines although a TLS port exists. */
  allowPlaintextPasswords: boolean;
  /** Shortest password REGISTER accepts. */
  minPasswordLength: number;
  /** Accounts one IP address may register per hour. */
  maxAccountsPerIp: number;
  /** --oper-file: NAME:PASSWORD lines, read at start-up into `opers` (config/secrets.ts). */
  operFile: string | null;
  /** --server-password-file: its first line becomes `serverPassword` at start-up. */
  serverPasswordFile: string | null;
}

/** A flag was unknown or had a bad value: print `error` (one line) to stderr and exit 2. */
export interface ArgsError {
  error: string;
}

/** --help was given: print `help` to stdout and exit 0. */
export interface ArgsHelp {
  help: string;
}

/** What parseArgs returns; tell the cases apart with `'error' in r` / `'help' in r`. */
export type ParseArgsResult = ServerConfig | ArgsError | ArgsHelp;
