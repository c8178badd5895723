// CLI flags -> ServerConfig. The flag names are a contract (scripts, the extension and the bench
// start the server with them), so they live in one table here and helpText is generated from it.
//
// Accepted forms: `--flag value` and `--flag=value`; boolean flags take no value. A flag given
// twice: the last one wins (scripts append overrides), except --oper which accumulates.
// Every problem yields one specific line, e.g. "--port must be an integer from 0 to 65535, got 'abc'".
import { resolve } from 'node:path';
import type { ArgsError, ParseArgsResult, ServerConfig, ServerLimits } from './types.ts';

/** Defaults, exported so tests, docs and the engine agree on them. */
export const DEFAULTS = {
  host: '127.0.0.1',
  port: 6667,
  dataDir: './.data',
  serverName: 'chatroom.local',
  floodControl: true,
  durability: true,
  // Passwords and logins (issue 11).
  minPasswordLength: 8,
  // A team behind one NAT registers in a burst on its first day; a script making accounts does not get far.
  maxAccountsPerIp: 20,
  limits: {
    // A whole team behind one NAT (office, VPN) shows up as one IP; 50 leaves room for several
    // clients per person while still stopping a single host from exhausting file descriptors.
    maxClientsPerIp: 50,
    // A ceiling whatever the addresses (many /64s, many hosts): file descriptors and memory stay
    // bounded. Far above a team's needs; raise it with the open-file limit (ulimit -n).
    maxClients: 10_000,
    // A real handshake takes a few round trips; an unanswered one only holds a slot (issue 11).
    tlsHandshakeTimeoutSec: 10,
    // What the wire allows a client (message-tags: 4096 bytes): a reply, a reaction, a few custom
    // tags fit many times over. Only JSON's \u escapes of control characters can make more of it.
    maxStoredTagBytes: 4096,
    // Every registered room is a row kept for ever; 50 is many rooms for one person to own.
    maxRoomsPerAccount: 50,
    // Keep everything: a team's chat is its record; an operator who must forget sets a number.
    historyDays: null,
    // 1 MiB: a few thousand lines of backlog (history replay, NAMES of big rooms) for a slow reader.
    sendqBytes: 1024 * 1024,
    // Token bucket: 40 lines at once (connect burst: CAP, JOINs, CHATHISTORY for each room), then 5/s.
    floodRate: 5,
    floodBurst: 40,
    // Lines held back by flood control before the client is dropped with "Excess Flood". Reading
    // stops at a tenth of it (dispatch.ts): a paste is slowed down, and only a client sending
    // thousands of lines in one go (tiny lines, 64 KiB at once) is dropped.
    floodMaxQueued: 4000,
    pingIntervalSec: 90,
    pingTimeoutSec: 60,
    registrationTimeoutSec: 60,
    nickLength: 30,
    // RFC 2812 §1.3 says 50; modern servers (ergo) allow 64.
    channelLength: 64,
    // 390 leaves room for the TOPIC line's prefix inside 512 bytes (ergo's default).
    topicLength: 390,
    maxChannelsPerClient: 100,
  } satisfies ServerLimits,
} as const;

// The config as flags fill it in: the TLS trio is validated together at the end, so it is kept
// as three loose fields here and becomes `tls` (or null) in the finished ServerConfig.
type Draft = Omit<ServerConfig, 'tls'> & {
  tlsPort: number | null;
  tlsCert: string | null;
  tlsKey: string | null;
};

interface FlagSpec {
  name: string;
  /** Placeholder shown in help; absent for boolean flags (which take no value). */
  value?: string;
  /** Default shown in help. */
  def: string;
  help: string;
  /** Applies a value; returns an error message or undefined. */
  apply: (d: Draft, v: string) => string | undefined;
}

const BAD_CHARS = /[\0\r\n]/;

function intIn(flag: string, min: number, max: number, set: (n: number) => void) {
  return (_d: Draft, v: string): string | undefined => {
    const n = /^[0-9]+$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      return `${flag} must be an integer from ${min} to ${max}, got '${v}'`;
    }
    set(n);
    return undefined;
  };
}

function text(flag: string, what: string, set: (s: string) => void) {
  return (_d: Draft, v: string): string | undefined => {
    if (v === '' || BAD_CHARS.test(v)) return `${flag} must be ${what}, got '${v}'`;
    set(v);
    return undefined;
  };
}

// Server names must contain a dot so clients can tell them from nicks (RFC 2812 §2.3.1 servername).
const SERVER_NAME = /^(?=.{1,63}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const HOST = /^[A-Za-z0-9.:\-[\]%]+$/;
const OPER_NAME = /^[^\s:]+$/;

const MAX_INT = 2 ** 31 - 1;
/** The contact is the trailing parameter of 259 RPL_ADMINEMAIL: it must fit one 512-byte line. */
const ADMIN_CONTACT_MAX = 300;

function buildFlags(d: Draft): FlagSpec[] {
  const L = d.limits;
  return [
    { name: 'host', value: 'ADDR', def: DEFAULTS.host, help: 'address to listen on (plain and TLS)',
      apply: (dr, v) => (HOST.test(v) ? void (dr.host = v) : `--host must be an IP address or host name, got '${v}'`) },
    { name: 'port', value: 'PORT', def: String(DEFAULTS.port), help: 'plain-text IRC port (0 = any free port)',
      apply: intIn('--port', 0, 65535, (n) => (d.port = n)) },
    { name: 'data-dir', value: 'DIR', def: DEFAULTS.dataDir, help: 'folder for chatroom.sqlite (created if missing)',
      apply: text('--data-dir', 'a folder path', (s) => (d.dataDir = s)) },
    { name: 'server-name', value: 'NAME', def: DEFAULTS.serverName, help: 'server name shown to clients (must contain a dot)',
      apply: (dr, v) => (SERVER_NAME.test(v) ? void (dr.serverName = v) : `--server-name must be a host-style name with a dot (e.g. chat.example), got '${v}'`) },
    { name: 'tls-port', value: 'PORT', def: 'off', help: 'TLS port; needs --tls-cert and --tls-key',
      apply: intIn('--tls-port', 0, 65535, (n) => (d.tlsPort = n)) },
    { name: 'tls-cert', value: 'FILE', def: 'none', help: 'PEM certificate (chain) for TLS',
      apply: text('--tls-cert', 'a file path', (s) => (d.tlsCert = s)) },
    { name: 'tls-key', value: 'FILE', def: 'none', help: 'PEM private key for TLS',
      apply: text('--tls-key', 'a file path', (s) => (d.tlsKey = s)) },
    { name: 'oper', value: 'NAME:PASSWORD', def: 'none', help: 'server operator (admin) credentials for OPER; repeatable',
      apply: (dr, v) => {
        const i = v.indexOf(':');
        const name = i < 0 ? '' : v.slice(0, i);
        const password = i < 0 ? '' : v.slice(i + 1);
        // The error never repeats the password: it would land in logs.
        if (!OPER_NAME.test(name) || password === '' || BAD_CHARS.test(password)) {
          return `--oper must be NAME:PASSWORD with a non-empty name (no spaces) and password, got ${i < 0 ? "no ':'" : `'${name}:…'`}`;
        }
        dr.opers.push({ name, password });
        return undefined;
      } },
    { name: 'server-password', value: 'PASS', def: 'none', help: 'connection password clients must send with PASS',
      apply: (dr, v) => (v !== '' && !BAD_CHARS.test(v) ? void (dr.serverPassword = v) : '--server-password must be a non-empty password on one line') },
    // Passwords and logins (issue 11): keep these together.
    { name: 'oper-file', value: 'FILE', def: 'none', help: 'file of NAME:PASSWORD lines, one server operator each (also env CHATROOM_OPERS); keeps them out of ps',
      apply: text('--oper-file', 'a file path', (s) => (d.operFile = s)) },
    { name: 'server-password-file', value: 'FILE', def: 'none', help: 'file whose first line is the server password (also env CHATROOM_SERVER_PASSWORD)',
      apply: text('--server-password-file', 'a file path', (s) => (d.serverPasswordFile = s)) },
    { name: 'allow-plaintext-passwords', def: 'off', help: 'with a TLS port, still accept passwords on plain connections from other machines (trusted LAN)',
      apply: (dr) => void (dr.allowPlaintextPasswords = true) },
    { name: 'min-password-length', value: 'N', def: String(DEFAULTS.minPasswordLength), help: 'shortest password REGISTER accepts',
      apply: intIn('--min-password-length', 1, 300, (n) => (d.minPasswordLength = n)) },
    { name: 'max-accounts-per-ip', value: 'N', def: String(DEFAULTS.maxAccountsPerIp), help: 'accounts one IP address may register per hour',
      apply: intIn('--max-accounts-per-ip', 1, 1_000_000, (n) => (d.maxAccountsPerIp = n)) },
    { name: 'require-login', def: 'off', help: 'only logged-in accounts may join rooms and send messages',
      apply: (dr) => void (dr.requireLogin = true) },
    { name: 'register-before-connect', def: 'off', help: 'allow REGISTER before connection registration completes',
      apply: (dr) => void (dr.registerBeforeConnect = true) },
    { name: 'exit-with-parent', def: 'off', help: 'shut down when standard input closes (for a server started by another program)',
      apply: (dr) => void (dr.exitWithParent = true) },
    { name: 'motd', value: 'FILE', def: 'none', help: 'text file shown as the message of the day',
      apply: text('--motd', 'a file path', (s) => (d.motdFile = s)) },
    { name: 'admin-contact', value: 'TEXT', def: 'none', help: 'how to reach the server administrator, shown by ADMIN (e.g. an e-mail address)',
      apply: (dr, v) => (v.length <= ADMIN_CONTACT_MAX && !BAD_CHARS.test(v) && v.trim() !== '' ? void (dr.adminContact = v) : `--admin-contact must be 1 to ${ADMIN_CONTACT_MAX} characters on one line, got '${v}'`) },
    { name: 'flood-control', value: 'on|off', def: 'on', help: 'per-client flood control (opers exempt); off only for benchmarks',
      apply: (dr, v) => (v === 'on' || v === 'off' ? void (dr.floodControl = v === 'on') : `--flood-control must be 'on' or 'off', got '${v}'`) },
    { name: 'durability', value: 'on|off', def: 'on', help: 'relay a message only after it is committed to disk; off (benchmarks only) stores it but relays before the commit',
      apply: (dr, v) => (v === 'on' || v === 'off' ? void (dr.durability = v === 'on') : `--durability must be 'on' or 'off', got '${v}'`) },
    // Resource bounds (issue 11): kept together.
    { name: 'max-clients-per-ip', value: 'N', def: String(DEFAULTS.limits.maxClientsPerIp), help: 'simultaneous connections from one IP (IPv6: one /64), counted from TCP accept',
      apply: intIn('--max-clients-per-ip', 1, 1_000_000, (n) => (L.maxClientsPerIp = n)) },
    { name: 'max-clients', value: 'N', def: String(DEFAULTS.limits.maxClients), help: 'simultaneous connections in all, TLS handshakes included',
      apply: intIn('--max-clients', 1, 1_000_000, (n) => (L.maxClients = n)) },
    { name: 'tls-timeout', value: 'SECONDS', def: String(DEFAULTS.limits.tlsHandshakeTimeoutSec), help: 'time a TLS connection has to finish its handshake before it is closed',
      apply: intIn('--tls-timeout', 1, 600, (n) => (L.tlsHandshakeTimeoutSec = n)) },
    { name: 'max-tag-bytes', value: 'BYTES', def: String(DEFAULTS.limits.maxStoredTagBytes), help: 'client-only tags stored with a message (as JSON); a message with more is refused with 417',
      apply: intIn('--max-tag-bytes', 64, 65_536, (n) => (L.maxStoredTagBytes = n)) },
    { name: 'max-rooms-per-account', value: 'N', def: String(DEFAULTS.limits.maxRoomsPerAccount), help: 'rooms one account may register (a room created while logged in is registered)',
      apply: intIn('--max-rooms-per-account', 1, 1_000_000, (n) => (L.maxRoomsPerAccount = n)) },
    { name: 'history-days', value: 'N', def: 'keep everything', help: 'delete messages older than N days (in the background) and stop serving them',
      apply: intIn('--history-days', 1, 100_000, (n) => (L.historyDays = n)) },
    { name: 'sendq', value: 'BYTES', def: String(DEFAULTS.limits.sendqBytes), help: 'unread output kept for a client before it is dropped',
      apply: intIn('--sendq', 4096, MAX_INT, (n) => (L.sendqBytes = n)) },
    { name: 'flood-rate', value: 'LINES/S', def: String(DEFAULTS.limits.floodRate), help: 'sustained lines per second per client',
      apply: intIn('--flood-rate', 1, 100_000, (n) => (L.floodRate = n)) },
    { name: 'flood-burst', value: 'LINES', def: String(DEFAULTS.limits.floodBurst), help: 'lines a client may send at once',
      apply: intIn('--flood-burst', 1, 100_000, (n) => (L.floodBurst = n)) },
    { name: 'flood-queue', value: 'LINES', def: String(DEFAULTS.limits.floodMaxQueued), help: 'lines held back by flood control before "Excess Flood" (reading stops at a tenth of it)',
      apply: intIn('--flood-queue', 0, 100_000, (n) => (L.floodMaxQueued = n)) },
    { name: 'ping-interval', value: 'SECONDS', def: String(DEFAULTS.limits.pingIntervalSec), help: 'idle time before the server PINGs a client',
      apply: intIn('--ping-interval', 1, 86_400, (n) => (L.pingIntervalSec = n)) },
    { name: 'ping-timeout', value: 'SECONDS', def: String(DEFAULTS.limits.pingTimeoutSec), help: 'time to answer a PING before being dropped',
      apply: intIn('--ping-timeout', 1, 86_400, (n) => (L.pingTimeoutSec = n)) },
    { name: 'registration-timeout', value: 'SECONDS', def: String(DEFAULTS.limits.registrationTimeoutSec), help: 'time to complete NICK/USER/CAP END',
      apply: intIn('--registration-timeout', 1, 86_400, (n) => (L.registrationTimeoutSec = n)) },
    { name: 'nick-length', value: 'N', def: String(DEFAULTS.limits.nickLength), help: 'longest nick (ISUPPORT NICKLEN)',
      apply: intIn('--nick-length', 1, 200, (n) => (L.nickLength = n)) },
    { name: 'channel-length', value: 'N', def: String(DEFAULTS.limits.channelLength), help: 'longest room name (ISUPPORT CHANNELLEN)',
      apply: intIn('--channel-length', 2, 200, (n) => (L.channelLength = n)) },
    { name: 'topic-length', value: 'N', def: String(DEFAULTS.limits.topicLength), help: 'longest topic (ISUPPORT TOPICLEN)',
      apply: intIn('--topic-length', 1, 400, (n) => (L.topicLength = n)) },
    { name: 'max-channels-per-client', value: 'N', def: String(DEFAULTS.limits.maxChannelsPerClient), help: 'rooms one client may be in (ISUPPORT CHANLIMIT)',
      apply: intIn('--max-channels-per-client', 1, 100_000, (n) => (L.maxChannelsPerClient = n)) },
    { name: 'print-runtime', def: '', help: 'print the Node runtime and the flags the server runs with (JSON) and exit', apply: () => undefined },
    { name: 'help', def: '', help: 'print this help and exit', apply: () => undefined },
  ];
}

function freshDraft(): Draft {
  return {
    host: DEFAULTS.host,
    port: DEFAULTS.port,
    dataDir: DEFAULTS.dataDir,
    serverName: DEFAULTS.serverName,
    tlsPort: null,
    tlsCert: null,
    tlsKey: null,
    opers: [],
    serverPassword: null,
    requireLogin: false,
    registerBeforeConnect: false,
    exitWithParent: false,
    motdFile: null,
    adminContact: null,
    floodControl: DEFAULTS.floodControl,
    durability: DEFAULTS.durability,
    limits: { ...DEFAULTS.limits },
    allowPlaintextPasswords: false,
    minPasswordLength: DEFAULTS.minPasswordLength,
    maxAccountsPerIp: DEFAULTS.maxAccountsPerIp,
    operFile: null,
    serverPasswordFile: null,
  };
}

function renderHelp(flags: FlagSpec[]): string {
  const rows = flags.map((f) => [`--${f.name}${f.value ? ` ${f.value}` : ''}`, f.help + (f.def ? ` (default: ${f.def})` : '')] as const);
  const width = Math.max(...rows.map((r) => r[0].length)) + 2;
  return [
    'Usage: chatroom-server [flags]',
    '',
    'Chat Room IRC server. Flags take a value as "--flag value" or "--flag=value".',
    '',
    ...rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`),
    '',
    'When ready it prints "listening on HOST:PORT" (and the TLS port). Exit code 2 on bad flags.',
  ].join('\n');
}

/** The --help text listing every flag with its default (printed by main, copied into the README). */
export const helpText: string = renderHelp(buildFlags(freshDraft()));

/** Parses argv (without the node and script paths, i.e. process.argv.slice(2)). Pure apart from resolving --data-dir against the cwd. */
export function parseArgs(argv: readonly string[]): ParseArgsResult {
  if (argv.some((a) => a === '--help' || a === '-h')) return { help: helpText };
  const d = freshDraft();
  const flags = new Map(buildFlags(d).map((f) => [f.name, f]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) return err(`unexpected argument '${arg}' (flags start with --; see --help)`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = flags.get(name);
    if (!spec) return err(`unknown flag '--${name}' (see --help)`);
    let value: string;
    if (spec.value === undefined) {
      if (eq >= 0) return err(`--${name} takes no value, got '${arg.slice(eq + 1)}'`);
      value = '';
    } else if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) return err(`--${name} needs a value (${spec.value})`);
      value = next;
      i++;
    }
    const problem = spec.apply(d, value);
    if (problem) return err(problem);
  }
  return finish(d);
}

function err(error: string): ArgsError {
  return { error };
}

function finish(d: Draft): ServerConfig | ArgsError {
  const tlsGiven = [d.tlsPort !== null, d.tlsCert !== null, d.tlsKey !== null];
  if (tlsGiven.some(Boolean) && !tlsGiven.every(Boolean)) {
    return err('--tls-port, --tls-cert and --tls-key must be given together (or none of them)');
  }
  if (d.serverPassword !== null && d.serverPasswordFile !== null) {
    return err('give --server-password or --server-password-file, not both');
  }
  if (d.tlsPort !== null && d.tlsPort !== 0 && d.tlsPort === d.port) {
    return err(`--tls-port must differ from --port, both are ${d.port}`);
  }
  const names = new Set<string>();
  for (const o of d.opers) {
    if (names.has(o.name)) return err(`--oper '${o.name}' given twice`);
    names.add(o.name);
  }
  return {
    host: d.host,
    port: d.port,
    dataDir: resolve(d.dataDir),
    serverName: d.serverName,
    tls: d.tlsPort !== null && d.tlsCert !== null && d.tlsKey !== null ? { port: d.tlsPort, certFile: d.tlsCert, keyFile: d.tlsKey } : null,
    opers: d.opers,
    serverPassword: d.serverPassword,
    requireLogin: d.requireLogin,
    registerBeforeConnect: d.registerBeforeConnect,
    exitWithParent: d.exitWithParent,
    motdFile: d.motdFile,
    adminContact: d.adminContact,
    floodControl: d.floodControl,
    durability: d.durability,
    limits: d.limits,
    allowPlaintextPasswords: d.allowPlaintextPasswords,
    minPasswordLength: d.minPasswordLength,
    maxAccountsPerIp: d.maxAccountsPerIp,
    operFile: d.operFile,
    serverPasswordFile: d.serverPasswordFile,
  };
}

/** Narrowing helpers for the engine's main. */
export function isArgsError(r: ParseArgsResult): r is ArgsError {
  return 'error' in r;
}
export function isArgsHelp(r: ParseArgsResult): r is { help: string } {
  return 'help' in r;
}
