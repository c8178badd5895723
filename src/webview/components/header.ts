// The top of the view: connection state, my nick with my status dot (click: Set Status), and the
// current error with its action buttons. All words from the network go in as textContent.
import { COMMAND_LABELS, connectTargetText, connectionText, presenceLabel } from '../logic/labels.ts';
import type { ConnectionView, SelfView, WebviewCommand } from '../messages.ts';
import { createButton } from './button.ts';

export interface Header {
  readonly element: HTMLElement;
  update(connection: ConnectionView, self: SelfView | undefined): void;
}

export function createHeader(run: (command: WebviewCommand) => void): Header {
  // `.status .connection` is what the e2e tests read; `.connection[data-state]` is the stable hook.
  const box = document.createElement('header');
  box.className = 'status';
  const row = document.createElement('div');
  row.className = 'status-row';
  const connection = document.createElement('div');
  connection.className = 'connection';
  connection.setAttribute('role', 'status');
  connection.setAttribute('aria-live', 'polite');
  const me = document.createElement('button');
  me.type = 'button';
  me.className = 'self-status';
  const dot = document.createElement('span');
  dot.className = 'dot';
  dot.setAttribute('aria-hidden', 'true');
  const nick = document.createElement('span');
  nick.className = 'self-nick';
  me.append(dot, nick);
  me.addEventListener('click', () => run('setStatus'));
  row.append(connection, me);
  const target = document.createElement('div');
  target.className = 'connection-target';

  const error = document.createElement('div');
  error.className = 'error';
  error.setAttribute('role', 'alert');
  const errorText = document.createElement('div');
  errorText.className = 'error-text';
  const errorActions = document.createElement('div');
  errorActions.className = 'error-actions';
  error.append(errorText, errorActions);
  box.append(row, target, error);

  let lastActions = '';
  return {
    element: box,
    update(c, self) {
      box.dataset['state'] = c.state;
      connection.dataset['state'] = c.state;
      connection.textContent = connectionText(c);
      connection.title = c.state === 'connected' || c.state === 'connecting' || c.state === 'reconnecting' ? `Server: ${c.server}` : '';
      target.textContent = connectTargetText(c);
      target.hidden = target.textContent === '';
      const showSelf = c.state === 'connected' && self !== undefined;
      me.hidden = !showSelf;
      if (self) {
        // The nick is already in "Connected as <nick>": the button shows my status in words.
        const label = presenceLabel(self.status, self.statusMessage);
        nick.textContent = label;
        me.dataset['presence'] = self.status;
        me.title = `${self.nick} is ${label}. Click to set your status.`;
        me.setAttribute('aria-label', `Your status: ${label}. Set status`);
      }
      const err = c.state === 'disconnected' || c.state === 'reconnecting' ? c.error : undefined;
      error.hidden = err === undefined;
      errorText.textContent = err?.message ?? '';
      const key = err ? err.actions.join(',') : '';
      if (key !== lastActions) {
        lastActions = key;
        errorActions.replaceChildren(
          ...(err?.actions ?? []).map((command, i) => createButton(COMMAND_LABELS[command] ?? command, () => run(command), { appearance: i === 0 ? 'primary' : 'secondary' })),
        );
      }
    },
  };
}
