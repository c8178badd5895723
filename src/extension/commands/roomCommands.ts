// Chat: Join Room, Leave Room, Message User, Set Status.
import * as vscode from 'vscode';
import { normalizeRoomName, validateNick, validateRoomName } from '../chat/settings.ts';
import { plainLabel } from '../plainText.ts';
import { requireConnection, type CommandDeps } from './deps.ts';

export async function joinRoom(deps: CommandDeps): Promise<void> {
  if (!requireConnection(deps)) return;
  const answer = await vscode.window.showInputBox({
    title: 'Chat: Join Room',
    prompt: 'Room to join (created if it does not exist)',
    placeHolder: '#team',
    validateInput: validateRoomName,
  });
  if (answer === undefined) return;
  const room = normalizeRoomName(answer);
  deps.model.openWhenJoined(deps.model.idOf(room));
  deps.connection.join(room);
  await deps.view.reveal();
}

export async function leaveRoom(deps: CommandDeps): Promise<void> {
  if (!requireConnection(deps)) return;
  const rooms = deps.model.conversations().filter((c) => c.kind === 'room' && c.joined);
  if (rooms.length === 0) {
    void vscode.window.showInformationMessage('Chat: you are in no room.');
    return;
  }
  const active = deps.model.active;
  rooms.sort((a, b) => (a.id === active ? -1 : b.id === active ? 1 : 0));
  const pick = await vscode.window.showQuickPick(
    // Room names and topics are anyone's words: shown as text, not icons.
    rooms.map((r) => ({ label: plainLabel(r.name), description: plainLabel(r.topic ?? '', 200), id: r.id })),
    { title: 'Chat: Leave Room', placeHolder: 'Room to leave' },
  );
  if (pick) deps.connection.leave(pick.id);
}

export async function messageUser(deps: CommandDeps): Promise<void> {
  if (!requireConnection(deps)) return;
  const other = { label: '$(edit) Someone else…', nick: undefined as string | undefined };
  const known = deps.model.knownNicks().map((nick) => ({ label: plainLabel(nick), description: deps.model.presenceOf(nick), nick }));
  const pick = await vscode.window.showQuickPick([...known, other], { title: 'Chat: Message User', placeHolder: 'Who to write to' });
  if (!pick) return;
  let nick = pick.nick;
  if (nick === undefined) {
    const typed = await vscode.window.showInputBox({ title: 'Chat: Message User', prompt: 'Nickname', validateInput: validateNick });
    if (typed === undefined) return;
    nick = typed.trim();
  }
  deps.connection.openDm(nick);
  await deps.view.reveal(false);
  deps.view.post({ type: 'focusComposer' });
}

const STATUS_ITEMS = [
  { label: '$(circle-filled) Online', status: 'online' as const, description: 'Available' },
  { label: '$(clock) Away', status: 'away' as const, description: 'Away, with an optional message' },
  { label: '$(circle-slash) Busy', status: 'busy' as const, description: 'Do not disturb, with an optional message' },
];

export async function setStatus(deps: CommandDeps): Promise<void> {
  if (!requireConnection(deps)) return;
  const pick = await vscode.window.showQuickPick(STATUS_ITEMS, { title: 'Chat: Set Status', placeHolder: 'Your status' });
  if (!pick) return;
  let message: string | undefined;
  if (pick.status !== 'online') {
    message = await vscode.window.showInputBox({
      title: `Chat: Set Status — ${pick.status === 'busy' ? 'Busy' : 'Away'}`,
      prompt: 'Message for others (optional; Enter to skip)',
      validateInput: (v) => (v.length > 300 ? 'At most 300 characters.' : /[\x00-\x1f\x7f]/.test(v) ? 'No control characters.' : undefined),
    });
    if (message === undefined) return;
  }
  deps.connection.setStatus(pick.status, message?.trim() || undefined);
}
