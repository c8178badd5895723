// --history-days N: messages older than N days are no longer served (storage/history.ts
// keepSince, at once) and are deleted in the background: a pass at start-up and then every
// PASS_EVERY_MS, in batches of PRUNE_BATCH run by the writer thread between group commits
// (storage/retention.ts), each batch waiting for the previous one. Nothing on the relay path.
import type { ServerContext } from './context.ts';
import { PRUNE_BATCH } from './storage/retention.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Messages become old continuously; a pass an hour keeps at most an hour's worth beyond N days on disk. */
const PASS_EVERY_MS = 60 * 60 * 1000;

/** Starts retention if configured; returns a function that stops it (at shutdown). */
export function startRetention(server: ServerContext): () => void {
  const days = server.config.limits.historyDays;
  if (days === null) return () => undefined;
  const keepMs = days * DAY_MS;
  server.store.history.keepSince = () => Date.now() - keepMs;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const pass = async (): Promise<void> => {
    const before = Date.now() - keepMs;
    let deleted = 0;
    let after = 0;
    for (;;) {
      if (stopped) return;
      const r = await server.store.messages.prune(before, PRUNE_BATCH, after);
      deleted += r.deleted;
      after = r.last;
      if (!r.more) break;
    }
    if (deleted > 0) server.log.info(`history retention: deleted ${deleted} message(s) older than ${days} day(s)`);
  };
  const run = (): void => {
    pass()
      .catch((err: unknown) => {
        if (!stopped) server.log.error('history retention failed (will try again)', err);
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(run, PASS_EVERY_MS).unref();
      });
  };
  run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
