// Text from the network (messages, nicks, room names, topics, server replies) or from a workspace's
// settings, disarmed before it reaches VS Code's own UI. VS Code turns `[label](command:…)`,
// `(https:…)` and `(file:…)` into live links in notifications, dialogs and input-box messages
// (parseLinkedText in src/vs/base/common/linkedText.ts), and `$(name)` into icons in status bar
// items and quick-pick labels (renderLabelWithIcons). A zero-width space between `]` and `(`, and
// between `$` and `(`, breaks both patterns and leaves the text as the sender wrote it to the eye.
// Pure: no vscode import.

const ZWSP = '\u200B';

/** Control characters and bidi overrides (they could make the text read as something else). */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/** For one line of UI: whitespace runs and control characters become one space. */
function oneLine(text: string): string {
  return text.replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim();
}

/** At most `max` characters (code points, so a surrogate pair is never split), with "…" when cut. */
export function bounded(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Breaks every `](` (link) and `$(` (icon) so no renderer of VS Code sees one. */
export function disarm(text: string): string {
  return text.replace(/\]\(/g, `]${ZWSP}(`).replace(/\$\(/g, `$${ZWSP}(`);
}

/**
 * For the text of a notification, modal dialog (message and detail), input-box prompt or
 * validation message, status bar tooltip: one line, at most `max` characters, no link, no icon.
 */
export function plainMessage(text: string, max = 500): string {
  return disarm(bounded(oneLine(text), max));
}

/**
 * For a label: quick-pick label, description, detail and title, status bar text, a status bar
 * message. Shorter; no icon, no link.
 */
export function plainLabel(text: string, max = 100): string {
  return disarm(bounded(oneLine(text), max));
}
