// Splits a byte stream into IRC lines. Lines end in LF, optionally preceded by CR (RFC 1459 says
// CR LF; deployed clients send bare LF too). A line longer than `maxLineBytes` is never buffered
// whole: the reader reports it once as too long and skips to its end, so a 10 MB line with no
// newline costs at most maxLineBytes of memory.

export type LineEvent = { kind: 'line'; bytes: Buffer } | { kind: 'too-long' };

export class LineReader {
  readonly #maxLineBytes: number;
  /** Parts of an unfinished line (null when none: most lines arrive whole in one chunk). */
  #pending: Buffer[] | null = null;
  #pendingBytes = 0;
  /** True while the current line has overflowed and we are discarding until its LF. */
  #discarding = false;

  constructor(maxLineBytes: number) {
    this.#maxLineBytes = maxLineBytes;
  }

  /** Feeds a chunk; returns the complete lines (without CR LF) and overflow events, in order. */
  push(chunk: Buffer): LineEvent[] {
    const events: LineEvent[] = [];
    let start = 0;
    while (start < chunk.length) {
      const lf = chunk.indexOf(0x0a, start);
      if (lf === -1) {
        this.#buffer(chunk.subarray(start), events);
        break;
      }
      if (this.#pendingBytes === 0 && !this.#discarding) {
        // Fast path: the whole line is inside this chunk, no copy needed (events are consumed
        // before the next chunk arrives).
        this.#emit(chunk.subarray(start, lf), events);
        start = lf + 1;
        continue;
      }
      this.#buffer(chunk.subarray(start, lf), events);
      if (this.#discarding) {
        this.#discarding = false;
      } else {
        const parts = this.#pending ?? [];
        this.#emit(parts.length === 1 ? parts[0]! : Buffer.concat(parts, this.#pendingBytes), events);
      }
      this.#pending = null;
      this.#pendingBytes = 0;
      start = lf + 1;
    }
    return events;
  }

  /** Bytes held for an unfinished line. */
  get bufferedBytes(): number {
    return this.#pendingBytes;
  }

  /** True when nothing is held between chunks: the next push starts a fresh line. */
  get idle(): boolean {
    return this.#pendingBytes === 0 && !this.#discarding;
  }

  /**
   * A new reader holding this one's unfinished line (this one is left idle): lets one reader serve
   * every connection whose chunks end in LF, and a connection keep a reader only while a line is
   * split across chunks.
   */
  handOver(): LineReader {
    const next = new LineReader(this.#maxLineBytes);
    next.#pending = this.#pending;
    next.#pendingBytes = this.#pendingBytes;
    next.#discarding = this.#discarding;
    this.#pending = null;
    this.#pendingBytes = 0;
    this.#discarding = false;
    return next;
  }

  #emit(line: Buffer, events: LineEvent[]): void {
    if (line.length > this.#maxLineBytes + 1) {
      events.push({ kind: 'too-long' });
      return;
    }
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    if (line.length > this.#maxLineBytes) events.push({ kind: 'too-long' });
    else if (line.length > 0) events.push({ kind: 'line', bytes: line });
  }

  #buffer(part: Buffer, events: LineEvent[]): void {
    if (this.#discarding || part.length === 0) return;
    // +1 leaves room for a CR that belongs to the terminator, not to the line.
    if (this.#pendingBytes + part.length > this.#maxLineBytes + 1) {
      this.#discarding = true;
      this.#pending = null;
      this.#pendingBytes = 0;
      events.push({ kind: 'too-long' });
      return;
    }
    // Copy: the part must outlive this chunk.
    (this.#pending ??= []).push(Buffer.from(part));
    this.#pendingBytes += part.length;
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes a line as UTF-8, or returns null if it is not valid UTF-8. */
export function decodeUtf8Strict(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}
