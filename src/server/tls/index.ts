// TLS: load and check the certificate/key pair, and handshake on connections counted at accept.
export { loadTlsFiles, type TlsLoadResult } from './load.ts';
export { startTlsHandshake } from './handshake.ts';
