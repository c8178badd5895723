// TLS: load and check the certificate/key pair for the TLS listener (node:tls).
export { loadTlsFiles, type TlsLoadResult } from './load.ts';
