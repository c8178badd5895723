// What the view keeps across hide/show (vscode.setState): a bounded copy of the last snapshot and
// the UI's own state. The extension stays the source of truth: its snapshot after `ready` replaces
// this. Restored state may come from an older build, so it is shape-checked, never trusted.
import type { ChatLine, Snapshot } from '../messages.ts';

/** Lines of the active conversation kept in the saved state (the rest comes back from the extension). */
export const SAVED_LINES = 200;

export interface UiState {
  readonly membersCollapsed: boolean;
  /** The message list was scrolled to the bottom (follow new lines). */
  readonly atBottom: boolean;
  /** Otherwise: the line at the top of the viewport and how far it was scrolled past. */
  readonly anchor?: { readonly id: string; readonly offset: number };
  /** Unsent composer text per conversation. */
  readonly drafts: Readonly<Record<string, string>>;
}

export interface SavedState {
  readonly version: 1;
  readonly snapshot: Snapshot;
  readonly ui: UiState;
}

export const EMPTY_SNAPSHOT: Snapshot = {
  connection: { state: 'disconnected' },
  self: undefined,
  conversations: [],
  active: undefined,
  members: [],
  lines: [],
  hasOlder: false,
  typing: [],
};

export const DEFAULT_UI: UiState = { membersCollapsed: false, atBottom: true, drafts: {} };

/** Longest draft kept per conversation, and how many conversations keep one. */
const MAX_DRAFT_CHARS = 16_384;
const MAX_DRAFTS = 50;

export function toSaved(snapshot: Snapshot, ui: UiState): SavedState {
  const lines = snapshot.lines.slice(-SAVED_LINES);
  const drafts = Object.fromEntries(
    Object.entries(ui.drafts)
      .filter(([, text]) => text !== '')
      .slice(-MAX_DRAFTS)
      .map(([id, text]) => [id, text.slice(0, MAX_DRAFT_CHARS)]),
  );
  return {
    version: 1,
    // Typing is momentary: it is not restored.
    snapshot: { ...snapshot, lines, hasOlder: snapshot.hasOlder || lines.length < snapshot.lines.length, typing: [] },
    ui: { ...ui, drafts },
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isLine(v: unknown): v is ChatLine {
  return isRecord(v) && typeof v['id'] === 'string' && typeof v['from'] === 'string' && typeof v['text'] === 'string' && typeof v['time'] === 'number';
}

/** The saved state, if it has the shape this build writes; otherwise a clean start. */
export function restoreSaved(value: unknown): { snapshot: Snapshot; ui: UiState } {
  if (!isRecord(value) || value['version'] !== 1 || !isRecord(value['snapshot']) || !isRecord(value['ui'])) {
    return { snapshot: EMPTY_SNAPSHOT, ui: DEFAULT_UI };
  }
  const s = value['snapshot'];
  const u = value['ui'];
  const connection = isRecord(s['connection']) && typeof s['connection']['state'] === 'string' ? (s['connection'] as unknown as Snapshot['connection']) : EMPTY_SNAPSHOT.connection;
  const lines = Array.isArray(s['lines']) ? s['lines'].filter(isLine).slice(-SAVED_LINES) : [];
  const snapshot: Snapshot = {
    connection,
    self: isRecord(s['self']) && typeof s['self']['nick'] === 'string' ? (s['self'] as unknown as Snapshot['self']) : undefined,
    conversations: Array.isArray(s['conversations']) ? s['conversations'].filter((c) => isRecord(c) && typeof c['id'] === 'string' && typeof c['name'] === 'string') : [],
    active: typeof s['active'] === 'string' ? s['active'] : undefined,
    members: Array.isArray(s['members']) ? s['members'].filter((m) => isRecord(m) && typeof m['nick'] === 'string') : [],
    lines,
    hasOlder: s['hasOlder'] === true,
    typing: [],
  };
  const anchor = isRecord(u['anchor']) && typeof u['anchor']['id'] === 'string' && typeof u['anchor']['offset'] === 'number' ? { id: u['anchor']['id'], offset: u['anchor']['offset'] } : undefined;
  const drafts: Record<string, string> = {};
  if (isRecord(u['drafts'])) for (const [k, v] of Object.entries(u['drafts'])) if (typeof v === 'string') drafts[k] = v;
  const ui: UiState = {
    membersCollapsed: u['membersCollapsed'] === true,
    atBottom: u['atBottom'] !== false,
    ...(anchor ? { anchor } : {}),
    drafts,
  };
  return { snapshot, ui };
}
