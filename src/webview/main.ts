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

const empty: Snapshot = { connection: { state: 'disconnected' }, room: undefined, messages: [] };
let snapshot: Snapshot = restore(vscode.getState());

function restore(saved: unknown): Snapshot {
  // Our own saved state, but from an older build perhaps: accept it only if it has the right shape.
  if (typeof saved !== 'object' || saved === null) return empty;
  const s = saved as Partial<Snapshot>;
  if (!s.connection || !Array.isArray(s.messages)) return empty;
  return { connection: s.connection, room: typeof s.room === 'string' ? s.room : undefined, messages: s.messages };
}

const status = createStatusLine();
const messages = createMessageList();
const composer = createComposer((text) => {
  if (snapshot.connection.state !== 'connected' || !snapshot.room) return false;
  vscode.postMessage({ type: 'send', text });
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
  const { connection, room } = snapshot;
  status.update(connection, room);
  actions.hidden = connection.state !== 'disconnected';
  const canSend = connection.state === 'connected' && room !== undefined;
  composer.setEnabled(canSend, canSend ? `Message ${room}` : 'Connect to chat first');
  messages.replace(snapshot.messages);
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
    const roomChanged = m.room !== snapshot.room;
    snapshot = { ...snapshot, connection: m.connection, room: m.room, messages: roomChanged ? [] : snapshot.messages };
    renderAll();
  },
  message(m) {
    if (m.room !== snapshot.room) return;
    const lines: ChatLine[] = [...snapshot.messages, m.line];
    snapshot = { ...snapshot, messages: lines.slice(-MAX_LINES) };
    messages.append(m.line);
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
