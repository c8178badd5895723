// A count badge. Drawn with our own CSS rather than the toolkit's `vscode-badge`, whose template
// sets an inline style attribute that the view's CSP (no 'unsafe-inline') blocks and reports.

/** A count badge; hidden at 0. */
export function createBadge(className: string): { readonly element: HTMLElement; set(count: number, label: string): void } {
  const badge = document.createElement('span');
  badge.className = `badge ${className}`;
  return {
    element: badge,
    set(count, label) {
      badge.hidden = count <= 0;
      badge.textContent = count > 99 ? '99+' : String(count);
      badge.setAttribute('aria-label', label);
      badge.title = label;
    },
  };
}
