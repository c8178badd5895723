// A line on its way to one or many receivers, serialised once per capability variant.
//
// The hot path of a chat server is a room broadcast: one PRIVMSG goes to every member. We serialise
// the untagged message once, and the tag prefix once per *set of capabilities* that changes which
// tags a receiver may see (server-time, message-tags, account-tag...), never once per receiver.
// https://ircv3.net/specs/extensions/message-tags — tags are only sent to clients that asked.
import { serializeMessage, type IrcMessage } from '../protocol/message.ts';
import { serializeTags } from '../protocol/tags.ts';

/** A tag and the capability a receiver must have negotiated to get it. */
export interface TagSpec {
  key: string;
  value: string;
  /** Capability name, e.g. 'server-time'. */
  cap: string;
}

/** What a receiver needs for variant selection: its negotiated capabilities. */
export interface CapHolder {
  readonly caps: ReadonlySet<string>;
}

export class Outgoing {
  readonly msg: IrcMessage;
  readonly tags: readonly TagSpec[];
  readonly #body: string;
  readonly #byMask = new Map<number, string>();
  /** The same lines UTF-8 encoded, once per variant: sockets then copy bytes instead of encoding a string per receiver. */
  readonly #bytesByMask = new Map<number, Buffer>();

  /** `msg.tags` are ignored: pass the tags as TagSpecs so each receiver gets only what it asked for. */
  constructor(msg: IrcMessage, tags: readonly TagSpec[] = []) {
    this.msg = msg;
    this.tags = tags.length > 30 ? tags.slice(0, 30) : tags; // the mask is a 31-bit number
    this.#body = serializeMessage({ ...msg, tags: {} }) + '\r\n';
  }

  /** The CRLF-terminated line for this receiver (a cached string shared by every receiver of the same variant). */
  lineFor(receiver: CapHolder): string {
    return this.#lineForMask(this.#maskFor(receiver));
  }

  /**
   * The same line as UTF-8 bytes, encoded once per variant and shared by every receiver of it
   * (a broadcast to 1,000 members encodes one Buffer, not 1,000 strings). Read-only: never modify it.
   */
  bytesFor(receiver: CapHolder): Buffer {
    const mask = this.#maskFor(receiver);
    let bytes = this.#bytesByMask.get(mask);
    if (bytes === undefined) {
      bytes = Buffer.from(this.#lineForMask(mask), 'utf8');
      this.#bytesByMask.set(mask, bytes);
    }
    return bytes;
  }

  #maskFor(receiver: CapHolder): number {
    let mask = 0;
    for (let i = 0; i < this.tags.length; i++) if (receiver.caps.has(this.tags[i]!.cap)) mask |= 1 << i;
    return mask;
  }

  #lineForMask(mask: number): string {
    if (mask === 0) return this.#body;
    let line = this.#byMask.get(mask);
    if (line === undefined) {
      const picked: Record<string, string> = {};
      for (let i = 0; i < this.tags.length; i++) if (mask & (1 << i)) picked[this.tags[i]!.key] = this.tags[i]!.value;
      line = `@${serializeTags(picked)} ${this.#body}`;
      this.#byMask.set(mask, line);
    }
    return line;
  }

  /** A copy with extra tags (e.g. a `label` for the sender's echo). */
  withTags(extra: readonly TagSpec[]): Outgoing {
    return new Outgoing(this.msg, [...this.tags, ...extra]);
  }
}
