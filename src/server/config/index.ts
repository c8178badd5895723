// Server configuration: CLI flags -> a typed, validated ServerConfig.
//
//   const r = parseArgs(process.argv.slice(2));
//   if ('help' in r) { console.log(r.help); process.exit(0); }
//   if ('error' in r) { console.error(`chatroom-server: ${r.error}`); process.exit(2); }
//   const config: ServerConfig = r;
export { DEFAULTS, helpText, isArgsError, isArgsHelp, parseArgs } from './args.ts';
export { readMotd } from './motd.ts';
export { ENV_OPERS, ENV_SERVER_PASSWORD, loadSecrets } from './secrets.ts';
export type { ArgsError, ArgsHelp, OperCredential, ParseArgsResult, ServerConfig, ServerLimits, TlsConfig } from './types.ts';
