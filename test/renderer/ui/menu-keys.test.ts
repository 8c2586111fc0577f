import { describe, expect, it } from 'vitest';
import { menuMove } from '../../../src/renderer/src/ui/menu-keys';

const ITEMS = ['Open', 'Resume', 'Export', 'Delete'];

describe('menuMove', () => {
  it('moves with the arrows and wraps at both ends', () => {
    expect(menuMove('ArrowDown', 0, ITEMS)).toBe(1);
    expect(menuMove('ArrowDown', 3, ITEMS)).toBe(0);
    expect(menuMove('ArrowUp', 0, ITEMS)).toBe(3);
    expect(menuMove('ArrowUp', 2, ITEMS)).toBe(1);
  });

  it('jumps to the ends with Home and End', () => {
    expect(menuMove('Home', 2, ITEMS)).toBe(0);
    expect(menuMove('End', 1, ITEMS)).toBe(3);
  });

  it('goes to the next item starting with a typed character, wrapping', () => {
    expect(menuMove('e', 0, ITEMS)).toBe(2);
    expect(menuMove('O', 2, ITEMS)).toBe(0);
    expect(menuMove('x', 0, ITEMS)).toBeNull();
  });

  it('leaves other keys (and an empty menu) alone', () => {
    expect(menuMove('Enter', 0, ITEMS)).toBeNull();
    expect(menuMove(' ', 0, ITEMS)).toBeNull();
    expect(menuMove('Tab', 0, ITEMS)).toBeNull();
    expect(menuMove('ArrowDown', 0, [])).toBeNull();
  });
});
