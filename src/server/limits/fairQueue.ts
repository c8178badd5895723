// Bounded, fair scheduling of expensive jobs (password hashing) by key (the client's IP).
//
// At most `concurrency` jobs run at once server-wide, at most `perKey` of them for one key, and at
// most `maxWaiting` more wait per key (past that run() refuses: null). Waiting jobs start in
// round-robin order over keys, so one address that floods us holds at most `perKey` slots and
// every other address's job starts as soon as a slot frees: it waits behind at most one job per
// other busy address, never behind a flood's backlog.
interface Job {
  start: () => void;
}

interface KeyState {
  running: number;
  waiting: Job[];
}

export interface FairQueueOptions {
  concurrency: number;
  perKey: number;
  maxWaiting: number;
}

export class FairQueue {
  readonly #opts: FairQueueOptions;
  readonly #keys = new Map<string, KeyState>();
  /** Keys with waiting jobs, in turn order. */
  #ring: string[] = [];
  #running = 0;

  constructor(opts: FairQueueOptions) {
    if (!(opts.concurrency >= 1 && opts.perKey >= 1 && opts.maxWaiting >= 0)) throw new RangeError('FairQueue needs concurrency >= 1, perKey >= 1, maxWaiting >= 0');
    this.#opts = opts;
  }

  /** Runs `job` when its turn comes; null (and `job` is not run) when `key` already has too many waiting. */
  run<T>(key: string, job: () => Promise<T>): Promise<T> | null {
    let st = this.#keys.get(key);
    if (st === undefined) {
      st = { running: 0, waiting: [] };
      this.#keys.set(key, st);
    }
    if (st.waiting.length >= this.#opts.maxWaiting && !this.#canStart(st)) return null;
    const state = st;
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.#running++;
        state.running++;
        let p: Promise<T>;
        try {
          p = job();
        } catch (err) {
          p = Promise.reject(err);
        }
        // The slot is free before the caller hears the result (and may submit its next job).
        const release = () => {
          this.#running--;
          state.running--;
          if (state.running === 0 && state.waiting.length === 0) this.#keys.delete(key);
          this.#pump();
        };
        p.then(
          (v) => (release(), resolve(v)),
          (e: unknown) => (release(), reject(e)),
        );
      };
      if (this.#canStart(state)) start();
      else {
        state.waiting.push({ start });
        if (state.waiting.length === 1) this.#ring.push(key);
      }
    });
  }

  /** Jobs running now (all keys). */
  get running(): number {
    return this.#running;
  }

  /** Jobs running or waiting for `key`. */
  pending(key: string): number {
    const st = this.#keys.get(key);
    return st === undefined ? 0 : st.running + st.waiting.length;
  }

  #canStart(st: KeyState): boolean {
    return this.#running < this.#opts.concurrency && st.running < this.#opts.perKey && st.waiting.length === 0;
  }

  #pump(): void {
    let scanned = 0;
    while (this.#running < this.#opts.concurrency && scanned < this.#ring.length) {
      const key = this.#ring.shift()!;
      const st = this.#keys.get(key)!;
      if (st.running >= this.#opts.perKey) {
        this.#ring.push(key); // its own job is still running: its turn comes later
        scanned++;
        continue;
      }
      scanned = 0;
      const job = st.waiting.shift()!;
      if (st.waiting.length > 0) this.#ring.push(key);
      job.start();
    }
  }
}
