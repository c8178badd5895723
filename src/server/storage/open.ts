// Opens (or creates) <dataDir>/chatroom.sqlite and applies the durability settings:
//
//  - journal_mode=WAL: a commit appends to the write-ahead log; readers never block the writer.
//  - synchronous=FULL: every COMMIT fsyncs the WAL before returning. With NORMAL a commit is safe
//    from a process crash (kill -9: the WAL is in the OS page cache) but the last commits can be
//    lost on power loss or an OS crash. "A relayed message is never lost" must hold for a machine
//    that loses power too, and group commit (messages.ts) keeps the fsync count low, so FULL.
//  - foreign_keys=ON, busy_timeout 5 s (another process, e.g. a backup, may hold a lock briefly;
//    the writer then blocks the event loop for up to that long rather than losing the message).
//  - journal_size_limit 64 MiB: the WAL is truncated back to that size after checkpoints.
//
// Permissions: the folder is created 0700 and the database file is kept 0600 (SQLite gives its
// -wal and -shm files the main file's mode), whatever the umask: the file holds every DM and the
// password hashes, and other users of a shared box must not read them.
//
// It refuses, with one readable sentence, a file that is not SQLite, an SQLite file that is not a
// Chat Room database, a damaged database (quick_check), and a database written by a newer Chat Room
// (higher schema version).
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { AnnotationStore } from './annotations.ts';
import { SqliteSearchStore } from './search.ts';
import { GuestDmStore } from './guestDms.ts';
import { SqliteAccountStore, DEFAULT_SCRYPT } from './accounts.ts';
import { SqliteChannelStore } from './channels.ts';
import { StoreOpenError } from './errors.ts';
import { SqliteHistoryStore } from './history.ts';
import { SqliteMessageStore } from './messages.ts';
import { SqliteOfflineQueue } from './offlineQueue.ts';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.ts';
import { SqliteReadMarkerStore } from './readMarkers.ts';
import type { Store, StoreOptions } from './types.ts';

export const DB_FILE_NAME = 'chatroom.sqlite';
/** PRAGMA application_id marking a Chat Room database: 'ChRm'. */
export const APPLICATION_ID = 0x4368526d;
const BUSY_TIMEOUT_MS = 5000;

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Creates the folder if needed, opens the database, migrates it. Throws StoreOpenError with a readable message. */
export function openStore(dataDir: string, opts: StoreOptions = {}): Store {
  const dir = resolve(dataDir);
  try {
    // mkdir's mode goes through the umask; the chmod makes it 0700 whatever the umask. Only a
    // folder we create is changed: an existing one keeps what its owner chose.
    if (mkdirSync(dir, { recursive: true, mode: DIR_MODE }) !== undefined) chmodSync(dir, DIR_MODE);
  } catch (e) {
    throw new StoreOpenError(`cannot create the data folder '${dir}': ${describe(e)}`);
  }
  const path = join(dir, DB_FILE_NAME);
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new StoreOpenError(`'${path}' is a folder, not a database file`);
  } catch (e) {
    if (e instanceof StoreOpenError) throw e;
  }
  try {
    keepPrivate(path);
  } catch (e) {
    throw new StoreOpenError(`cannot make the database '${path}' private (mode 0600): ${describe(e)}`);
  }

  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS, enableForeignKeyConstraints: true });
  } catch (e) {
    throw new StoreOpenError(`cannot open the database '${path}': ${describe(e)}`);
  }
  try {
    checkIdentity(db, path);
    checkIntact(db, path);
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const mode = (db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode: string }).journal_mode;
    if (mode.toLowerCase() !== 'wal') throw new StoreOpenError(`cannot switch '${path}' to WAL mode (got '${mode}'); is the folder on a network file system?`);
    db.exec('PRAGMA synchronous = FULL');
    // After a checkpoint the WAL is reused, not shrunk: cap what a burst can leave on disk.
    db.exec('PRAGMA journal_size_limit = 67108864');
    db.exec('PRAGMA foreign_keys = ON');
    migrate(db, path);
  } catch (e) {
    db.close();
    if (e instanceof StoreOpenError) throw e;
    throw new StoreOpenError(`cannot use the database '${path}': ${describe(e)}`);
  }
  return new SqliteStore(db, path, opts);
}

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** Creates the database file 0600 if missing (SQLite would use 0644 & ~umask) and tightens existing files. */
function keepPrivate(path: string): void {
  closeSync(openSync(path, 'a', FILE_MODE));
  for (const p of [path, `${path}-wal`, `${path}-shm`]) {
    const st = statSync(p, { throwIfNoEntry: false });
    if (st !== undefined && (st.mode & 0o077) !== 0) chmodSync(p, FILE_MODE);
  }
}

function checkIdentity(db: DatabaseSync, path: string): void {
  let appId: number;
  let version: number;
  let objects: number;
  try {
    appId = Number((db.prepare('PRAGMA application_id').get() as { application_id: number }).application_id);
    version = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
    objects = Number((db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n);
  } catch (e) {
    // SQLITE_NOTADB (26): "file is not a database"; also a truncated or encrypted file.
    throw new StoreOpenError(`'${path}' is not a Chat Room database (it is not an SQLite file: ${describe(e)}); move it away or choose another --data-dir`);
  }
  const fresh = appId === 0 && version === 0 && objects === 0;
  if (!fresh && appId !== APPLICATION_ID) {
    throw new StoreOpenError(`'${path}' is an SQLite database of another application (application_id ${appId}), not a Chat Room database; move it away or choose another --data-dir`);
  }
  if (version > SCHEMA_VERSION) {
    throw new StoreOpenError(
      `'${path}' was written by a newer Chat Room (schema version ${version}; this server knows up to ${SCHEMA_VERSION}); upgrade the server or choose another --data-dir`,
    );
  }
}

/**
 * A damaged file (a disk fault, a copy taken mid-write) can have a valid header and bad pages, which
 * SQLite reports only when a query reaches them: some history pages would come back short with no
 * error, and new messages would be written into a broken file. PRAGMA quick_check reads every page
 * once (≈ 1 s per million stored messages, measured) and the server refuses to start on a failure.
 */
function checkIntact(db: DatabaseSync, path: string): void {
  let problems: string[];
  try {
    problems = (db.prepare('PRAGMA quick_check(3)').all() as { quick_check: string }[]).map((r) => r.quick_check);
  } catch (e) {
    problems = [describe(e)];
  }
  if (problems.length === 1 && problems[0] === 'ok') return;
  throw new StoreOpenError(
    `'${path}' is damaged (SQLite: ${problems.join('; ')}); restore it from a backup, or move it away to start with an empty database`,
  );
}

function migrate(db: DatabaseSync, path: string): void {
  let version = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  while (version < SCHEMA_VERSION) {
    const step = MIGRATIONS[version] as (typeof MIGRATIONS)[number];
    db.exec('BEGIN IMMEDIATE');
    try {
      step(db);
      // PRAGMAs that write the header take part in the transaction: the bump commits with the step.
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
      db.exec('COMMIT');
    } catch (e) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw new StoreOpenError(`migrating '${path}' to schema version ${version + 1} failed: ${describe(e)}`);
    }
    version++;
  }
}

class SqliteStore implements Store {
  readonly path: string;
  readonly accounts: SqliteAccountStore;
  readonly channels: SqliteChannelStore;
  readonly messages: SqliteMessageStore;
  readonly history: SqliteHistoryStore;
  readonly readMarkers: SqliteReadMarkerStore;
  readonly offline: SqliteOfflineQueue;
  readonly annotations: AnnotationStore;
  readonly search: SqliteSearchStore;
  readonly guestDms: GuestDmStore;
  private readonly db: DatabaseSync;
  private isOpen = true;

  constructor(db: DatabaseSync, path: string, opts: StoreOptions) {
    this.db = db;
    this.path = path;
    this.accounts = new SqliteAccountStore(db, opts.scrypt ?? DEFAULT_SCRYPT);
    this.channels = new SqliteChannelStore(db);
    this.messages = new SqliteMessageStore(db, opts.writerThread === false ? undefined : { path, busyTimeoutMs: BUSY_TIMEOUT_MS });
    this.history = new SqliteHistoryStore(db);
    this.readMarkers = new SqliteReadMarkerStore(db);
    this.offline = new SqliteOfflineQueue(db);
    this.annotations = new AnnotationStore(db);
    this.search = new SqliteSearchStore(db);
    this.guestDms = new GuestDmStore(db);
  }

  get schemaVersion(): number {
    return Number((this.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  }

  integrityCheck(): string {
    const rows = this.db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('\n');
  }

  close(): void {
    if (!this.isOpen) return;
    try {
      this.messages.close();
    } finally {
      this.isOpen = false;
      try {
        // Fold the WAL back into the main file so the folder holds one self-contained file at rest.
        this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      } catch {
        // not fatal: the WAL is replayed at the next open
      }
      this.db.close();
    }
  }
}
