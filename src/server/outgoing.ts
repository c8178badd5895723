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

/** One receiver variant: the line, and its UTF-8 bytes once a receiver needed them. */
interface Variant {
  readonly line: string;
  bytes: Buffer | undefined;
}

const NO_TAGS: Readonly<Record<string, string>> = Object.freeze({});

export class Outgoing {
  readonly msg: IrcMessage;
  readonly tags: readonly TagSpec[];
  readonly #body: string;
  // Most lines reach one receiver, or receivers that all negotiated the same tags: the first
  // variant lives in fields and a Map is made only for a second one (a history page builds 100
  // Outgoings for one client; a room broadcast rarely sees more than three variants).
  #firstMask = -1;
  #first: Variant | undefined;
  #others: Map<number, Variant> | undefined;

  /** `msg.tags` are ignored: pass the tags as TagSpecs so each receiver gets only what it asked for. */
  constructor(msg: IrcMessage, tags: readonly TagSpec[] = []) {
    this.msg = msg;
    this.tags = tags.length > 30 ? tags.slice(0, 30) : tags; // the mask is a 31-bit number
    this.#body = serializeMessage(msg.tags === NO_TAGS || isEmpty(msg.tags) ? msg : { ...msg, tags: NO_TAGS }) + '\r\n';
  }

  /** The CRLF-terminated line for this receiver (a cached string shared by every receiver of the same variant). */
  lineFor(receiver: CapHolder): string {
    return this.#variant(this.#maskFor(receiver)).line;
  }

  /**
   * The same line as UTF-8 bytes, encoded once per variant and shared by every receiver of it
   * (a broadcast to 1,000 members encodes one Buffer, not 1,000 strings). Read-only: never modify it.
   */
  bytesFor(receiver: CapHolder): Buffer {
    const v = this.#variant(this.#maskFor(receiver));
    return (v.bytes ??= Buffer.from(v.line, 'utf8'));
  }

  #maskFor(receiver: CapHolder): number {
    let mask = 0;
    for (let i = 0; i < this.tags.length; i++) if (receiver.caps.has(this.tags[i]!.cap)) mask |= 1 << i;
    return mask;
  }

  #variant(mask: number): Variant {
    if (mask === this.#firstMask) return this.#first!;
    let v = this.#others?.get(mask);
    if (v === undefined) {
      v = { line: this.#render(mask), bytes: undefined };
      if (this.#first === undefined) {
        this.#firstMask = mask;
        this.#first = v;
      } else {
        (this.#others ??= new Map()).set(mask, v);
      }
    }
    return v;
  }

  #render(mask: number): string {
    if (mask === 0) return this.#body;
    const picked: Record<string, string> = {};
    for (let i = 0; i < this.tags.length; i++) if (mask & (1 << i)) picked[this.tags[i]!.key] = this.tags[i]!.value;
    return `@${serializeTags(picked)} ${this.#body}`;
  }

  /** A copy with extra tags (e.g. a `label` for the sender's echo). */
  withTags(extra: readonly TagSpec[]): Outgoing {
    return new Outgoing(this.msg, [...this.tags, ...extra]);
  }
}

function isEmpty(tags: Readonly<Record<string, string>>): boolean {
  for (const _ in tags) return false;
  return true;
}
