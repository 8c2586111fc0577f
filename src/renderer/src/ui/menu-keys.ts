// Where the focus goes in an open menu for a key (the WAI-ARIA menu pattern): arrows move and
// wrap, Home and End jump, a printable character goes to the next item starting with it.
// Pure, so the rules are unit-tested without a DOM.

/** The index of the item to focus next, or null when the key does not move the focus. */
export function menuMove(key: string, at: number, labels: readonly string[]): number | null {
  const count = labels.length;
  if (count === 0) return null;
  switch (key) {
    case 'ArrowDown':
      return (at + 1) % count;
    case 'ArrowUp':
      return (at - 1 + count) % count;
    case 'Home':
    case 'PageUp':
      return 0;
    case 'End':
    case 'PageDown':
      return count - 1;
    default:
      break;
  }
  if (key.length !== 1 || key === ' ') return null;
  // Type-ahead: the next item (after this one, wrapping) whose label starts with the character.
  const char = key.toLocaleLowerCase();
  for (let step = 1; step <= count; step++) {
    const i = (at + step) % count;
    if (labels[i]?.trim().toLocaleLowerCase().startsWith(char)) return i;
  }
  return null;
}
