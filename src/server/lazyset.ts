// A Set that allocates its hash table on the first add. An empty V8 Set still costs ~150 bytes,
// and per client several stay empty for a long time (no CAP REQ from a plain RFC client, no rooms
// yet): with 10,000 connections that is megabytes of empty tables.

const EMPTY: ReadonlySet<never> = new Set<never>();

export class LazySet<T> implements ReadonlySet<T> {
  #set: Set<T> | null = null;

  get size(): number {
    return this.#set === null ? 0 : this.#set.size;
  }

  has(value: T): boolean {
    return this.#set !== null && this.#set.has(value);
  }

  add(value: T): this {
    (this.#set ??= new Set<T>()).add(value);
    return this;
  }

  delete(value: T): boolean {
    return this.#set !== null && this.#set.delete(value);
  }

  clear(): void {
    this.#set = null;
  }

  forEach(callback: (value: T, value2: T, set: ReadonlySet<T>) => void, thisArg?: unknown): void {
    for (const v of this.#view()) callback.call(thisArg, v, v, this);
  }

  entries(): SetIterator<[T, T]> {
    return this.#view().entries();
  }

  keys(): SetIterator<T> {
    return this.#view().keys();
  }

  values(): SetIterator<T> {
    return this.#view().values();
  }

  [Symbol.iterator](): SetIterator<T> {
    return this.#view().values();
  }

  #view(): ReadonlySet<T> {
    return this.#set ?? EMPTY;
  }
}
