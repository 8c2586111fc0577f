import { describe, expect, it } from 'vitest';
import { greyToInput, greyToRgba } from '../../../src/renderer/src/ui/digit-canvas';

describe('digit canvas conversions', () => {
  it('turns grey bytes into opaque RGBA and into the network’s [0,1] input', () => {
    const grey = Uint8Array.from([0, 128, 255]);
    expect(Array.from(greyToRgba(grey))).toEqual([
      0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255,
    ]);
    expect(Array.from(greyToInput(grey))).toEqual([0, Math.fround(128 / 255), 1]);
  });
});
