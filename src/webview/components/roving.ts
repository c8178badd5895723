// Keyboard navigation for a list of rows: one Tab stop per list (roving tabindex), arrow keys /
// Home / End move between rows, Enter or Space activates the row (WAI-ARIA APG "listbox" pattern).

export function makeRoving(list: HTMLElement, itemSelector: string, activate: (item: HTMLElement) => void): { refresh(): void } {
  const items = (): HTMLElement[] => Array.from(list.querySelectorAll<HTMLElement>(itemSelector)).filter((el) => !el.hidden);
  const refresh = (): void => {
    const all = items();
    const current = all.find((el) => el.tabIndex === 0) ?? all.find((el) => el.getAttribute('aria-current') === 'true') ?? all[0];
    for (const el of all) el.tabIndex = el === current ? 0 : -1;
  };
  list.addEventListener('keydown', (event: KeyboardEvent) => {
    const target = event.target as HTMLElement | null;
    const item = target?.closest<HTMLElement>(itemSelector);
    if (!item || item !== target) return;
    const all = items();
    const at = all.indexOf(item);
    let next: HTMLElement | undefined;
    if (event.key === 'ArrowDown') next = all[Math.min(all.length - 1, at + 1)];
    else if (event.key === 'ArrowUp') next = all[Math.max(0, at - 1)];
    else if (event.key === 'Home') next = all[0];
    else if (event.key === 'End') next = all[all.length - 1];
    else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      activate(item);
      return;
    } else return;
    event.preventDefault();
    if (!next) return;
    for (const el of all) el.tabIndex = el === next ? 0 : -1;
    next.focus();
  });
  list.addEventListener('click', (event) => {
    const item = (event.target as HTMLElement | null)?.closest<HTMLElement>(itemSelector);
    if (item && list.contains(item)) activate(item);
  });
  return { refresh };
}
