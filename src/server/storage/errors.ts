/** Thrown by openStore for a file it must not touch; `message` is one sentence for the operator. */
export class StoreOpenError extends Error {
  override name = 'StoreOpenError';
}

/** SQLite extended result code of an error thrown by node:sqlite, if any. */
export function sqliteCode(e: unknown): number | undefined {
  const c = (e as { errcode?: unknown }).errcode;
  return typeof c === 'number' ? c : undefined;
}

/** SQLITE_CONSTRAINT (19) and its extended codes (UNIQUE 2067, PRIMARYKEY 1555, FOREIGNKEY 787...). */
export function isConstraintError(e: unknown): boolean {
  const c = sqliteCode(e);
  return c !== undefined && (c & 0xff) === 19;
}
