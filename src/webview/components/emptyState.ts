// What a disconnected view shows: a friendly sentence and the two ways in.
import type { WebviewCommand } from '../messages.ts';
import { createButton } from './button.ts';

export function createEmptyState(run: (command: WebviewCommand) => void): HTMLElement {
  const box = document.createElement('section');
  box.className = 'empty-state';
  box.setAttribute('aria-label', 'Not connected');
  const title = document.createElement('h2');
  title.textContent = 'Chat with your team, right here';
  const text = document.createElement('p');
  text.textContent = 'Connect to your team’s chat server, or host one from this window and invite your teammates.';
  const actions = document.createElement('div');
  actions.className = 'actions';
  actions.append(
    createButton('Connect', () => run('connect')),
    createButton('Host', () => run('host'), { appearance: 'secondary' }),
  );
  box.append(title, text, actions);
  return box;
}
