// The message box (a plain textarea, so tests and screen readers see a real form control):
// Enter sends, Shift+Enter starts a new line, Escape clears. Typing notifications go through
// TypingNotifier; the box is disabled with the reason shown when sending is not possible.
import { MAX_SEND_CHARS } from '../messages.ts';
import { TypingNotifier, type TypingState } from '../logic/typing.ts';

export interface Composer {
  readonly element: HTMLElement;
  /** `reason` is shown when disabled; `label` names the conversation ("Message #general"). */
  setEnabled(enabled: boolean, label: string, reason: string): void;
  focus(): void;
  value(): string;
  setValue(text: string): void;
  /** Switching conversations: tell the old one typing is done. */
  stopTyping(): void;
}

export interface ComposerEvents {
  /** Returns false when the text could not be sent, so it stays in the box. */
  send(text: string): boolean;
  typing(state: TypingState): void;
  changed(text: string): void;
}

/** Grows up to this many pixels, then scrolls (CSS max-height matches). */
const MAX_HEIGHT_PX = 160;

export function createComposer(events: ComposerEvents): Composer {
  const box = document.createElement('div');
  box.className = 'composer';
  const input = document.createElement('textarea');
  input.className = 'composer-input';
  input.rows = 1;
  input.maxLength = MAX_SEND_CHARS;
  input.setAttribute('aria-label', 'Message');
  const hint = document.createElement('div');
  hint.className = 'composer-hint';
  hint.id = 'composer-hint';
  input.setAttribute('aria-describedby', hint.id);
  box.append(input, hint);

  const typing = new TypingNotifier((state) => events.typing(state), {
    now: () => Date.now(),
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
    clearTimeout: (h) => window.clearTimeout(h as number),
  });

  const fit = (): void => {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight + 2, MAX_HEIGHT_PX)}px`;
  };
  const clear = (): void => {
    input.value = '';
    fit();
    typing.done();
    events.changed('');
  };

  input.addEventListener('input', () => {
    fit();
    typing.input(input.value);
    events.changed(input.value);
  });
  input.addEventListener('keydown', (event: KeyboardEvent) => {
    if (event.isComposing) return;
    if (event.key === 'Escape' && input.value !== '') {
      event.preventDefault();
      clear();
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey) return;
    event.preventDefault();
    // Leading blank lines and trailing whitespace are dropped; indentation inside stays (code).
    const text = input.value.replace(/^(?:[ \t]*\n)+/, '').trimEnd();
    if (text.trim() === '') return;
    if (events.send(text)) clear();
  });

  return {
    element: box,
    setEnabled(enabled, label, reason) {
      input.disabled = !enabled;
      input.setAttribute('aria-label', label);
      input.placeholder = enabled ? label : reason;
      input.title = enabled ? 'Enter sends, Shift+Enter starts a new line, Escape clears' : reason;
      hint.textContent = enabled ? '' : reason;
      hint.hidden = enabled;
      if (!enabled) typing.done();
    },
    focus() {
      input.focus();
    },
    value: () => input.value,
    setValue(text) {
      input.value = text;
      fit();
    },
    stopTyping() {
      typing.done();
    },
  };
}
