// Accounts: SASL results (900/901), account-notify for ourselves, and draft/account-registration
// (https://ircv3.net/specs/extensions/account-registration): `REGISTER <account> <email|*> <password>`
// answered by `REGISTER SUCCESS`, `REGISTER VERIFICATION_REQUIRED` or `FAIL REGISTER <code>`.
import { CAP } from '../../protocol/caps.ts';
import { ircMessage } from '../../protocol/message.ts';
import { ClientError } from './errors.ts';
import type { Fires, Link } from './link.ts';

export interface RegisterRequest {
  account: string;
  password: string;
  email?: string;
}

export interface RegisterResult {
  account: string;
  /** The server wants the address confirmed first (VERIFY). */
  verificationRequired: boolean;
  message: string;
}

export class Accounts {
  /** Our account: undefined unknown, null logged out. */
  account: string | null | undefined;
  preRegisterDone = false;
  readonly #waiters: Array<{ resolve: (r: RegisterResult) => void; reject: (e: ClientError) => void; preConnect: boolean }> = [];

  /** Registration is possible now: before-connect in the unregistered phase, else once registered. */
  supported(s: Pick<Link, 'caps'>): boolean {
    return s.caps.offered.has(CAP.accountRegistration);
  }

  sendRegister(s: Pick<Link, 'registered' | 'send'>, req: RegisterRequest): Promise<RegisterResult> {
    return new Promise((resolve, reject) => {
      this.#waiters.push({ resolve, reject, preConnect: !s.registered });
      s.send(ircMessage('REGISTER', [req.account, req.email && req.email !== '' ? req.email : '*', req.password]));
    });
  }

  /** REGISTER SUCCESS / VERIFICATION_REQUIRED <account> :<message> */
  succeeded(s: Pick<Link, 'maybeEndCap' | 'registration'> & Fires<'account'>, kind: string, account: string, message: string): void {
    const w = this.#waiters.shift();
    const verificationRequired = kind.toUpperCase() === 'VERIFICATION_REQUIRED';
    if (!verificationRequired) this.loggedIn(s, account);
    if (w?.preConnect) {
      this.preRegisterDone = true;
      s.registration.preRegisterPending = false;
      s.maybeEndCap();
    }
    w?.resolve({ account, verificationRequired, message });
  }

  /** FAIL REGISTER <code> ... :<description> */
  failed(s: Pick<Link, 'fail' | 'registration'> & Fires<'error'>, code: string, description: string): void {
    const w = this.#waiters.shift();
    const err = new ClientError(code === 'WEAK_PASSWORD' ? 'bad-password' : 'protocol', `Account registration failed: ${description}`, { serverCode: code });
    if (w?.preConnect) {
      s.registration.preRegisterPending = false;
      s.fail(err);
    }
    if (w) w.reject(err);
    else s.events.error.fire(err);
  }

  loggedIn(s: Fires<'account'>, account: string | null): void {
    if (this.account === account) return;
    this.account = account;
    s.events.account.fire(account);
  }

  abortAll(reason: string): void {
    for (const w of this.#waiters.splice(0)) w.reject(new ClientError('closed', reason));
  }
}
