// The bar above the composer while a message action is under way: replying to a message (its
// quote, × to cancel) or choosing a reaction (common ones, and any emoji typed). Network text
// (nick, quoted text) goes in as textContent only.
import { COMMON_REACTIONS, typedReaction } from '../logic/reactions.ts';

export interface MessageBar {
  readonly element: HTMLElement;
  /** Replying: shows "Replying to <quote>"; `cancel` runs on × or Escape. */
  replying(quote: string | undefined, cancel: () => void): void;
  /** Choosing a reaction for a message; `done` gets the reaction, or undefined when dismissed. */
  picking(about: string, done: (reaction: string | undefined) => void): void;
  close(): void;
}

export function createMessageBar(): MessageBar {
  const bar = document.createElement('div');
  bar.className = 'message-bar';
  bar.hidden = true;
  let onClose: (() => void) | undefined;

  const closeButton = (label: string, run: () => void): HTMLButtonElement => {
    const x = document.createElement('button');
    x.type = 'button';
    x.className = 'message-bar-close';
    x.textContent = '×';
    x.title = label;
    x.setAttribute('aria-label', label);
    x.addEventListener('click', run);
    return x;
  };

  const api: MessageBar = {
    element: bar,
    replying(quote, cancel) {
      if (quote === undefined) {
        api.close();
        return;
      }
      onClose = cancel;
      bar.hidden = false;
      bar.dataset['mode'] = 'reply';
      bar.removeAttribute('role');
      const text = document.createElement('span');
      text.className = 'message-bar-text';
      text.textContent = `Replying to ${quote}`;
      bar.replaceChildren(text, closeButton('Cancel the reply', () => api.close()));
    },
    picking(about, done) {
      let settled = false;
      const finish = (reaction: string | undefined): void => {
        if (settled) return;
        settled = true;
        onClose = undefined;
        bar.hidden = true;
        bar.replaceChildren();
        done(reaction);
      };
      onClose = () => finish(undefined);
      bar.hidden = false;
      bar.dataset['mode'] = 'react';
      bar.setAttribute('role', 'group');
      bar.setAttribute('aria-label', `React to ${about}`);
      const choices = COMMON_REACTIONS.map((r) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'reaction-choice';
        b.textContent = r;
        b.setAttribute('aria-label', `React with ${r}`);
        b.addEventListener('click', () => finish(r));
        return b;
      });
      const other = document.createElement('input');
      other.className = 'reaction-other';
      other.type = 'text';
      other.maxLength = 32;
      other.placeholder = 'Other emoji…';
      other.setAttribute('aria-label', 'Another reaction: type an emoji, then Enter');
      other.addEventListener('keydown', (e) => {
        if (e.key !== 'Enter') return;
        e.preventDefault();
        const r = typedReaction(other.value);
        if (r) finish(r);
      });
      bar.replaceChildren(...choices, other, closeButton('Close without reacting', () => finish(undefined)));
      choices[0]?.focus();
    },
    close() {
      const run = onClose;
      onClose = undefined;
      bar.hidden = true;
      bar.replaceChildren();
      run?.();
    },
  };
  bar.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || bar.hidden) return;
    e.preventDefault();
    api.close();
  });
  return api;
}
