// Small helpers shared by the scenarios.

import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Polls `cond` every 10 ms; resolves true when it holds, false after `timeoutMs`. */
export function until(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (cond()) {
      resolve(true);
      return;
    }
    const t0 = performance.now();
    const timer = setInterval(() => {
      if (cond()) {
        clearInterval(timer);
        resolve(true);
      } else if (performance.now() - t0 > timeoutMs) {
        clearInterval(timer);
        resolve(false);
      }
    }, 10);
  });
}

export const round1 = (x: number): number => Math.round(x * 10) / 10;
export const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * Watches the generator's own event loop during a phase: a large p99 delay means deliveries
 * waited in the generator, so part of the measured latency is the generator's, not the server's.
 */
export function loopDelayMonitor(): { stopP99Ms(): number } {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  return {
    stopP99Ms(): number {
      h.disable();
      return Math.round(h.percentile(99) / 1e4) / 100;
    },
  };
}
