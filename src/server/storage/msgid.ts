// msgid values (IRCv3 message-ids: "an opaque string... unique"): 16 random bytes in base64url,
// 22 characters, URL- and tag-safe (no escaping needed), 128 bits so collisions never happen in practice.
// The random bytes are drawn 4 KiB at a time: one randomFillSync per 256 messages instead of one
// per message (it showed in the DM profile).
import { randomFillSync } from 'node:crypto';

const ID_BYTES = 16;
const pool = Buffer.allocUnsafe(ID_BYTES * 256);
let offset = pool.length;

export function newMsgid(): string {
  if (offset + ID_BYTES > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString('base64url', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return id;
}
