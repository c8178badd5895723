import { registerComponents } from './toolkit.ts';

export interface ButtonOptions {
  readonly appearance?: 'primary' | 'secondary' | 'icon';
  /** For icon buttons (and anything whose visible text is not enough): the accessible name. */
  readonly ariaLabel?: string;
  readonly className?: string;
}

/** A VS Code styled button (the toolkit's `vscode-button`). `label` is set as text, never HTML. */
export function createButton(label: string, onClick: () => void, options: ButtonOptions = {}): HTMLElement {
  registerComponents();
  const button = document.createElement('vscode-button');
  button.setAttribute('appearance', options.appearance ?? 'primary');
  button.textContent = label;
  if (options.ariaLabel) {
    button.setAttribute('aria-label', options.ariaLabel);
    button.title = options.ariaLabel;
  }
  if (options.className) button.className = options.className;
  button.addEventListener('click', (event) => {
    event.stopPropagation();
    onClick();
  });
  return button;
}
