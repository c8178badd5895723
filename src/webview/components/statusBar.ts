import type { ConnectionView } from '../messages.ts';

export function connectionText(c: ConnectionView): string {
  switch (c.state) {
    case 'disconnected':
      return 'Not connected';
    case 'connecting':
      return 'Connecting…';
    case 'connected':
      return `Connected as ${c.nick}`;
    case 'reconnecting':
      return 'Reconnecting…';
  }
}

export interface StatusLine {
  readonly element: HTMLElement;
  update(c: ConnectionView, room: string | undefined): void;
}

export function createStatusLine(): StatusLine {
  const box = document.createElement('div');
  box.className = 'status';
  const state = document.createElement('span');
  state.className = 'connection';
  const room = document.createElement('span');
  room.className = 'room';
  const error = document.createElement('div');
  error.className = 'error';
  box.append(state, room, error);
  return {
    element: box,
    update(c, currentRoom) {
      box.dataset['state'] = c.state;
      state.textContent = connectionText(c);
      room.textContent = currentRoom ?? '';
      error.textContent = c.state === 'disconnected' ? (c.error?.message ?? '') : '';
    },
  };
}
