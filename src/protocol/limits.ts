// Line-length limits from the specs, in bytes (not characters).

/** RFC 1459 §2.3: a message, CRLF included, is at most 512 bytes (tags excluded). */
export const MAX_LINE_BYTES = 512;
/** message-tags: the tag section a server accepts from a client is at most 4096 bytes including '@' and the space. */
export const MAX_CLIENT_TAG_BYTES = 4096;
/** message-tags: tags a server sends (client + server tags) may take 8191 bytes including '@' and the space. */
export const MAX_TAG_BYTES = 8191;
/** The most bytes one incoming line may have before we stop buffering it: tags + body. */
export const MAX_INCOMING_LINE_BYTES = MAX_TAG_BYTES + MAX_LINE_BYTES;

/**
 * Bytes left for the text of `:source COMMAND target :text\r\n` within MAX_LINE_BYTES: what a
 * relayed message may carry once the server has put the sender's source in front of it.
 */
export function textBytesLeft(source: string, command: string, target: string): number {
  return MAX_LINE_BYTES - Buffer.byteLength(`:${source} ${command} ${target} :\r\n`);
}
