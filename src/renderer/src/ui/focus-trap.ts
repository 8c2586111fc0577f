// Keyboard focus kept inside a container (a modal dialog): which elements take Tab, and the
// wrap from the last to the first and back. DOM only, no Vue.

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  'summary',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

/** The elements inside `root` that Tab visits, in document order (hidden ones left out). */
export function focusableIn(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => el.getClientRects().length > 0 && !el.closest('[inert]'),
  );
}

/**
 * Moves focus to the other end when Tab (or Shift+Tab) would leave `root`; returns whether it
 * did, so the caller cancels the browser's own move.
 */
export function wrapTab(root: HTMLElement, backwards: boolean): boolean {
  const items = focusableIn(root);
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) return false;
  const active = document.activeElement;
  const outside = !(active instanceof Node) || !root.contains(active);
  if (backwards && (active === first || outside)) {
    last.focus();
    return true;
  }
  if (!backwards && (active === last || outside)) {
    first.focus();
    return true;
  }
  return false;
}
