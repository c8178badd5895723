// The Chat view, running in the webview (a browser). It draws what the extension sends and asks the
// extension to act; it never talks to the network itself. Network text is only ever set as textContent.
import { createComposer } from './components/composer.ts';
import { createConversationList } from './components/conversationList.ts';
import { createEmptyState } from './components/emptyState.ts';
import { createHeader } from './components/header.ts';
import { createMemberList } from './components/memberList.ts';
import { createMessageList, type LinesChange, type ScrollState } from './components/messageList.ts';
import { createButton } from './components/button.ts';
import { createMessageBar } from './components/messageBar.ts';
import { allowedActions, isOperatorPrefix, quoteText } from './logic/reactions.ts';
import { restoreSaved, toSaved, type UiState } from './logic/savedState.ts';
import { presenceLabel } from './logic/labels.ts';
import { typingText } from './logic/typing.ts';
import type { ChatLine, FromWebview, MessageFeature, Snapshot, ToWebview, WebviewCommand } from './messages.ts';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (m: FromWebview): void => vscode.postMessage(m);
const run = (command: WebviewCommand): void => post({ type: 'run', command });

/** The view holds at most this many lines of the open conversation; older ones come back on scroll. */
const MAX_LINES = 20_000;

const restored = restoreSaved(vscode.getState());
let snapshot: Snapshot = restored.snapshot;
let ui: UiState = restored.ui;
/** Set by the first snapshot from the extension; before it the view shows its saved state. */
let live = false;
const savedScroll: ScrollState = ui.anchor ? { atBottom: ui.atBottom, anchor: ui.anchor } : { atBottom: ui.atBottom };

// ---- components -------------------------------------------------------------------------------
const header = createHeader(run);
const emptyState = createEmptyState(run);
const conversations = createConversationList((id) => post({ type: 'open', conversation: id }), run);
const members = createMemberList(
  (nick) => post({ type: 'openDm', nick }),
  (collapsed) => {
    ui = { ...ui, membersCollapsed: collapsed };
    members.update(snapshot.members, collapsed);
    save();
  },
);
const messageBar = createMessageBar();
/** The message the composer's next send answers (Reply), in the conversation it belongs to. */
let replyTo: { conversation: string; line: ChatLine } | undefined;

function features(): readonly MessageFeature[] {
  return snapshot.connection.state === 'connected' ? (snapshot.connection.features ?? []) : [];
}

/** I operate the open room (I may delete anyone's message there). */
function operator(): boolean {
  const me = snapshot.self?.nick.toLowerCase();
  return activeConversation()?.kind === 'room' && snapshot.members.some((m) => m.nick.toLowerCase() === me && isOperatorPrefix(m.prefix));
}

function startReply(line: ChatLine): void {
  if (!snapshot.active) return;
  replyTo = { conversation: snapshot.active, line };
  messageBar.replying(quoteText({ id: line.id, from: line.from, text: line.text.replace(/\s+/g, ' ').slice(0, 80) }), () => {
    replyTo = undefined;
  });
  composer.focus();
}

const messages = createMessageList({
  allowed: (line) => allowedActions(line, features(), operator()),
  react: (line, reaction) => {
    if (snapshot.active) post({ type: 'react', conversation: snapshot.active, id: line.id, reaction });
  },
  pickReaction: (line, from) => {
    messageBar.picking(`the message from ${line.from}`, (reaction) => {
      if (reaction && snapshot.active) post({ type: 'react', conversation: snapshot.active, id: line.id, reaction });
      if (from.isConnected) from.focus();
    });
  },
  reply: (line) => startReply(line),
  copy: (line) => {
    if (snapshot.active) post({ type: 'copyLine', conversation: snapshot.active, id: line.id });
  },
  remove: (line) => {
    if (snapshot.active) post({ type: 'deleteLine', conversation: snapshot.active, id: line.id });
  },
  jumpTo: (id) => {
    if (!messages.reveal(id) && snapshot.active) post({ type: 'jumpTo', conversation: snapshot.active, id });
  },
  openLink: (url) => post({ type: 'openLink', url }),
  openSnippet: (path, line, id) => post(snapshot.active ? { type: 'openSnippet', path, line, conversation: snapshot.active, id } : { type: 'openSnippet', path, line }),
  retry: (id) => {
    if (snapshot.active) post({ type: 'retry', conversation: snapshot.active, id });
  },
  loadOlder: () => {
    // Not from the saved state: only once the extension's snapshot says what is really there.
    if (live && snapshot.active) post({ type: 'loadOlder', conversation: snapshot.active });
    return live;
  },
  scrolled: () => {
    maybeMarkRead();
    save();
  },
});
const composer = createComposer({
  send(text) {
    if (snapshot.connection.state !== 'connected' || !snapshot.active) return false;
    const answers = replyTo?.conversation === snapshot.active ? replyTo.line.msgid : undefined;
    post(answers !== undefined ? { type: 'send', conversation: snapshot.active, text, replyTo: answers } : { type: 'send', conversation: snapshot.active, text });
    if (replyTo) messageBar.close();
    messages.scrollToBottom();
    return true;
  },
  typing(state) {
    if (snapshot.active && snapshot.connection.state === 'connected') post({ type: 'typing', conversation: snapshot.active, state });
  },
  changed(text) {
    if (!snapshot.active) return;
    ui = { ...ui, drafts: { ...ui.drafts, [snapshot.active]: text } };
    save();
  },
});

const chat = document.createElement('section');
chat.className = 'chat';
const topicBar = document.createElement('div');
topicBar.className = 'topic-bar';
const title = document.createElement('h1');
title.className = 'title';
const topic = document.createElement('div');
topic.className = 'topic';
const leave = createButton('×', () => {
  if (snapshot.active) post({ type: 'leave', conversation: snapshot.active });
}, { appearance: 'icon', ariaLabel: 'Leave this room', className: 'leave' });
const titleRow = document.createElement('div');
titleRow.className = 'title-row';
const titleDot = document.createElement('span');
titleDot.className = 'dot';
titleDot.setAttribute('aria-hidden', 'true');
titleRow.append(titleDot, title, leave);
topicBar.append(titleRow, topic);
const typing = document.createElement('div');
typing.className = 'typing';
typing.setAttribute('aria-live', 'polite');
// Around an older message (a reply's parent, a search hit): say so, and the way back.
const aroundBar = document.createElement('div');
aroundBar.className = 'around-bar';
aroundBar.setAttribute('role', 'status');
const aroundText = document.createElement('span');
aroundText.textContent = 'Showing earlier messages.';
aroundBar.append(
  aroundText,
  createButton('Back to the latest', () => {
    if (snapshot.active) post({ type: 'open', conversation: snapshot.active });
  }, { appearance: 'secondary', className: 'around-back' }),
);
aroundBar.hidden = true;
chat.append(topicBar, members.element, aroundBar, messages.element, typing, messageBar.element, composer.element);

const root = document.getElementById('app') ?? document.body;
root.replaceChildren(header.element, emptyState, conversations.element, chat);

// ---- rendering ---------------------------------------------------------------------------------
function activeConversation() {
  return snapshot.conversations.find((c) => c.id === snapshot.active);
}

function renderChrome(): void {
  const { connection } = snapshot;
  header.update(connection, snapshot.self);
  const disconnected = connection.state === 'disconnected';
  const conv = activeConversation();
  emptyState.hidden = !disconnected;
  // An error brings its own buttons (Retry, Host...): the empty state's Connect would be a second one.
  emptyState.classList.toggle('has-error', disconnected && connection.error !== undefined && connection.error.actions.length > 0);
  conversations.element.hidden = snapshot.conversations.length === 0;
  conversations.update(snapshot.conversations, snapshot.active);
  // A conversation stays readable while disconnected; with none open, the empty state says what to do.
  chat.hidden = conv === undefined && (disconnected || snapshot.lines.length === 0);
  chat.dataset['kind'] = conv?.kind ?? '';
  title.textContent = conv?.name ?? '';
  // A DM has no topic: the line under the name says how the other person is doing.
  const subtitle = conv?.kind === 'dm' ? presenceLabel(conv.presence ?? 'offline', conv.statusMessage) : (conv?.topic ?? '');
  topic.textContent = subtitle;
  topic.hidden = subtitle === '';
  topic.title = subtitle;
  titleDot.hidden = conv?.kind !== 'dm';
  titleDot.dataset['presence'] = conv?.presence ?? 'offline';
  // × leaves a room (PART) or closes a direct conversation (it comes back with the next message).
  leave.hidden = conv === undefined || (conv.kind === 'room' && !(conv.joined && connection.state === 'connected'));
  const leaveLabel = conv?.kind === 'dm' ? 'Close this conversation' : 'Leave this room';
  if (leave.title !== leaveLabel) {
    leave.title = leaveLabel;
    leave.setAttribute('aria-label', leaveLabel);
  }
  const canSend = connection.state === 'connected' && conv !== undefined && conv.joined;
  const reason =
    connection.state === 'connected'
      ? conv === undefined
        ? 'Open a room or a conversation to write'
        : 'You left this room: join it again to write'
      : connection.state === 'disconnected'
        ? 'Not connected: Connect or Host to write'
        : connection.state === 'connecting'
          ? 'Connecting…'
          : 'Reconnecting… your text stays here';
  composer.setEnabled(canSend, conv ? `Message ${conv.name}` : 'Message', reason);
  members.update(conv?.kind === 'room' ? snapshot.members : [], ui.membersCollapsed);
  messages.setContext(snapshot.active, conv?.name ?? '', snapshot.self?.nick ?? (connection.state === 'connected' ? connection.nick : undefined));
  aroundBar.hidden = snapshot.around !== true;
  redrawIfActionsChanged();
  renderTyping();
  maybeMarkRead();
}

/** What lines offer depends on capabilities and my operator status: redraw when those change. */
let actionsKey = '';
function redrawIfActionsChanged(): void {
  const key = `${features().join(',')}|${operator()}`;
  if (key === actionsKey) return;
  actionsKey = key;
  messages.redraw();
}

function renderTyping(): void {
  const me = snapshot.self?.nick;
  typing.textContent = typingText(snapshot.typing.filter((n) => n !== me));
}

function renderLines(change: LinesChange): void {
  messages.setLines(snapshot.lines, snapshot.hasOlder, change);
  maybeMarkRead();
}

let lastMarked = '';
function maybeMarkRead(): void {
  const conv = activeConversation();
  if (!conv || (conv.unread === 0 && conv.mentions === 0)) return;
  if (document.visibilityState !== 'visible' || !messages.isAtBottom() || chat.hidden) return;
  const key = `${conv.id}\u0000${conv.unread}\u0000${conv.mentions}\u0000${snapshot.lines.length}`;
  if (key === lastMarked) return;
  lastMarked = key;
  post({ type: 'markRead', conversation: conv.id });
}

// setState is cheap but not free: coalesce bursts of updates (and scroll events) into one save.
let saveTimer: number | undefined;
function save(): void {
  if (saveTimer !== undefined) return;
  saveTimer = window.setTimeout(() => {
    saveTimer = undefined;
    ui = { ...ui, ...messages.scrollState() };
    if (messages.isAtBottom()) ui = { membersCollapsed: ui.membersCollapsed, atBottom: true, drafts: ui.drafts };
    vscode.setState(toSaved(snapshot, ui));
  }, 200);
}

function switchTo(next: Snapshot): void {
  const changedConversation = next.active !== snapshot.active;
  if (changedConversation) {
    composer.stopTyping();
    if (replyTo) messageBar.close();
  }
  snapshot = next;
  if (changedConversation) composer.setValue(next.active ? (ui.drafts[next.active] ?? '') : '');
}

function capped(lines: readonly ChatLine[]): { lines: readonly ChatLine[]; trimmed: boolean } {
  return lines.length > MAX_LINES ? { lines: lines.slice(-MAX_LINES), trimmed: true } : { lines, trimmed: false };
}

function withLine(lines: readonly ChatLine[], id: string, change: (l: ChatLine) => ChatLine): readonly ChatLine[] {
  // Own lines are recent: search from the end.
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i];
    if (l && l.id === id) {
      const copy = lines.slice();
      copy[i] = change(l);
      return copy;
    }
  }
  return lines;
}

// ---- messages from the extension ---------------------------------------------------------------
const handlers: { [K in ToWebview['type']]: (m: Extract<ToWebview, { type: K }>) => void } = {
  snapshot(m) {
    const first = !live;
    live = true;
    const sameConversation = m.snapshot.active === snapshot.active;
    // The first snapshot replaces the saved state: go back to the saved position, which may lie
    // in lines the saved state did not keep but the snapshot has.
    const scroll = !sameConversation ? { atBottom: true } : first ? savedScroll : messages.scrollState();
    switchTo(m.snapshot);
    renderChrome();
    renderLines('replace');
    messages.restoreScroll(scroll);
  },
  connection(m) {
    snapshot = { ...snapshot, connection: m.connection, self: m.self };
    renderChrome();
  },
  conversations(m) {
    snapshot = { ...snapshot, conversations: m.conversations };
    renderChrome();
  },
  members(m) {
    if (m.conversation !== snapshot.active) return;
    snapshot = { ...snapshot, members: m.members };
    const conv = activeConversation();
    members.update(conv?.kind === 'room' ? m.members : [], ui.membersCollapsed);
    redrawIfActionsChanged();
  },
  lines(m) {
    if (m.conversation !== snapshot.active) return;
    if (m.position === 'prepend') {
      const { lines, trimmed } = capped([...m.lines, ...snapshot.lines]);
      // Trimming drops the newest when paging back: keep the oldest the user is reading instead.
      const kept = trimmed ? [...m.lines, ...snapshot.lines].slice(0, MAX_LINES) : lines;
      snapshot = { ...snapshot, lines: kept, hasOlder: m.hasOlder ?? snapshot.hasOlder };
      renderLines('prepend');
      return;
    }
    // Lines already shown (a replayed page, an echo of a line we have) are not drawn twice.
    const have = new Set(snapshot.lines.slice(-500).map((l) => l.id));
    const fresh = m.lines.filter((l) => !have.has(l.id));
    const { lines, trimmed } = capped([...snapshot.lines, ...fresh]);
    snapshot = { ...snapshot, lines, hasOlder: snapshot.hasOlder || trimmed || (m.hasOlder ?? false) };
    renderLines('append');
  },
  lineState(m) {
    if (m.conversation !== snapshot.active) return;
    snapshot = {
      ...snapshot,
      lines: withLine(snapshot.lines, m.id, (l) => {
        const { reason: _old, ...rest } = l;
        return { ...rest, id: m.newId ?? l.id, state: m.state, ...(m.newId !== undefined ? { msgid: m.newId } : {}), ...(m.reason !== undefined ? { reason: m.reason } : {}) };
      }),
    };
    renderLines('update');
  },
  lineUpdate(m) {
    if (m.conversation !== snapshot.active) return;
    snapshot = { ...snapshot, lines: withLine(snapshot.lines, m.line.id, () => m.line) };
    if (replyTo?.line.id === m.line.id && m.line.deleted) messageBar.close();
    renderLines('update');
  },
  reveal(m) {
    if (m.conversation !== snapshot.active) return;
    messages.reveal(m.id);
  },
  typing(m) {
    if (m.conversation !== snapshot.active) return;
    snapshot = { ...snapshot, typing: m.nicks };
    renderTyping();
  },
  cleared(m) {
    if (m.conversation !== snapshot.active) return;
    snapshot = { ...snapshot, lines: [], hasOlder: false };
    renderLines('replace');
  },
  focusComposer() {
    composer.focus();
  },
};

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const m = event.data as ToWebview | null | undefined;
  if (typeof m !== 'object' || m === null || typeof m.type !== 'string' || !Object.hasOwn(handlers, m.type)) return;
  const handler = handlers[m.type] as (m: ToWebview) => void;
  try {
    handler(m);
  } catch (e) {
    // A malformed update must not take the whole view down; the next snapshot repairs it.
    console.error('chat view: could not apply', m.type, e);
  }
  save();
});

document.addEventListener('visibilitychange', maybeMarkRead);

// Draw the saved state at once (no flash of an empty view), then ask for the real one.
composer.setValue(snapshot.active ? (ui.drafts[snapshot.active] ?? '') : '');
renderChrome();
renderLines('replace');
messages.restoreScroll(ui);
post({ type: 'ready' });
