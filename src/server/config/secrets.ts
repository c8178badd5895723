// Secrets that should not sit on a command line, where `ps` shows them to every user of the box:
// server operators from --oper-file / CHATROOM_OPERS (NAME:PASSWORD, one a line) and the server
// password from --server-password-file / CHATROOM_SERVER_PASSWORD. Read once at start-up by main.
//
// Operators from every source add up (a name twice is an error). The server password comes from
// --server-password or --server-password-file (not both); the environment is used when neither is
// given. Errors name the file and line, never the password.
import { readFileSync } from 'node:fs';
import type { OperCredential, ServerConfig } from './types.ts';

export const ENV_OPERS = 'CHATROOM_OPERS';
export const ENV_SERVER_PASSWORD = 'CHATROOM_SERVER_PASSWORD';

const OPER_NAME = /^[^\s:]+$/;
const BAD_CHARS = /[\0\r\n]/;

type Env = Record<string, string | undefined>;

function readText(flag: string, file: string): string | { error: string } {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    return { error: `cannot read ${flag} '${file}': ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** NAME:PASSWORD lines; blank lines and lines starting with # are skipped. */
export function parseOperLines(text: string, where: string): OperCredential[] | { error: string } {
  const out: OperCredential[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) continue;
    const at = line.indexOf(':');
    const name = at < 0 ? '' : line.slice(0, at);
    const password = at < 0 ? '' : line.slice(at + 1);
    if (!OPER_NAME.test(name) || password === '' || BAD_CHARS.test(password)) {
      return { error: `${where} line ${i + 1} must be NAME:PASSWORD with a non-empty name (no spaces) and password` };
    }
    out.push({ name, password });
  }
  return out;
}

/** The config with operators and the server password filled in from files and the environment. */
export function loadSecrets(config: ServerConfig, env: Env = process.env): ServerConfig | { error: string } {
  const opers = [...config.opers];
  if (config.operFile !== null) {
    const text = readText('--oper-file', config.operFile);
    if (typeof text !== 'string') return text;
    const more = parseOperLines(text, `--oper-file '${config.operFile}'`);
    if (!Array.isArray(more)) return more;
    opers.push(...more);
  }
  const fromEnv = env[ENV_OPERS];
  if (fromEnv !== undefined && fromEnv !== '') {
    const more = parseOperLines(fromEnv, ENV_OPERS);
    if (!Array.isArray(more)) return more;
    opers.push(...more);
  }
  const names = new Set<string>();
  for (const o of opers) {
    if (names.has(o.name)) return { error: `server operator '${o.name}' is given twice (--oper, --oper-file, ${ENV_OPERS})` };
    names.add(o.name);
  }

  let serverPassword = config.serverPassword;
  if (config.serverPasswordFile !== null) {
    const text = readText('--server-password-file', config.serverPasswordFile);
    if (typeof text !== 'string') return text;
    const first = text.split('\n')[0]!.replace(/\r$/, '');
    if (first === '' || first.includes('\0')) return { error: `--server-password-file '${config.serverPasswordFile}' must hold the password on its first line` };
    serverPassword = first;
  } else if (serverPassword === null && env[ENV_SERVER_PASSWORD] !== undefined && env[ENV_SERVER_PASSWORD] !== '') {
    const v = env[ENV_SERVER_PASSWORD]!;
    if (BAD_CHARS.test(v)) return { error: `${ENV_SERVER_PASSWORD} must be a password on one line` };
    serverPassword = v;
  }
  return { ...config, opers, serverPassword };
}
