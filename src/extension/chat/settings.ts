// The chatroom.* settings: defaults, validation with sentences for people, and the validators the
// input boxes use. Pure (no vscode): commands/settings.ts reads the configuration and shows problems.
import { isValidChannelName, isValidNick } from '../../protocol/validate.ts';
import { toNickname } from '../commands/names.ts';
import { folderSetting } from './paths.ts';

export type NotificationsSetting = 'mentionsAndDirect' | 'all' | 'none';

/** One server of chatroom.servers. */
export interface ServerEntry {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
}

export interface ChatSettings {
  /** Where Chat: Connect goes: chatroom.host, or the first of chatroom.servers when it lists any. */
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** chatroom.servers: the servers of one network, tried in order ([] = host/port alone). */
  readonly servers: readonly ServerEntry[];
  /** PEM file to trust for TLS besides the system CAs, as written in the setting ('' = none). */
  readonly tlsCertificate: string;
  /** SHA-256 fingerprint of the one certificate to trust, as written in the setting ('' = none); parsed on connect. */
  readonly tlsFingerprint: string;
  readonly nickname: string;
  readonly autoConnect: boolean;
  readonly rooms: readonly string[];
  readonly serverHost: string;
  readonly serverPort: number;
  /** TLS port of Chat: Host's server when it listens on a non-loopback address. */
  readonly serverTlsPort: number;
  /** Workspace-relative folder segments for transcripts ([] = the workspace folder itself). */
  readonly transcriptsFolder: readonly string[];
  readonly notifications: NotificationsSetting;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 6667,
  tls: false,
  autoConnect: false,
  rooms: ['#general'],
  serverHost: '127.0.0.1',
  serverPort: 6667,
  serverTlsPort: 6697,
  transcriptsFolder: '.chat',
  notifications: 'mentionsAndDirect' as NotificationsSetting,
};

/** A setting whose value was refused (the default is used instead). */
export interface SettingProblem {
  /** Full id, e.g. "chatroom.port". */
  readonly setting: string;
  readonly message: string;
}

// ---- validators (undefined = fine; else the sentence to show) ----

export function validatePort(value: unknown): string | undefined {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535 ? undefined : 'A port is a whole number from 1 to 65535.';
}

export function validateNick(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return 'Enter a nickname.';
  if (v.length > 30) return 'A nickname has at most 30 characters.';
  if (/^[0-9-]/.test(v)) return 'A nickname cannot start with a digit or "-".';
  if (!isValidNick(v)) return 'A nickname may use letters A-Z, digits and _ - [ ] \\ ` ^ { | } (no spaces).';
  return undefined;
}

/** An account name follows nick rules (so it can be used as a nick). */
export function validateAccount(value: string): string | undefined {
  const problem = validateNick(value);
  return problem?.replace(/nickname/g, 'account name');
}

/** A room name as the user typed it; a missing '#' is added by normalizeRoomName. */
export function validateRoomName(value: string): string | undefined {
  const v = normalizeRoomName(value);
  if (v === '#' || v === '') return 'Enter a room name, such as #team.';
  if (!isValidChannelName(v)) return 'A room name starts with # and has no spaces, commas or colons (at most 64 bytes).';
  return undefined;
}

export function normalizeRoomName(value: string): string {
  const v = value.trim();
  return v === '' || v.startsWith('#') ? v : `#${v}`;
}

export function validatePassword(value: string): string | undefined {
  if (value === '') return 'Enter a password.';
  if (/\s/.test(value[0]!) || /\s/.test(value[value.length - 1]!)) return 'A password cannot start or end with a space.';
  if (/[\x00-\x1f\x7f]/.test(value)) return 'A password cannot contain control characters.';
  if (value.length > 300) return 'That password is too long (at most 300 characters).';
  return undefined;
}

export function validateNewPassword(value: string): string | undefined {
  return validatePassword(value) ?? (value.length < 8 ? 'Use at least 8 characters.' : undefined);
}

export function validateHost(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return 'Enter a host name or address.';
  if (/[\s/@]/.test(v) || v.length > 253) return 'A host is a name such as chat.example.com or an address such as 127.0.0.1 (no scheme, path or spaces).';
  return undefined;
}

/**
 * One entry of chatroom.servers: "host:port" ("[::1]:6667" for IPv6) or { host, port, tls }; tls
 * defaults to chatroom.tls. A string or a sentence saying what is wrong.
 */
export function parseServerEntry(value: unknown, tlsDefault: boolean): ServerEntry | string {
  let host: unknown;
  let port: unknown;
  let tls: unknown = tlsDefault;
  if (typeof value === 'string') {
    const m = /^\s*(?:\[([^\]]+)\]|([^\s:]+)):(\d+)\s*$/.exec(value);
    if (!m) return `${JSON.stringify(value)} is not "host:port" (such as "irc.example.com:6697").`;
    host = m[1] ?? m[2];
    port = Number(m[3]);
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    ({ host, port } = o);
    if (o['tls'] !== undefined) tls = o['tls'];
  } else {
    return `${JSON.stringify(value)} is neither "host:port" nor { "host": ..., "port": ... }.`;
  }
  if (typeof host !== 'string' || validateHost(host) !== undefined) return `${JSON.stringify(value)}: ${typeof host === 'string' ? validateHost(host) : 'it needs a "host".'}`;
  if (validatePort(port) !== undefined) return `${JSON.stringify(value)}: a port is a whole number from 1 to 65535.`;
  if (typeof tls !== 'boolean') return `${JSON.stringify(value)}: "tls" is true or false.`;
  return { host: host.trim(), port: Number(port), tls };
}

// ---- reading ----

/**
 * Reads raw configuration values (as vscode.workspace.getConfiguration('chatroom').get returns
 * them) into settings; a refused value is replaced by its default and reported.
 */
export function readChatSettings(get: (key: string) => unknown, osUserName: string): { settings: ChatSettings; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const problem = (key: string, message: string) => problems.push({ setting: `chatroom.${key}`, message });

  const str = (key: string, fallback: string): string => {
    const v = get(key);
    return typeof v === 'string' ? v.trim() : fallback;
  };
  const portOf = (key: string, fallback: number): number => {
    const v = get(key);
    if (v === undefined || v === null) return fallback;
    if (validatePort(v) !== undefined) {
      problem(key, `chatroom.${key} is ${JSON.stringify(v)}: a port is a whole number from 1 to 65535. Using ${fallback}.`);
      return fallback;
    }
    return Number(v);
  };
  const hostOf = (key: string, fallback: string): string => {
    const v = str(key, fallback) || fallback;
    const bad = validateHost(v);
    if (bad) {
      problem(key, `chatroom.${key} is ${JSON.stringify(v)}: ${bad} Using ${fallback}.`);
      return fallback;
    }
    return v;
  };

  let host = hostOf('host', DEFAULTS.host);
  let port = portOf('port', DEFAULTS.port);
  let tls = get('tls') === true;
  const servers: ServerEntry[] = [];
  const rawServers = get('servers');
  if (Array.isArray(rawServers)) {
    const bad: string[] = [];
    for (const entry of rawServers) {
      const parsed = parseServerEntry(entry, tls);
      if (typeof parsed === 'string') bad.push(parsed);
      else if (!servers.some((x) => x.host === parsed.host && x.port === parsed.port)) servers.push(parsed);
    }
    if (bad.length > 0) problem('servers', `chatroom.servers has entries that are skipped: ${bad.join(' ')}`);
  } else if (rawServers !== undefined && rawServers !== null) {
    problem('servers', 'chatroom.servers must be a list such as ["irc1.example.com:6697", { "host": "irc2.example.com", "port": 6697, "tls": true }]. Using chatroom.host and chatroom.port.');
  }
  // The first server of the list stands for the network: Connect, the stored login, Retry.
  if (servers.length > 0) ({ host, port, tls } = servers[0]!);
  const serverHost = hostOf('server.host', DEFAULTS.serverHost);
  const serverPort = portOf('server.port', DEFAULTS.serverPort);
  let serverTlsPort = portOf('server.tlsPort', DEFAULTS.serverTlsPort);
  if (serverTlsPort === serverPort) {
    const other = serverPort === DEFAULTS.serverTlsPort ? DEFAULTS.serverTlsPort + 1 : DEFAULTS.serverTlsPort;
    problem('server.tlsPort', `chatroom.server.tlsPort is ${serverTlsPort}, the same as chatroom.server.port: the TLS port needs a port of its own. Using ${other}.`);
    serverTlsPort = other;
  }

  const fromOs = toNickname(osUserName);
  let nickname = str('nickname', '');
  if (nickname === '') nickname = fromOs;
  else if (validateNick(nickname)) {
    problem('nickname', `chatroom.nickname "${nickname}" is not a valid nickname: ${validateNick(nickname)} Using "${fromOs}".`);
    nickname = fromOs;
  }

  const rawRooms = get('rooms');
  let rooms: string[] = [...DEFAULTS.rooms];
  if (Array.isArray(rawRooms)) {
    const bad = rawRooms.filter((r) => typeof r !== 'string' || validateRoomName(r) !== undefined);
    rooms = rawRooms.filter((r): r is string => typeof r === 'string' && validateRoomName(r) === undefined).map(normalizeRoomName);
    if (bad.length > 0) problem('rooms', `chatroom.rooms has invalid room names (${bad.map((b) => JSON.stringify(b)).join(', ')}): a room name starts with # and has no spaces, commas or colons. They are skipped.`);
  } else if (rawRooms !== undefined && rawRooms !== null) {
    problem('rooms', 'chatroom.rooms must be a list of room names such as ["#general"]. Using ["#general"].');
  }
  rooms = [...new Map(rooms.map((r) => [r.toLowerCase(), r])).values()];

  const folderRaw = str('transcripts.folder', DEFAULTS.transcriptsFolder);
  const folder = folderSetting(folderRaw);
  let transcriptsFolder: string[];
  if (folder.ok) transcriptsFolder = folder.segments;
  else {
    problem('transcripts.folder', `chatroom.transcripts.folder: ${folder.reason} Using ".chat".`);
    transcriptsFolder = ['.chat'];
  }

  const n = get('notifications');
  let notifications = DEFAULTS.notifications;
  if (n === 'all' || n === 'none' || n === 'mentionsAndDirect') notifications = n;
  else if (n !== undefined && n !== null) problem('notifications', `chatroom.notifications is ${JSON.stringify(n)}: use "mentionsAndDirect", "all" or "none".`);

  const tlsCertificate = str('tlsCertificate', '');
  const tlsFingerprint = str('tlsFingerprint', '');
  const autoConnect = get('autoConnect') === true;
  return { settings: { host, port, tls, servers, tlsCertificate, tlsFingerprint, nickname, autoConnect, rooms, serverHost, serverPort, serverTlsPort, transcriptsFolder, notifications }, problems };
}

/**
 * Settings that decide where the chat connects and what it trusts (keys under "chatroom."). Only
 * the user's own settings count for them, never a workspace's: a cloned repository must not point
 * the chat at its server or make Chat: Host listen on 0.0.0.0. package.json gives them
 * "scope": "application" (user settings only; "machine" would also drop them from the user
 * settings of a remote window, code-server's included), and commands/settings.ts reads them
 * without workspace values.
 */
export const USER_ONLY_SETTINGS: ReadonlySet<string> = new Set(['host', 'port', 'tls', 'servers', 'tlsCertificate', 'tlsFingerprint', 'server.host']);

/** What configuration.inspect() says of a setting (the part used here). */
export interface InspectedSetting {
  readonly globalValue?: unknown;
  readonly defaultValue?: unknown;
}

/** The user's value, else the default: workspace and folder values are left out. */
export function userOnlyValue(inspected: InspectedSetting | undefined): unknown {
  return inspected?.globalValue ?? inspected?.defaultValue;
}

/** Settings whose change means a new connection (offered as "Reconnect"). */
export const CONNECTION_SETTINGS = ['chatroom.host', 'chatroom.port', 'chatroom.tls', 'chatroom.servers', 'chatroom.tlsCertificate', 'chatroom.tlsFingerprint', 'chatroom.nickname'] as const;
