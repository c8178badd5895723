// Keep-alive: a client silent for --ping-interval gets a PING; no line within --ping-timeout after
// it and it is dropped ("Ping timeout"), which also reaps half-open sockets. A connection that has
// not completed registration within --registration-timeout is dropped too.
import type { ServerContext } from './context.ts';
import { uptimeSec } from './client.ts';
import { releaseIdleInbox } from './dispatch.ts';

/** How often the clients are checked; the timeouts are in seconds, so 1 s is precise enough. */
const CHECK_EVERY_MS = 1000;

export function startLiveness(server: ServerContext): () => void {
  const { pingIntervalSec, pingTimeoutSec, registrationTimeoutSec } = server.config.limits;
  let counter = 0;
  const timer = setInterval(() => {
    const now = uptimeSec();
    for (const c of server.registry.clients) {
      if (c.quitting) continue;
      releaseIdleInbox(c); // idle connections keep no input state (memory per connection)
      if (!c.registered && now - c.connectedAt > registrationTimeoutSec) {
        server.disconnect(c, 'Registration timed out');
        continue;
      }
      if (c.pingPending !== null) {
        if (now - c.pingSentAt > pingTimeoutSec) server.disconnect(c, `Ping timeout: ${pingTimeoutSec} seconds`);
      } else if (now - c.lastInput > pingIntervalSec) {
        c.pingPending = `${server.name}-${++counter}`;
        c.pingSentAt = now;
        c.send({ tags: {}, source: server.name, command: 'PING', params: [c.pingPending] });
      }
    }
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
