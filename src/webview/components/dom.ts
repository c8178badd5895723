/** Puts `children` into `parent` in order, touching the DOM only where it differs (keeps focus). */
export function setChildren(parent: HTMLElement, children: readonly HTMLElement[]): void {
  let cursor = parent.firstElementChild;
  for (const child of children) {
    if (child === cursor) cursor = cursor.nextElementSibling;
    else parent.insertBefore(child, cursor);
  }
  while (cursor) {
    const next = cursor.nextElementSibling;
    cursor.remove();
    cursor = next;
  }
}
