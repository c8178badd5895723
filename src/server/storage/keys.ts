// Storage keys for message targets. Channel keys are the casefolded name ('#room'); a DM key names
// both parties, casefolded, sorted and joined by a space: 'alice bob'. Nicks and account names
// cannot contain a space and channel names start with a channel type, so the two never collide,
// and alice->bob and bob->alice share one conversation.
import { casefold } from '../../protocol/casemap.ts';

export function fold(name: string): string {
  return casefold(name);
}

export function channelKey(name: string): string {
  return casefold(name);
}

/** The conversation key of a direct message between two parties (account name if logged in, else nick). */
export function dmKey(a: string, b: string): string {
  return dmKeyFolded(casefold(a), casefold(b));
}

/** dmKey() of two names already casefolded. */
export function dmKeyFolded(x: string, y: string): string {
  return x <= y ? `${x} ${y}` : `${y} ${x}`;
}
