// IRCv3 capability names, spelled as the specs spell them (https://ircv3.net/registry#capabilities).
// Defined once here so server and client cannot drift apart.
export const CAP = {
  accountNotify: 'account-notify',
  accountTag: 'account-tag',
  awayNotify: 'away-notify',
  batch: 'batch',
  capNotify: 'cap-notify',
  chghost: 'chghost',
  echoMessage: 'echo-message',
  extendedJoin: 'extended-join',
  extendedMonitor: 'extended-monitor',
  inviteNotify: 'invite-notify',
  labeledResponse: 'labeled-response',
  messageTags: 'message-tags',
  multiPrefix: 'multi-prefix',
  sasl: 'sasl',
  serverTime: 'server-time',
  setname: 'setname',
  standardReplies: 'standard-replies',
  userhostInNames: 'userhost-in-names',
  accountRegistration: 'draft/account-registration',
  chathistory: 'draft/chathistory',
  eventPlayback: 'draft/event-playback',
  messageRedaction: 'draft/message-redaction',
  /** Server-side search (soju's extension: https://soju.im/doc/ext/search.html). */
  search: 'soju.im/search',
  multiline: 'draft/multiline',
  readMarker: 'draft/read-marker',
} as const;

export type CapName = (typeof CAP)[keyof typeof CAP];

/** Batch types used with the batch capability. */
export const BATCH_TYPE = {
  chathistory: 'chathistory',
  /** The reply to CHATHISTORY TARGETS (draft/chathistory). */
  chathistoryTargets: 'draft/chathistory-targets',
  multiline: 'draft/multiline',
  /** The reply to SEARCH (soju.im/search). */
  search: 'soju.im/search',
  labeledResponse: 'labeled-response',
} as const;

/** Parses a CAP LS/NEW value list: `name` or `name=value`, space separated. */
export function parseCapList(text: string): Map<string, string> {
  const caps = new Map<string, string>();
  for (const item of text.split(' ')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    caps.set(eq === -1 ? item : item.slice(0, eq), eq === -1 ? '' : item.slice(eq + 1));
  }
  return caps;
}
