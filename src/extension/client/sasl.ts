// SASL PLAIN over AUTHENTICATE: https://ircv3.net/specs/extensions/sasl-3.1
// The payload is base64(authzid NUL authcid NUL password), sent in 400-byte pieces; a payload whose
// length is a multiple of 400 ends with `AUTHENTICATE +`.

export const SASL_CHUNK = 400;

export function saslPlainPayload(account: string, password: string): string {
  // authzid empty: log in as the account we authenticate as.
  return Buffer.from(`\0${account}\0${password}`, 'utf8').toString('base64');
}

/** The AUTHENTICATE parameters that carry a payload. */
export function saslChunks(payload: string): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < payload.length; i += SASL_CHUNK) chunks.push(payload.slice(i, i + SASL_CHUNK));
  if (payload.length % SASL_CHUNK === 0) chunks.push('+');
  return chunks;
}
