import type { ChatLine } from '../messages.ts';

export interface MessageList {
  readonly element: HTMLElement;
  replace(lines: readonly ChatLine[]): void;
  append(line: ChatLine): void;
}

// Nicks and text come from the network: they are set with textContent only, never parsed as HTML.
function renderLine(line: ChatLine): HTMLElement {
  const row = document.createElement('li');
  row.className = `message ${line.kind}${line.self ? ' self' : ''}`;
  row.dataset['id'] = line.id;
  const time = document.createElement('time');
  const date = new Date(line.time);
  time.dateTime = date.toISOString();
  time.textContent = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const nick = document.createElement('span');
  nick.className = 'nick';
  nick.textContent = line.kind === 'action' ? `* ${line.from}` : line.from;
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = line.text;
  row.append(time, ' ', nick, ' ', text);
  return row;
}

export function createMessageList(): MessageList {
  const list = document.createElement('ol');
  list.className = 'messages';
  list.setAttribute('aria-live', 'polite');
  const stickToBottom = (): (() => void) => {
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 8;
    return () => {
      if (atBottom) list.scrollTop = list.scrollHeight;
    };
  };
  return {
    element: list,
    replace(lines) {
      list.replaceChildren(...lines.map(renderLine));
      list.scrollTop = list.scrollHeight;
    },
    append(line) {
      const after = stickToBottom();
      list.append(renderLine(line));
      after();
    },
  };
}
