// The errors a user can meet, as a closed set of codes the extension maps to messages and actions
// (issue 5: refused, timeout, TLS failure, nick in use, wrong password, banned, server closed).

export type ClientErrorCode = 'refused' | 'timeout' | 'tls' | 'nick-in-use' | 'bad-password' | 'banned' | 'closed' | 'protocol';

export class ClientError extends Error {
  override name = 'ClientError';
  readonly code: ClientErrorCode;
  /** The server's own code when it gave one: a numeric, or a standard-replies code (ACCOUNT_EXISTS...). */
  readonly serverCode?: string;

  constructor(code: ClientErrorCode, message: string, options?: { cause?: unknown; serverCode?: string }) {
    super(message, options);
    this.code = code;
    if (options?.serverCode !== undefined) this.serverCode = options.serverCode;
  }
}

/** Error codes that mean retrying with the same settings is pointless (no reconnect loop). */
export function isFatal(code: ClientErrorCode): boolean {
  return code === 'bad-password' || code === 'banned' || code === 'tls' || code === 'nick-in-use';
}

// Node/OpenSSL codes for a failed TLS handshake or certificate check.
const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET|VERIFY)_|ERR_OSSL_|EPROTO$|HOSTNAME_MISMATCH)/;

/** Maps a socket error to a ClientError. */
export function fromSocketError(err: unknown, where: string): ClientError {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  const detail = err instanceof Error ? err.message : String(err);
  if (code === 'ECONNREFUSED') return new ClientError('refused', `Connection to ${where} was refused (is the server running?)`, { cause: err });
  if (code === 'ETIMEDOUT') return new ClientError('timeout', `Connection to ${where} timed out`, { cause: err });
  if (TLS_CODES.test(code) || /ssl|tls|certificate/i.test(detail)) {
    return new ClientError('tls', `TLS with ${where} failed: ${detail}`, { cause: err });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ClientError('refused', `Cannot resolve ${where}`, { cause: err });
  return new ClientError('closed', `Connection to ${where} failed: ${detail}`, { cause: err });
}
