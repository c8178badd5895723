// Accounts: scrypt password hashes (node:crypto) with a per-account random salt and the cost
// parameters stored beside each hash, so they can be raised later without breaking old accounts
// (a successful login re-hashes with the current parameters).
//
// scrypt is deliberately slow (~50 ms at N=2^14): it runs through the async crypto.scrypt on
// libuv's thread pool so the event loop keeps serving other clients meanwhile.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { isConstraintError } from './errors.ts';
import { fold } from './keys.ts';
import type { Account, AccountStore, CreateAccountResult } from './types.ts';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** OWASP's minimum for scrypt (N=2^14... 2^17, r=8, p=1); 2^14 keeps a login under ~50 ms on a laptop. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 16384, r: 8, p: 1 };
const KEY_LEN = 64;
const SALT_LEN = 16;
/** Bounds: a name is an IRC nick-like token; a password is at most 1 KiB (SASL/REGISTER lines are short anyway). */
const MAX_NAME = 64;
const MAX_PASSWORD_BYTES = 1024;
const MAX_EMAIL = 254;

/** The key-derivation function: scrypt by default; tests wrap it to observe the work done. */
export type Kdf = (password: string, salt: Buffer, params: ScryptParams) => Promise<Buffer>;

export const scrypt: Kdf = (password, salt, params) => {
  // maxmem must exceed 128*N*r*p bytes (Node's default 32 MiB is too small above N=2^15, r=8).
  const opts: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r * params.p + 32 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scryptCb(password, salt, KEY_LEN, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
};

interface AccountRow {
  name: string;
  display_name: string;
  password_hash: Uint8Array;
  salt: Uint8Array;
  scrypt_n: number;
  scrypt_r: number;
  scrypt_p: number;
  email: string | null;
  verified: number;
  created_at: number;
}

function toAccount(r: AccountRow): Account {
  return { name: r.name, displayName: r.display_name, email: r.email, verified: r.verified !== 0, createdAt: r.created_at };
}

function invalidName(name: string): string | undefined {
  if (name.length === 0) return 'the account name is empty';
  if (name.length > MAX_NAME) return `the account name is longer than ${MAX_NAME} characters`;
  if (/[\s\0-\x1f\x7f,*?!@]/.test(name)) return 'the account name contains a space, control character or one of , * ? ! @';
  return undefined;
}

function invalidPassword(password: string): string | undefined {
  if (password.length === 0) return 'the password is empty';
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) return `the password is longer than ${MAX_PASSWORD_BYTES} bytes`;
  if (password.includes('\0')) return 'the password contains a NUL character';
  return undefined;
}

function invalidEmail(email: string): string | undefined {
  if (email.length > MAX_EMAIL || !/^[^\s@]+@[^\s@]+$/.test(email)) return `'${email.slice(0, 60)}' is not an email address`;
  return undefined;
}

export class SqliteAccountStore implements AccountStore {
  private readonly params: ScryptParams;
  private readonly kdf: Kdf;
  private readonly get: StatementSync;
  private readonly insert: StatementSync;
  private readonly updateHash: StatementSync;
  private readonly updateVerified: StatementSync;
  private readonly countAll: StatementSync;
  /** A fixed fake account used for unknown names, so they cost the same scrypt work. */
  private readonly dummySalt = randomBytes(SALT_LEN);
  private readonly dummyHash = randomBytes(KEY_LEN);

  constructor(db: DatabaseSync, params: ScryptParams = DEFAULT_SCRYPT, kdf: Kdf = scrypt) {
    this.params = params;
    this.kdf = kdf;
    this.get = db.prepare('SELECT * FROM accounts WHERE name = ?');
    this.insert = db.prepare(
      `INSERT INTO accounts (name, display_name, password_hash, salt, scrypt_n, scrypt_r, scrypt_p, email, verified, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
    );
    this.updateHash = db.prepare('UPDATE accounts SET password_hash = ?, salt = ?, scrypt_n = ?, scrypt_r = ?, scrypt_p = ? WHERE name = ?');
    this.updateVerified = db.prepare('UPDATE accounts SET verified = ? WHERE name = ?');
    this.countAll = db.prepare('SELECT count(*) AS n FROM accounts');
  }

  private row(name: string): AccountRow | undefined {
    return this.get.get(fold(name)) as AccountRow | undefined;
  }

  async createAccount(name: string, password: string, email: string | null = null): Promise<CreateAccountResult> {
    const bad = invalidName(name) ?? invalidPassword(password) ?? (email !== null ? invalidEmail(email) : undefined);
    if (bad) return { ok: false, error: 'invalid', message: bad };
    if (this.row(name)) return { ok: false, error: 'exists', message: `the account name '${name}' is already registered` };
    const salt = randomBytes(SALT_LEN);
    const hash = await this.kdf(password, salt, this.params);
    const now = Date.now();
    try {
      this.insert.run(fold(name), name, hash, salt, this.params.N, this.params.r, this.params.p, email, now);
    } catch (e) {
      // Two registrations raced past the check above: the primary key decides.
      if (isConstraintError(e)) return { ok: false, error: 'exists', message: `the account name '${name}' is already registered` };
      throw e;
    }
    return { ok: true, account: { name: fold(name), displayName: name, email, verified: false, createdAt: now } };
  }

  async verifyPassword(name: string, password: string): Promise<Account | null> {
    const row = invalidName(name) ? undefined : this.row(name);
    const salt = row ? Buffer.from(row.salt) : this.dummySalt;
    const expected = row ? Buffer.from(row.password_hash) : this.dummyHash;
    const params = row ? { N: row.scrypt_n, r: row.scrypt_r, p: row.scrypt_p } : this.params;
    // Always hash (unknown names too) and always compare in constant time: no timing oracle.
    // An oversized password is truncated for the dummy work only; it can never match.
    const tooLong = Buffer.byteLength(password) > MAX_PASSWORD_BYTES;
    const actual = await this.kdf(tooLong ? password.slice(0, MAX_PASSWORD_BYTES) : password, salt, params);
    const same = actual.length === expected.length && timingSafeEqual(actual, expected);
    if (!row || !same || tooLong) return null;
    if (row.scrypt_n !== this.params.N || row.scrypt_r !== this.params.r || row.scrypt_p !== this.params.p) {
      // Parameters were raised since this hash was made: upgrade it now that we know the password.
      await this.setPassword(name, password).catch(() => undefined);
    }
    return toAccount(row);
  }

  async setPassword(name: string, password: string): Promise<boolean> {
    if (invalidPassword(password) || !this.row(name)) return false;
    const salt = randomBytes(SALT_LEN);
    const hash = await this.kdf(password, salt, this.params);
    return Number(this.updateHash.run(hash, salt, this.params.N, this.params.r, this.params.p, fold(name)).changes) > 0;
  }

  getAccount(name: string): Account | null {
    const r = this.row(name);
    return r ? toAccount(r) : null;
  }

  setVerified(name: string, verified: boolean): boolean {
    return Number(this.updateVerified.run(verified ? 1 : 0, fold(name)).changes) > 0;
  }

  countAccounts(): number {
    return Number((this.countAll.get() as { n: number }).n);
  }
}
