// Loopback ports for tests: taken from the OS (listen on 0), then released. Nothing listens on
// the port afterwards, so it serves both as a port to start a server on and as one where a
// connection is refused.
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
