// Opens many registered connections with a bounded number of registrations in flight.

import { Histogram } from './histogram.ts';
import { IrcConn, nowUs, waitFor, type ConnEvents } from './irc-conn.ts';

export type PoolResult = {
  conns: IrcConn[];
  /** TCP connect() call to RPL_WELCOME (001), per connection. */
  registration: Histogram;
  wallMs: number;
  failures: string[];
};

export async function connectMany(
  n: number,
  concurrency: number,
  host: string,
  port: number,
  nickPrefix: string,
  events: ConnEvents,
  timeoutMs: number,
): Promise<PoolResult> {
  const conns: IrcConn[] = new Array<IrcConn>(n);
  const registration = new Histogram();
  const failures: string[] = [];
  const t0 = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n && failures.length === 0) {
      const i = next++;
      const started = nowUs();
      const conn = new IrcConn(i, `${nickPrefix}${i}`, host, port, events);
      conns[i] = conn;
      conn.register();
      try {
        await waitFor(conn, (command) => command === '001', timeoutMs, 'registration (001)');
        registration.record(nowUs() - started);
      } catch (err) {
        failures.push((err as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return { conns: conns.filter((c) => c !== undefined), registration, wallMs: performance.now() - t0, failures };
}

export function destroyAll(conns: IrcConn[]): void {
  for (const c of conns) c.destroy();
}
