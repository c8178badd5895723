// Client-only tags with IRCv3 specs that server and extension both read, spelled once here.

/** https://ircv3.net/specs/client-tags/reply: the msgid of the message this one answers or reacts to. */
export const REPLY_TAG = '+draft/reply';
/** https://ircv3.net/specs/client-tags/react: a reaction (emoji or short text) to the `+draft/reply` message. */
export const REACT_TAG = '+draft/react';
/** Takes back a reaction given with REACT_TAG (same value, same `+draft/reply`). */
export const UNREACT_TAG = '+draft/unreact';

/**
 * Chat Room's bounds on stored reactions (the spec leaves values unrestricted): a reaction is at
 * most this many bytes, and one user keeps at most REACTIONS_PER_USER on one message.
 */
export const MAX_REACTION_BYTES = 64;
export const REACTIONS_PER_USER = 20;
