// IRCv3 capability negotiation, client side: https://ircv3.net/specs/extensions/capability-negotiation
// CAP LS 302 → (multi-line LS) → REQ what we use and the server offers → ACK/NAK → END once
// nothing (SASL, pre-connect REGISTER) still needs the unregistered phase. Also CAP NEW/DEL later.
import { CAP, parseCapList } from '../../protocol/caps.ts';
import { ircMessage, type IrcMessage } from '../../protocol/message.ts';

/** Capabilities the client knows how to use; REQ'd when offered. `sasl` only with credentials. */
export const WANTED_CAPS: readonly string[] = [
  CAP.accountNotify,
  CAP.accountTag,
  CAP.awayNotify,
  CAP.batch,
  CAP.capNotify,
  CAP.chghost,
  CAP.echoMessage,
  CAP.extendedJoin,
  CAP.extendedMonitor,
  CAP.labeledResponse,
  CAP.messageTags,
  CAP.multiPrefix,
  CAP.serverTime,
  CAP.standardReplies,
  CAP.userhostInNames,
  CAP.accountRegistration,
  CAP.chathistory,
  // Reactions come in history pages as TAGMSGs only with it (the chathistory spec).
  CAP.eventPlayback,
  CAP.multiline,
  CAP.readMarker,
  CAP.messageRedaction,
  CAP.search,
];

// A CAP REQ line must stay within 512 bytes; 400 bytes of names leaves room for the rest.
const MAX_REQ_BYTES = 400;

export class CapNegotiator {
  /** What the server offers, with values (from LS/NEW). */
  readonly offered = new Map<string, string>();
  /** What the server acknowledged. */
  readonly enabled = new Set<string>();
  #lsDone = false;
  #awaiting = 0;
  readonly #wanted: Set<string>;

  constructor(wantSasl: boolean) {
    this.#wanted = new Set(WANTED_CAPS);
    if (wantSasl) this.#wanted.add(CAP.sasl);
  }

  has(name: string): boolean {
    return this.enabled.has(name);
  }

  value(name: string): string | undefined {
    return this.enabled.has(name) ? this.offered.get(name) : undefined;
  }

  /** True once LS has been read and every REQ answered. */
  get settled(): boolean {
    return this.#lsDone && this.#awaiting === 0;
  }

  /** Handles one CAP message; returns the lines to send back and whether `enabled` changed. */
  handle(msg: IrcMessage): { send: IrcMessage[]; changed: boolean } {
    // CAP <nick|*> <sub> [*] :<list>
    const sub = (msg.params[1] ?? '').toUpperCase();
    const more = msg.params[2] === '*' && msg.params.length >= 4;
    const list = msg.params[msg.params.length - 1] ?? '';
    switch (sub) {
      case 'LS': {
        for (const [k, v] of parseCapList(list)) this.offered.set(k, v);
        if (more) return { send: [], changed: false };
        this.#lsDone = true;
        return { send: this.#request([...this.offered.keys()]), changed: false };
      }
      case 'NEW': {
        const fresh = parseCapList(list);
        for (const [k, v] of fresh) this.offered.set(k, v);
        return { send: this.#request([...fresh.keys()].filter((k) => !this.enabled.has(k))), changed: false };
      }
      case 'DEL': {
        for (const k of parseCapList(list).keys()) {
          this.offered.delete(k);
          this.enabled.delete(k);
        }
        return { send: [], changed: true };
      }
      case 'ACK': {
        for (const k of list.split(' ')) {
          if (k === '') continue;
          if (k.startsWith('-')) this.enabled.delete(k.slice(1));
          else this.enabled.add(k);
        }
        if (!more) this.#awaiting = Math.max(0, this.#awaiting - 1);
        return { send: [], changed: true };
      }
      case 'NAK': {
        if (!more) this.#awaiting = Math.max(0, this.#awaiting - 1);
        return { send: [], changed: false };
      }
      default:
        return { send: [], changed: false };
    }
  }

  /** The server does not do CAP (421 to CAP LS): nothing to wait for. */
  unsupported(): void {
    this.#lsDone = true;
    this.#awaiting = 0;
  }

  #request(names: string[]): IrcMessage[] {
    const want = names.filter((n) => this.#wanted.has(n));
    const lines: IrcMessage[] = [];
    let batch: string[] = [];
    let bytes = 0;
    for (const name of want) {
      if (bytes + name.length + 1 > MAX_REQ_BYTES && batch.length > 0) {
        lines.push(ircMessage('CAP', ['REQ', batch.join(' ')]));
        batch = [];
        bytes = 0;
      }
      batch.push(name);
      bytes += name.length + 1;
    }
    if (batch.length > 0) lines.push(ircMessage('CAP', ['REQ', batch.join(' ')]));
    this.#awaiting += lines.length;
    return lines;
  }
}

/** Values of a capability like `draft/multiline=max-bytes=4096,max-lines=100` as a map. */
export function parseCapValue(value: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!value) return out;
  for (const item of value.split(',')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    out.set(eq === -1 ? item : item.slice(0, eq), eq === -1 ? '' : item.slice(eq + 1));
  }
  return out;
}
