// Shared test helpers: the real server as a child process, a scriptable IRC client, temp folders,
// free ports and a throwaway TLS certificate.
export { startServer, ROOT, SERVER_JS, type RunningServer, type StartServerOptions } from './server.ts';
export { IrcTestClient, type ConnectOptions, type Matcher, type RegisterOptions } from './ircClient.ts';
export { tempDir } from './tmp.ts';
export { makeTestCert, type TestCert } from './tls.ts';
export { freePort } from './ports.ts';
