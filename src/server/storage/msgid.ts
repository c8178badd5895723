// msgid values (IRCv3 message-ids: "an opaque string... unique"): 16 random bytes in base64url,
// 22 characters, URL- and tag-safe (no escaping needed), 128 bits so collisions never happen in practice.
import { randomBytes } from 'node:crypto';

export function newMsgid(): string {
  return randomBytes(16).toString('base64url');
}
