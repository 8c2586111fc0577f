// Whether a key press belongs to the element it happened in (typing in a field, pressing a
// button, moving a slider) rather than to a studio-wide shortcut. DOM only, no Vue.

const OWN_KEYS =
  'input, textarea, select, button, a[href], summary, [contenteditable], [role="slider"], [role="gridcell"], [role="button"]';

export function isTypingTarget(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest(OWN_KEYS) !== null;
}

const TEXT_ENTRY = 'input, textarea, select, [contenteditable]';

/** Whether a printable key typed here is text (a field), not a shortcut ("?" on a button is). */
export function isTextEntry(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest(TEXT_ENTRY) !== null;
}

/** A plain key: no Ctrl, Alt or Meta (Shift is part of "?"). */
export function isPlainKey(event: KeyboardEvent): boolean {
  return !event.ctrlKey && !event.altKey && !event.metaKey;
}
