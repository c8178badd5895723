// Reconnect delays: exponential backoff with full jitter, capped (AWS architecture blog,
// "Exponential Backoff And Jitter"): a restarted server is not hit by every client at once.

export interface BackoffOptions {
  /** First delay, ms. */
  baseMs: number;
  /** Largest delay, ms. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 30_000 };

/**
 * Delay before reconnect attempt `attempt` (0-based): uniformly random in
 * [ceiling/2, ceiling] where ceiling = min(cap, base * 2^attempt). Half the ceiling is kept
 * so that the delay still grows with the attempts.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
