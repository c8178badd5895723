// A tiny typed event emitter shaped like vscode's EventEmitter (`.event(listener)` returns a
// disposable subscription), so the client core needs no `vscode` import and the extension can
// hand these events straight to code written for vscode.Event.

export interface Disposable {
  dispose(): void;
}

/** Same call shape as vscode.Event: optional `this` for the listener and an array to collect the subscription. */
export type Event<T> = (listener: (value: T) => void, thisArgs?: unknown, disposables?: Disposable[]) => Disposable;

export class Emitter<T> {
  #listeners = new Set<(value: T) => void>();
  #disposed = false;

  /** Subscribes; the returned object unsubscribes. Subscribing after dispose() is a no-op. */
  readonly event: Event<T> = (listener, thisArgs, disposables) => {
    if (this.#disposed) return { dispose() {} };
    // Wrap so the same function may be subscribed twice and removed independently.
    const entry = (value: T) => listener.call(thisArgs, value);
    this.#listeners.add(entry);
    const subscription = { dispose: () => void this.#listeners.delete(entry) };
    disposables?.push(subscription);
    return subscription;
  };

  /** Calls every listener; a throwing listener is reported and does not stop the others. */
  fire(value: T): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(value);
      } catch (err) {
        // A faulty listener must not take the connection down with it.
        console.error('chatroom client: event listener failed', err);
      }
    }
  }

  get hasListeners(): boolean {
    return this.#listeners.size > 0;
  }

  dispose(): void {
    this.#disposed = true;
    this.#listeners.clear();
  }
}

/** Collects disposables and disposes them together; adding to a disposed store disposes at once. */
export class DisposableStore implements Disposable {
  #items = new Set<Disposable>();
  #disposed = false;

  add<D extends Disposable>(item: D): D {
    if (this.#disposed) item.dispose();
    else this.#items.add(item);
    return item;
  }

  dispose(): void {
    this.#disposed = true;
    for (const item of this.#items) item.dispose();
    this.#items.clear();
  }
}
