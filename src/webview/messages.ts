// The webview <-> extension contract, declared once. The extension imports the types (and the pure
// validator below); the webview imports everything. No DOM and no vscode here: both sides compile it.
//
// The extension is the source of truth. After the view says `ready` it sends a full `snapshot`,
// then small updates. The view asks for actions; it never talks to the network.

export type Presence = 'online' | 'away' | 'busy' | 'offline';

/** What the view shows about the connection. */
export type ConnectionView =
  /** `target`: where Chat: Connect goes with the current settings, e.g. "127.0.0.1:6697 with TLS". */
  /** `hostPort`: the port Chat: Host would start the server on (chatroom.server.port). */
  | { readonly state: 'disconnected'; readonly error?: ErrorView; readonly target?: string; readonly hostPort?: number }
  | { readonly state: 'connecting'; readonly server: string }
  | {
      readonly state: 'connected';
      readonly server: string;
      readonly nick: string;
      readonly account?: string;
      readonly hosting?: boolean;
      /** Message actions the server supports (reactions, replies, deletion, search, history around a message). */
      readonly features?: readonly MessageFeature[];
      /** What this server lacks that Chat would use (history, read markers, receipts), said once in the header. */
      readonly limits?: string;
      /** Connected through chatroom.servers (several servers): the header says which one. */
      readonly fromList?: boolean;
    }
  | { readonly state: 'reconnecting'; readonly server: string; readonly nick: string; readonly error?: ErrorView };

/** An error the user can act on: a sentence and buttons that run view commands. */
export interface ErrorView {
  readonly message: string;
  readonly actions: readonly WebviewCommand[];
}

/** Me: nick and chosen status. */
export interface SelfView {
  readonly nick: string;
  readonly status: Presence;
  readonly statusMessage?: string;
}

/** A room or a direct conversation in the sidebar list. `id` is stable (casefolded name). */
export interface ConversationView {
  readonly id: string;
  readonly name: string;
  readonly kind: 'room' | 'dm';
  /** Rooms: still a member. DMs: always true. */
  readonly joined: boolean;
  readonly unread: number;
  readonly mentions: number;
  readonly topic?: string;
  /** DMs: the other party's presence. */
  readonly presence?: Presence;
  /** DMs: the other party's away/busy message. */
  readonly statusMessage?: string;
}

export interface MemberView {
  readonly nick: string;
  /** Highest channel prefix: '@' operator, '+' voice, '' none. */
  readonly prefix: string;
  readonly presence: Presence;
  readonly statusMessage?: string;
  readonly account?: string;
  readonly bot?: boolean;
}

/** A shared editor selection. `path` is workspace-relative with '/' separators. */
export interface SnippetView {
  readonly path: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  /** A VS Code language id or file extension, for the code block's label only. */
  readonly language: string;
  readonly code: string;
  /** The commit the file was at when shared (git), and whether the file differed from it. */
  readonly commit?: string;
  readonly dirty?: boolean;
}

export type LineState = 'pending' | 'delivered' | 'stored' | 'failed';

/** One reaction under a message: who gave it (nicks as the server spells them) and whether I did. */
export interface ReactionView {
  readonly reaction: string;
  readonly nicks: readonly string[];
  readonly mine: boolean;
}

/** The message a reply answers: its id, and when it is known, its author and the start of its text. */
export interface ReplyView {
  readonly id: string;
  readonly from?: string;
  readonly text?: string;
}

/** What the server lets us do to messages (capabilities): actions it lacks are not shown. */
export type MessageFeature = 'react' | 'reply' | 'delete' | 'search' | 'around';

/** One chat line as the view renders it (plain text: never HTML). */
export interface ChatLine {
  /** msgid from the server, or the client's local id while pending. Unique per conversation. */
  readonly id: string;
  readonly from: string;
  readonly text: string;
  /** Milliseconds since the epoch (server time when known). */
  readonly time: number;
  readonly self: boolean;
  /** `event`: join/part/quit/nick/topic/kick lines ("alice joined"), drawn smaller. */
  readonly kind: 'privmsg' | 'notice' | 'action' | 'event';
  /** Our own messages: delivery state; `reason` when failed (the server's words). */
  readonly state?: LineState;
  readonly reason?: string;
  /** The line mentions my nick. */
  readonly mention?: boolean;
  /** Set when the text is a shared snippet (the text then holds its wire form). */
  readonly snippet?: SnippetView;
  /** The server's msgid: reactions, replies and deletion name a message by it (absent: no actions). */
  readonly msgid?: string;
  /** This message answers another (`+draft/reply`). */
  readonly replyTo?: ReplyView;
  /** Reactions, in the order they were first given. */
  readonly reactions?: readonly ReactionView[];
  /** Deleted (REDACT): the text is gone, the line says so. */
  readonly deleted?: boolean;
}

/** Everything the view needs to draw itself from nothing (after `ready`). */
export interface Snapshot {
  readonly connection: ConnectionView;
  readonly self: SelfView | undefined;
  readonly conversations: readonly ConversationView[];
  /** The open conversation's id, if any. */
  readonly active: string | undefined;
  /** Members of the active room (empty for DMs). */
  readonly members: readonly MemberView[];
  /** The active conversation's lines, oldest first (a window: older pages come on request). */
  readonly lines: readonly ChatLine[];
  /** The server has older lines for the active conversation (CHATHISTORY). */
  readonly hasOlder: boolean;
  /** Nicks typing in the active conversation. */
  readonly typing: readonly string[];
  /** The lines are a page around an older message (a reply's parent, a search hit), not the latest. */
  readonly around?: boolean;
}

export type ToWebview =
  | { readonly type: 'snapshot'; readonly snapshot: Snapshot }
  | { readonly type: 'connection'; readonly connection: ConnectionView; readonly self: SelfView | undefined }
  | { readonly type: 'conversations'; readonly conversations: readonly ConversationView[] }
  | { readonly type: 'members'; readonly conversation: string; readonly members: readonly MemberView[] }
  /** New or older lines of a conversation. `prepend` = an older page (scroll-back). */
  | { readonly type: 'lines'; readonly conversation: string; readonly lines: readonly ChatLine[]; readonly position: 'append' | 'prepend'; readonly hasOlder?: boolean }
  /** A line changed (delivery state, or a pending id replaced by the server's msgid). */
  | { readonly type: 'lineState'; readonly conversation: string; readonly id: string; readonly newId?: string; readonly state: LineState; readonly reason?: string }
  | { readonly type: 'typing'; readonly conversation: string; readonly nicks: readonly string[] }
  /** A line changed as a whole (a reaction, a deletion): replace the line with this id. */
  | { readonly type: 'lineUpdate'; readonly conversation: string; readonly line: ChatLine }
  /** Scroll to a line and highlight it (a reply's parent, a search result). */
  | { readonly type: 'reveal'; readonly conversation: string; readonly id: string }
  /** The conversation was cleared in the view (Chat: Clear Transcript); server history untouched. */
  | { readonly type: 'cleared'; readonly conversation: string }
  | { readonly type: 'focusComposer' };

export type FromWebview =
  | { readonly type: 'ready' }
  /** Send text to a conversation; several lines become one multiline message. `replyTo`: a msgid it answers. */
  | { readonly type: 'send'; readonly conversation: string; readonly text: string; readonly replyTo?: string }
  /** Toggle my reaction on a line (given → taken back, else given). */
  | { readonly type: 'react'; readonly conversation: string; readonly id: string; readonly reaction: string }
  /** Delete a line (the extension asks first; the server decides). */
  | { readonly type: 'deleteLine'; readonly conversation: string; readonly id: string }
  /** Copy a line's text (the extension takes it from its own copy of the line). */
  | { readonly type: 'copyLine'; readonly conversation: string; readonly id: string }
  /** Show a line (a reply's parent), loading history around it when it is not held. */
  | { readonly type: 'jumpTo'; readonly conversation: string; readonly id: string }
  | { readonly type: 'open'; readonly conversation: string }
  | { readonly type: 'openDm'; readonly nick: string }
  | { readonly type: 'leave'; readonly conversation: string }
  | { readonly type: 'loadOlder'; readonly conversation: string }
  | { readonly type: 'retry'; readonly conversation: string; readonly id: string }
  | { readonly type: 'markRead'; readonly conversation: string }
  | { readonly type: 'typing'; readonly conversation: string; readonly state: 'active' | 'paused' | 'done' }
  /** Open a snippet's file at its line; the extension checks the path stays in the workspace. */
  | { readonly type: 'openSnippet'; readonly path: string; readonly line: number; readonly conversation?: string; readonly id?: string }
  /** Open a link from a message; the extension allows http(s) only and asks VS Code to open it. */
  | { readonly type: 'openLink'; readonly url: string }
  | { readonly type: 'run'; readonly command: WebviewCommand };

/** Commands the view may ask for (buttons, error actions); the extension maps them to its command ids. */
export const WEBVIEW_COMMANDS = [
  'connect',
  'host',
  'disconnect',
  'retry',
  'openSettings',
  'login',
  'register',
  'setStatus',
  'joinRoom',
  'messageUser',
  'saveTranscript',
  'clearTranscript',
  'useAnotherPort',
  'searchMessages',
] as const;
export type WebviewCommand = (typeof WEBVIEW_COMMANDS)[number];

/** Longest text the composer may send at once (the client splits it into IRC lines). */
export const MAX_SEND_CHARS = 16_384;
/** Longest conversation id / nick / path the view may name. */
const MAX_NAME_CHARS = 512;
const MAX_URL_CHARS = 2048;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function name(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_NAME_CHARS ? v : undefined;
}

type Parser = (v: Record<string, unknown>) => FromWebview | undefined;

/** A reaction is an emoji or a short word (the client core takes at most 64 characters). */
export const MAX_REACTION_CHARS = 64;

function lineRef<T extends 'deleteLine' | 'copyLine' | 'jumpTo'>(type: T, v: Record<string, unknown>): Extract<FromWebview, { type: T }> | undefined {
  const conversation = name(v['conversation']);
  const id = name(v['id']);
  return conversation && id ? ({ type, conversation, id } as Extract<FromWebview, { type: T }>) : undefined;
}

// One parser per message type: the table keeps each check next to its shape.
const PARSERS: { readonly [K in FromWebview['type']]: Parser } = {
  ready: () => ({ type: 'ready' }),
  send: (v) => {
    const conversation = name(v['conversation']);
    const text = v['text'];
    if (!conversation || typeof text !== 'string' || text.trim().length === 0 || text.length > MAX_SEND_CHARS) return undefined;
    const replyTo = v['replyTo'] === undefined ? undefined : name(v['replyTo']);
    if (v['replyTo'] !== undefined && replyTo === undefined) return undefined;
    return replyTo !== undefined ? { type: 'send', conversation, text, replyTo } : { type: 'send', conversation, text };
  },
  react: (v) => {
    const conversation = name(v['conversation']);
    const id = name(v['id']);
    const reaction = v['reaction'];
    if (!conversation || !id || typeof reaction !== 'string' || reaction.trim() === '' || reaction.length > MAX_REACTION_CHARS || /[\s]/.test(reaction)) return undefined;
    return { type: 'react', conversation, id, reaction };
  },
  deleteLine: (v) => lineRef('deleteLine', v),
  copyLine: (v) => lineRef('copyLine', v),
  jumpTo: (v) => lineRef('jumpTo', v),
  open: (v) => {
    const conversation = name(v['conversation']);
    return conversation ? { type: 'open', conversation } : undefined;
  },
  openDm: (v) => {
    const nick = name(v['nick']);
    return nick ? { type: 'openDm', nick } : undefined;
  },
  leave: (v) => {
    const conversation = name(v['conversation']);
    return conversation ? { type: 'leave', conversation } : undefined;
  },
  loadOlder: (v) => {
    const conversation = name(v['conversation']);
    return conversation ? { type: 'loadOlder', conversation } : undefined;
  },
  retry: (v) => {
    const conversation = name(v['conversation']);
    const id = name(v['id']);
    return conversation && id ? { type: 'retry', conversation, id } : undefined;
  },
  markRead: (v) => {
    const conversation = name(v['conversation']);
    return conversation ? { type: 'markRead', conversation } : undefined;
  },
  typing: (v) => {
    const conversation = name(v['conversation']);
    const state = v['state'];
    if (!conversation || (state !== 'active' && state !== 'paused' && state !== 'done')) return undefined;
    return { type: 'typing', conversation, state };
  },
  openSnippet: (v) => {
    const path = name(v['path']);
    const line = v['line'];
    if (!path || typeof line !== 'number' || !Number.isInteger(line) || line < 1) return undefined;
    // The line it is in: the extension takes the code and commit from its own copy of it.
    const conversation = name(v['conversation']);
    const id = name(v['id']);
    return conversation && id ? { type: 'openSnippet', path, line, conversation, id } : { type: 'openSnippet', path, line };
  },
  openLink: (v) => {
    const url = v['url'];
    if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL_CHARS) return undefined;
    return { type: 'openLink', url };
  },
  run: (v) => {
    const known = WEBVIEW_COMMANDS.find((c) => c === v['command']);
    return known ? { type: 'run', command: known } : undefined;
  },
};

/**
 * Checks a message that arrived from the webview. The webview runs our code, but its content is
 * shaped by network text, so the extension trusts nothing it did not check. Returns undefined
 * for anything malformed.
 */
export function parseFromWebview(value: unknown): FromWebview | undefined {
  if (!isRecord(value)) return undefined;
  const type = value['type'];
  if (typeof type !== 'string' || !Object.hasOwn(PARSERS, type)) return undefined;
  return PARSERS[type as FromWebview['type']](value);
}
