// TLS on a plain TCP listener. node:tls's own server counts nothing until a handshake completes
// and waits 120 s for one, so a peer could hold thousands of silent sockets uncounted. Here the
// server counts the TCP connection first (server.ts) and only then starts the handshake, which
// has a deadline (--tls-timeout): an unfinished handshake costs a slot for seconds.
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';

export interface HandshakeEvents {
  /** The handshake is done: the TLS socket is the connection's from now on. */
  secure(s: TLSSocket): void;
  /**
   * The connection is gone before it was secure: the handshake failed, timed out, or the peer
   * left. Called at once when we give up (a new connection may reuse its slot right away), and
   * at most once.
   */
  gone(): void;
}

/**
 * Runs the server side of a handshake on `raw`; a handshake that fails or outlives `timeoutMs`
 * destroys the socket.
 */
export function startTlsHandshake(raw: Socket, context: SecureContext, timeoutMs: number, events: HandshakeEvents): void {
  raw.on('error', ignore); // reported through 'close'; never let one crash us
  const tls = new TLSSocket(raw, { isServer: true, secureContext: context });
  let done = false;
  const fail = (): void => {
    clearTimeout(timer);
    tls.destroy();
    raw.destroy();
    if (done) return;
    done = true;
    events.gone();
  };
  raw.once('close', fail);
  const timer = setTimeout(fail, timeoutMs);
  // A failed handshake (plain text on the TLS port, a scanner) ends here, not in the engine.
  tls.on('error', fail);
  tls.once('secure', () => {
    clearTimeout(timer);
    done = true;
    tls.off('error', fail); // the Connection listens for errors from now on
    raw.off('close', fail);
    events.secure(tls);
  });
}

function ignore(): void {}
