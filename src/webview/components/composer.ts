import { registerComponents } from './toolkit.ts';

export interface Composer {
  readonly element: HTMLElement;
  setEnabled(enabled: boolean, placeholder: string): void;
  focus(): void;
}

/**
 * The message box: Enter sends, Shift+Enter starts a new line. `onSend` returns false when the text
 * could not be sent, so it stays in the box.
 */
export function createComposer(onSend: (text: string) => boolean): Composer {
  registerComponents();
  const area = document.createElement('vscode-text-area') as HTMLElement & { value: string; disabled: boolean };
  area.className = 'composer';
  area.setAttribute('rows', '2');
  area.setAttribute('resize', 'vertical');
  area.setAttribute('aria-label', 'Message');
  area.addEventListener('keydown', (event: KeyboardEvent) => {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    const text = area.value.trim();
    if (text && onSend(text)) area.value = '';
  });
  return {
    element: area,
    setEnabled(enabled, placeholder) {
      area.disabled = !enabled;
      area.setAttribute('placeholder', placeholder);
    },
    focus() {
      area.focus();
    },
  };
}
