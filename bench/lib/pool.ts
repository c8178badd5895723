// Opens many registered connections with a bounded number of registrations in flight.

import { Histogram } from './histogram.ts';
import { IrcConn, nowUs, waitFor, type ConnEvents } from './irc-conn.ts';

export type PoolResult = {
  conns: IrcConn[];
  /** TCP connect() call to RPL_WELCOME (001), per successful registration (its last attempt). */
  registration: Histogram;
  wallMs: number;
  failures: string[];
  /** Registrations that needed another attempt (connection reset or timed out). */
  retries: number;
};

export type PoolOptions = {
  /** Keep going after a failed registration (retrying it up to `attempts` times) instead of stopping. */
  keepGoing?: boolean;
  attempts?: number;
  /** Start no new registration after this many ms (the phase is bounded in time as well as count). */
  deadlineMs?: number;
  /** Connect from these source addresses in turn (memory: fresh loopback addresses, a few thousand connections each). */
  localAddresses?: readonly string[];
};

export async function connectMany(
  n: number,
  concurrency: number,
  host: string,
  port: number,
  nickPrefix: string,
  events: ConnEvents,
  timeoutMs: number,
  popts: PoolOptions = {},
): Promise<PoolResult> {
  const conns: IrcConn[] = [];
  const registration = new Histogram();
  const failures: string[] = [];
  const attempts = popts.keepGoing ? (popts.attempts ?? 3) : 1;
  const t0 = performance.now();
  let next = 0;
  let retries = 0;
  const worker = async (): Promise<void> => {
    while (next < n && (popts.keepGoing || failures.length === 0)) {
      if (popts.deadlineMs !== undefined && performance.now() - t0 > popts.deadlineMs) return;
      const i = next++;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const started = nowUs();
        // A retry takes a fresh nick: the server may still hold the first attempt's.
        const nick = attempt === 1 ? `${nickPrefix}${i}` : `${nickPrefix}${i}_${attempt}`;
        const conn = new IrcConn(i, nick, host, port, events, popts.localAddresses?.[i % popts.localAddresses.length]);
        conn.register();
        try {
          await waitFor(conn, (command) => command === '001', timeoutMs, 'registration (001)');
          registration.record(nowUs() - started);
          conns.push(conn);
          break;
        } catch (err) {
          conn.destroy();
          if (attempt === attempts) failures.push((err as Error).message);
          else retries++;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  // Scenarios index connections by id (fanout, dm): keep them in id order.
  conns.sort((a, b) => a.id - b.id);
  return { conns, registration, wallMs: performance.now() - t0, failures, retries };
}

export function destroyAll(conns: IrcConn[]): void {
  for (const c of conns) c.destroy();
}
