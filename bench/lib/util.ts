// Small helpers shared by the scenarios.

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
