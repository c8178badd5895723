// Reading a child process's output a line at a time (readiness lines such as "listening on …").

/** A 'data' listener that calls `onLine` for each complete line; a line split over chunks is joined. */
export function lineListener(onLine: (line: string) => void): (chunk: Buffer) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk.toString('utf8');
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      onLine(line);
    }
  };
}
