// The webview <-> extension contract, declared once. The extension imports the types (and the pure
// validator below); the webview imports everything. No DOM and no vscode here: both sides compile it.

/** What the view shows about the connection. */
export type ConnectionView =
  | { readonly state: 'disconnected'; readonly error?: string }
  | { readonly state: 'connecting'; readonly server: string }
  | { readonly state: 'connected'; readonly server: string; readonly nick: string }
  | { readonly state: 'reconnecting'; readonly server: string; readonly nick: string };

/** One chat line as the view renders it (plain text: never HTML). */
export interface ChatLine {
  readonly id: string;
  readonly from: string;
  readonly text: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly self: boolean;
  readonly kind: 'privmsg' | 'notice' | 'action';
}

/** Everything the view needs to draw itself from nothing (after `ready`). */
export interface Snapshot {
  readonly connection: ConnectionView;
  /** The room the composer sends to, if joined. */
  readonly room: string | undefined;
  readonly messages: readonly ChatLine[];
}

export type ToWebview =
  | { readonly type: 'snapshot'; readonly snapshot: Snapshot }
  | { readonly type: 'connection'; readonly connection: ConnectionView; readonly room: string | undefined }
  | { readonly type: 'message'; readonly room: string; readonly line: ChatLine };

export type FromWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'send'; readonly text: string }
  | { readonly type: 'run'; readonly command: WebviewCommand };

/** Commands the view may ask for (buttons); the extension maps them to its own command ids. */
export const WEBVIEW_COMMANDS = ['connect', 'host'] as const;
export type WebviewCommand = (typeof WEBVIEW_COMMANDS)[number];

/** Longest text the composer may send at once; the extension splits into IRC lines itself. */
export const MAX_SEND_CHARS = 16_384;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks a message that arrived from the webview. The webview runs our code, but its content is
 * shaped by network text, so the extension trusts nothing it did not check. Returns undefined
 * for anything malformed.
 */
export function parseFromWebview(value: unknown): FromWebview | undefined {
  if (!isRecord(value)) return undefined;
  switch (value['type']) {
    case 'ready':
      return { type: 'ready' };
    case 'send': {
      const text = value['text'];
      if (typeof text !== 'string' || text.length === 0 || text.length > MAX_SEND_CHARS) return undefined;
      return { type: 'send', text };
    }
    case 'run': {
      const command = value['command'];
      const known = WEBVIEW_COMMANDS.find((c) => c === command);
      return known ? { type: 'run', command: known } : undefined;
    }
    default:
      return undefined;
  }
}
