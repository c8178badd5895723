// Durable storage for the server: accounts, registered channels (roles, bans), messages, history
// queries and read markers, in one SQLite file. See types.ts for the API and open.ts for durability.
//
//   const store = openStore(config.dataDir);         // throws a readable Error on a foreign/newer file
//   const saved = await store.messages.enqueue(msg);  // durable when this resolves: now relay it
//   store.close();                                    // on shutdown: commits what is pending
export { openStore, DB_FILE_NAME } from './open.ts';
export { channelKey, dmKey } from './keys.ts';
export { newMsgid } from './msgid.ts';
export { storedTagBytes } from './messages.ts';
export { StoreOpenError } from './errors.ts';
export { formatServerTime, parseHistoryPoint, MAX_QUERY_LIMIT } from './history.ts';
export { DEFAULT_SCRYPT, type ScryptParams } from './accounts.ts';
export { SCHEMA_VERSION } from './migrations.ts';
export type * from './types.ts';
