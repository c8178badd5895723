// Waiting for client events in tests: resolves on the event itself; the timeout is only a safety
// net whose error says what was awaited.
import type { Event } from '../../../../src/extension/client/emitter.ts';
import type { IrcClient } from '../../../../src/extension/client/ircClient.ts';

export function nextEvent<T>(event: Event<T>, match: (value: T) => boolean = () => true, what = 'event', timeoutMs = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const sub = event((value) => {
      if (!match(value)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(value);
    });
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
  });
}

/** Collects every value an event fires, for assertions after the fact. */
export function record<T>(event: Event<T>): { values: T[]; dispose(): void } {
  const values: T[] = [];
  const sub = event((v) => values.push(v));
  return { values, dispose: () => sub.dispose() };
}

/** Resolves once `condition()` holds, checking now and after each firing of `event`. */
export async function until<T>(event: Event<T>, condition: () => boolean, what = 'condition', timeoutMs = 15_000): Promise<void> {
  if (condition()) return;
  await nextEvent(event, () => condition(), what, timeoutMs);
}

/** Joins `room` and resolves once the client reports it joined. */
export async function joined(c: IrcClient, room: string): Promise<void> {
  const ev = nextEvent(c.onDidChangeRoom, (r) => r.room === room && r.reason === 'joined', `join ${room}`);
  c.join(room);
  await ev;
}

/** Resolves once `c` sees `who` as a member of `room`. */
export function seesMember(c: IrcClient, room: string, who: string): Promise<void> {
  return until(c.onDidChangeRoom, () => c.room(room)?.members.some((m) => m.nick === who) ?? false, `${who} in ${room}`);
}
