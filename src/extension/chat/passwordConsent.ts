// A password (SASL PLAIN, REGISTER) goes over a plain connection to another machine only after the
// user agreed, once per host: anyone on the network between could read it. Loopback and TLS never
// ask. Remembered in globalState (the user's, across workspaces), never in workspace state, so a
// cloned repository cannot agree for you. Pure: the caller supplies the question.
import { isLoopbackHost } from './loopback.ts';

export interface PasswordTarget {
  readonly host: string;
  readonly tls?: boolean;
}

/** The parts of a vscode.Memento used here. */
export interface ConsentStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export const CONSENT_KEY = 'chatroom.plainPasswordHosts';

/** One spelling per host: case, brackets and a trailing dot do not make a new host. */
export function hostKey(host: string): string {
  return host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

/** True when sending a password to `target` needs the user's consent first. */
export function needsPasswordConsent(target: PasswordTarget, agreedHosts: readonly string[]): boolean {
  if (target.tls === true || isLoopbackHost(target.host)) return false;
  return !agreedHosts.includes(hostKey(target.host));
}

export class PasswordConsent {
  readonly #store: ConsentStore;
  readonly #ask: (host: string) => Thenable<boolean>;

  /** `ask`: the question to the user (a modal); true = send anyway. */
  constructor(store: ConsentStore, ask: (host: string) => Thenable<boolean>) {
    this.#store = store;
    this.#ask = ask;
  }

  /** True when a password may go to `target`: no need to ask, agreed before, or agreed now (remembered). */
  async allow(target: PasswordTarget): Promise<boolean> {
    const agreed = this.#agreed();
    if (!needsPasswordConsent(target, agreed)) return true;
    if (!(await this.#ask(target.host.trim()))) return false;
    const now = this.#agreed(); // another window may have added one meanwhile
    if (!now.includes(hostKey(target.host))) await this.#store.update(CONSENT_KEY, [...now, hostKey(target.host)]);
    return true;
  }

  #agreed(): string[] {
    const v = this.#store.get<unknown>(CONSENT_KEY);
    return Array.isArray(v) ? v.filter((h): h is string => typeof h === 'string') : [];
  }
}
