// Words the view shows for protocol values: connection states, presence, commands, line states.
// Presence is never colour only: every dot carries one of these as its title / aria-label.
import type { ConnectionView, LineState, Presence, WebviewCommand } from '../messages.ts';

/** The header's sentence. "Not connected" / "Connected as <nick>" are what the e2e tests read. */
export function connectionText(c: ConnectionView): string {
  switch (c.state) {
    case 'disconnected':
      return 'Not connected';
    case 'connecting':
      return `Connecting to ${c.server}…`;
    case 'connected':
      return `Connected as ${c.nick}`;
    case 'reconnecting':
      return `Reconnecting to ${c.server}…`;
  }
}

/** The line under "Not connected": where Connect goes and the port Host would use (it wraps). */
export function connectTargetText(c: ConnectionView): string {
  // Connected: the server of the list it is on, and once what this server lacks.
  if (c.state === 'connected') return [...(c.fromList ? [`On ${c.server}`] : []), ...(c.limits ? [c.limits] : [])].join(' · ');
  if (c.state !== 'disconnected') return '';
  const parts: string[] = [];
  if (c.target) parts.push(`Connect goes to ${c.target}`);
  if (c.hostPort !== undefined) parts.push(`Host uses port ${c.hostPort}`);
  return parts.join(' · ');
}

const PRESENCE_WORDS: Readonly<Record<Presence, string>> = { online: 'online', away: 'away', busy: 'busy', offline: 'offline' };

/** "busy: in a meeting", or just "online". */
export function presenceLabel(presence: Presence, message?: string): string {
  const word = PRESENCE_WORDS[presence] ?? 'offline';
  return message ? `${word}: ${message}` : word;
}

export function isPresence(v: unknown): v is Presence {
  return typeof v === 'string' && Object.hasOwn(PRESENCE_WORDS, v);
}

export const COMMAND_LABELS: Readonly<Record<WebviewCommand, string>> = {
  connect: 'Connect',
  host: 'Host a Server',
  disconnect: 'Disconnect',
  retry: 'Retry',
  openSettings: 'Open Settings',
  login: 'Log In',
  register: 'Register',
  setStatus: 'Set Status',
  joinRoom: 'Join Room',
  messageUser: 'Message User',
  saveTranscript: 'Save Transcript',
  clearTranscript: 'Clear Transcript',
  useAnotherPort: 'Use Another Port',
  searchMessages: 'Search Messages',
};

export const LINE_STATE_LABELS: Readonly<Record<LineState, string>> = {
  pending: 'Sending…',
  delivered: 'Delivered',
  stored: "Will be delivered when they're back",
  failed: 'Not sent',
};

/** "#general, 3 unread, 1 mention" for a conversation row's aria-label. */
export function conversationLabel(name: string, unread: number, mentions: number, presence?: Presence): string {
  const parts = [name];
  if (presence) parts.push(presenceLabel(presence));
  if (unread > 0) parts.push(`${unread} unread`);
  if (mentions > 0) parts.push(`${mentions} ${mentions === 1 ? 'mention' : 'mentions'}`);
  return parts.join(', ');
}
