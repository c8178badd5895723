// The capabilities this server offers (IRCv3 CAP, https://ircv3.net/specs/extensions/capability-negotiation).
// A registry, not a hard-coded list: a feature module registers its capability (with a value for
// CAP LS 302 if it has one) and the CAP handler lists, acks and naks from here. Modules added later
// (chathistory, multiline, read-marker...) call `caps.register()` at start-up.
import type { Client } from './client.ts';

export interface CapabilityDef {
  name: string;
  /** Value shown by `CAP LS 302` (e.g. `PLAIN` for sasl); undefined = no value. */
  value?: (client: Client) => string | undefined;
  /** Called when a client's REQ for this cap was ACKed (enabled = true) or turned off. */
  onChange?: (client: Client, enabled: boolean) => void;
}

export class CapabilityRegistry {
  readonly #defs = new Map<string, CapabilityDef>();

  register(def: CapabilityDef): void {
    this.#defs.set(def.name, def);
  }

  unregister(name: string): void {
    this.#defs.delete(name);
  }

  has(name: string): boolean {
    return this.#defs.has(name);
  }

  get(name: string): CapabilityDef | undefined {
    return this.#defs.get(name);
  }

  /** `name` or `name=value` tokens for CAP LS; values only for CAP LS 302. */
  lsTokens(client: Client, withValues: boolean): string[] {
    const out: string[] = [];
    for (const def of this.#defs.values()) {
      const v = withValues ? def.value?.(client) : undefined;
      out.push(v === undefined || v === '' ? def.name : `${def.name}=${v}`);
    }
    return out;
  }
}
