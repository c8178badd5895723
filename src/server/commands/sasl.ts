// SASL PLAIN through AUTHENTICATE (https://ircv3.net/specs/extensions/sasl-3.1). Payloads come
// base64-encoded in chunks of 400 bytes; a chunk shorter than 400 (or `+`) ends the payload.
// Numerics: 900 logged in, 903 success, 904 failure, 905 too long, 906 aborted, 907 already
// authenticated, 908 mechanisms.
import { CAP } from '../../protocol/caps.ts';
import {
  ERR_SASLABORTED,
  ERR_SASLALREADY,
  ERR_SASLFAIL,
  ERR_SASLTOOLONG,
  RPL_SASLMECHS,
  RPL_SASLSUCCESS,
} from '../../protocol/numerics.ts';
import type { CommandContext, CommandSpec, ServerContext } from '../context.ts';
import { holdBack, type Refusal } from '../auth/guard.ts';
import { logIn } from '../login.ts';

export const SASL_MECHANISMS = ['PLAIN'];
/** SASL 3.1: each AUTHENTICATE payload chunk is at most 400 bytes. */
const CHUNK = 400;
/** A PLAIN payload is two names and a password; more than this is not a login attempt. */
const MAX_PAYLOAD = 2048;

export function installSasl(server: ServerContext): void {
  server.caps.register({ name: CAP.sasl, value: () => SASL_MECHANISMS.join(',') });
}

async function authenticateHandler(ctx: CommandContext): Promise<void> {
  const { server, client, msg, reply } = ctx;
  const arg = msg.params[0]!;
  if (client.account !== null) return reply.numeric(ERR_SASLALREADY, 'You have already authenticated using SASL');
  if (arg === '*') {
    client.sasl = null;
    return reply.numeric(ERR_SASLABORTED, 'SASL authentication aborted');
  }
  if (client.sasl === null) {
    // Refused before the client sends its password (it comes after `AUTHENTICATE +`).
    const insecure = server.auth.plaintextRefusal(client);
    if (insecure !== null) return reply.numeric(ERR_SASLFAIL, `SASL authentication failed: ${insecure}`);
    const mech = arg.toUpperCase();
    if (!SASL_MECHANISMS.includes(mech)) {
      reply.numeric(RPL_SASLMECHS, SASL_MECHANISMS.join(','), 'are available SASL mechanisms');
      return reply.numeric(ERR_SASLFAIL, 'SASL authentication failed');
    }
    client.sasl = { mechanism: mech, buffer: '' };
    reply.server('AUTHENTICATE', '+');
    return;
  }
  if (client.sasl.discarding) {
    // The tail of a payload already refused with 905: one answer per exchange, not one per chunk.
    if (arg.length !== CHUNK) client.sasl = null;
    return;
  }
  if (Buffer.byteLength(arg) > CHUNK) {
    client.sasl = null;
    return reply.numeric(ERR_SASLTOOLONG, 'SASL message too long');
  }
  if (arg !== '+') client.sasl.buffer += arg;
  if (client.sasl.buffer.length > MAX_PAYLOAD) {
    // The exchange is over (905); a stream still coming ends with a chunk shorter than 400 bytes.
    if (arg.length === CHUNK) client.sasl = { mechanism: client.sasl.mechanism, buffer: '', discarding: true };
    else client.sasl = null;
    return reply.numeric(ERR_SASLTOOLONG, 'SASL message too long');
  }
  if (arg.length === CHUNK) return; // more chunks follow
  const payload = Buffer.from(client.sasl.buffer, 'base64').toString('utf8');
  client.sasl = null;
  // PLAIN (RFC 4616): authzid NUL authcid NUL password.
  const parts = payload.split('\0');
  if (parts.length !== 3) return reply.numeric(ERR_SASLFAIL, 'SASL authentication failed');
  const [authzid, authcid, password] = parts as [string, string, string];
  if (authzid !== '' && server.registry.fold(authzid) !== server.registry.fold(authcid)) {
    return reply.numeric(ERR_SASLFAIL, 'SASL authentication failed');
  }
  const key = server.registry.fold(authcid);
  const wait = server.auth.mustWait(client, key);
  if (wait !== null) return refuse(ctx, wait);
  const checking = server.auth.hash(client, () => server.store.accounts.verifyPassword(authcid, password));
  if (!('result' in checking)) return refuse(ctx, checking);
  const account = await checking.result;
  if (client.quitting) return;
  if (!account) return refuse(ctx, server.auth.failed(client, 'wrong account name or password', key));
  server.auth.succeeded(key);
  logIn(server, client, account.displayName, reply);
  reply.numeric(RPL_SASLSUCCESS, 'SASL authentication successful');
}

/** 904 with the reason, when its delay is over; a connection that failed too often is then dropped. */
async function refuse({ server, client, reply }: CommandContext, r: Refusal): Promise<void> {
  await holdBack(r);
  reply.numeric(ERR_SASLFAIL, `SASL authentication failed: ${r.text}`);
  if (!r.disconnect) return;
  reply.flush();
  server.disconnect(client, 'Too many failed login attempts');
}

export const saslCommands: Record<string, CommandSpec> = {
  AUTHENTICATE: { handler: authenticateHandler, minParams: 1, preRegistration: true },
};
