// Labels from class-named folders: digits, a model's class names, and everything that is not.
import { describe, expect, it } from 'vitest';
import { isCorrect, labelFromPath } from '../../src/shared/class-labels';

describe('labelFromPath', () => {
  it('reads a digit folder as that digit, in relative, absolute and Windows paths', () => {
    expect(labelFromPath('7/scan.png')).toBe(7);
    expect(labelFromPath('digits/test/0/a.png')).toBe(0);
    expect(labelFromPath('/home/me/mnist/9/x.jpg')).toBe(9);
    expect(labelFromPath('C:\\scans\\3\\x.bmp')).toBe(3);
  });

  it('gives no label to loose files, other folders and deeper digits', () => {
    expect(labelFromPath('scan.png')).toBeNull();
    expect(labelFromPath('photos/2024/x.png')).toBeNull();
    expect(labelFromPath('10/x.png')).toBeNull();
    expect(labelFromPath('7/extra/x.png')).toBeNull();
    expect(labelFromPath('batch-3/x.png')).toBeNull();
  });

  it('reads a model’s class names, exactly first, then ignoring case', () => {
    const names = ['zero', 'one', 'Two'];
    expect(labelFromPath('set/one/x.png', names)).toBe(1);
    expect(labelFromPath('set/two/x.png', names)).toBe(2);
    expect(labelFromPath('set/three/x.png', names)).toBeNull();
  });
});

describe('isCorrect', () => {
  it('is null without a prediction or a label', () => {
    expect(isCorrect(3, 3)).toBe(true);
    expect(isCorrect(3, 5)).toBe(false);
    expect(isCorrect(null, 5)).toBeNull();
    expect(isCorrect(3, null)).toBeNull();
  });
});
