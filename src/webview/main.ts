// The Chat view, running in the webview (a browser). It draws what the extension sends and asks the
// extension to act; it never talks to the network itself. Network text is only ever set as textContent.
import { createButton } from './components/button.ts';
import { createComposer } from './components/composer.ts';
import { createMessageList } from './components/messageList.ts';
import { createStatusLine } from './components/statusBar.ts';
import type { ChatLine, FromWebview, Snapshot, ToWebview } from './messages.ts';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: Snapshot): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
// Keep the view bounded: the extension holds the history, the view only what is on screen.
const MAX_LINES = 500;

const empty: Snapshot = {
  connection: { state: 'disconnected' },
  self: undefined,
  conversations: [],
  active: undefined,
  members: [],
  lines: [],
  hasOlder: false,
  typing: [],
};
let snapshot: Snapshot = restore(vscode.getState());

function restore(saved: unknown): Snapshot {
  // Our own saved state, but from an older build perhaps: accept it only if it has the right shape.
  if (typeof saved !== 'object' || saved === null) return empty;
  const s = saved as Partial<Snapshot>;
  if (!s.connection || !Array.isArray(s.lines) || !Array.isArray(s.conversations)) return empty;
  return { ...empty, ...s, connection: s.connection, lines: s.lines, conversations: s.conversations };
}

const status = createStatusLine();
const messages = createMessageList();
const composer = createComposer((text) => {
  if (snapshot.connection.state !== 'connected' || !snapshot.active) return false;
  vscode.postMessage({ type: 'send', conversation: snapshot.active, text });
  return true;
});
const actions = document.createElement('div');
actions.className = 'actions';
actions.append(
  createButton('Connect', () => vscode.postMessage({ type: 'run', command: 'connect' })),
  createButton('Host', () => vscode.postMessage({ type: 'run', command: 'host' }), 'secondary'),
);

const root = document.getElementById('app') ?? document.body;
root.replaceChildren(status.element, actions, messages.element, composer.element);

function renderAll(): void {
  const { connection } = snapshot;
  const room = snapshot.conversations.find((c) => c.id === snapshot.active)?.name;
  status.update(connection, room);
  actions.hidden = connection.state !== 'disconnected';
  const canSend = connection.state === 'connected' && room !== undefined;
  composer.setEnabled(canSend, canSend ? `Message ${room}` : 'Connect to chat first');
  messages.replace(snapshot.lines);
}

function save(): void {
  vscode.setState(snapshot);
}

const handlers: { [K in ToWebview['type']]: (m: Extract<ToWebview, { type: K }>) => void } = {
  snapshot(m) {
    snapshot = m.snapshot;
    renderAll();
  },
  connection(m) {
    snapshot = { ...snapshot, connection: m.connection, self: m.self };
    renderAll();
  },
  conversations(m) {
    snapshot = { ...snapshot, conversations: m.conversations };
    renderAll();
  },
  members(m) {
    if (m.conversation === snapshot.active) snapshot = { ...snapshot, members: m.members };
  },
  lines(m) {
    if (m.conversation !== snapshot.active) return;
    if (m.position === 'prepend') {
      snapshot = { ...snapshot, lines: [...m.lines, ...snapshot.lines].slice(-MAX_LINES), hasOlder: m.hasOlder ?? snapshot.hasOlder };
      messages.replace(snapshot.lines);
      return;
    }
    const lines: ChatLine[] = [...snapshot.lines, ...m.lines];
    snapshot = { ...snapshot, lines: lines.slice(-MAX_LINES) };
    for (const line of m.lines) messages.append(line);
  },
  lineState(m) {
    if (m.conversation !== snapshot.active) return;
    snapshot = {
      ...snapshot,
      lines: snapshot.lines.map((l) => (l.id === m.id ? { ...l, id: m.newId ?? l.id, state: m.state, ...(m.reason ? { reason: m.reason } : {}) } : l)),
    };
  },
  typing(m) {
    if (m.conversation === snapshot.active) snapshot = { ...snapshot, typing: m.nicks };
  },
  cleared(m) {
    if (m.conversation !== snapshot.active) return;
    snapshot = { ...snapshot, lines: [] };
    messages.replace([]);
  },
  focusComposer() {
    composer.focus();
  },
};

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const m = event.data as ToWebview | null | undefined;
  if (typeof m !== 'object' || m === null || !Object.hasOwn(handlers, m.type)) return;
  const handler = handlers[m.type] as (m: ToWebview) => void;
  handler(m);
  save();
});

renderAll();
vscode.postMessage({ type: 'ready' });
