import { describe, expect, it } from 'vitest';
import {
  centreOfMass,
  fitLongSide,
  inkBoundingBox,
  normalisePolarity,
  preprocess,
  resizeArea,
  toGrayscale,
  type RawImage,
} from '../../src/shared/preprocess';

/** A gray canvas with a filled rectangle of ink. */
function canvas(
  w: number,
  h: number,
  rect: { x: number; y: number; w: number; h: number },
  ink = 255,
  paper = 0,
): RawImage {
  const data = new Uint8Array(w * h).fill(paper);
  for (let y = rect.y; y < rect.y + rect.h; y++)
    for (let x = rect.x; x < rect.x + rect.w; x++) data[y * w + x] = ink;
  return { width: w, height: h, channels: 1, data };
}

const at = (p: Float32Array, x: number, y: number) => p[y * 28 + x] as number;

describe('preprocessing steps', () => {
  it('grayscale uses luminance and composites alpha onto contrasting paper', () => {
    const rgba = new Uint8Array([255, 0, 0, 255, 0, 0, 0, 0]);
    const g = toGrayscale({ width: 2, height: 1, channels: 4, data: rgba });
    expect(g.data[0]).toBeCloseTo(0.299 * 255, 3);
    // Transparent pixel next to dark opaque ink becomes white paper.
    expect(g.data[1]).toBe(255);
  });

  it('inverts dark-on-light and subtracts the paper level', () => {
    const img = toGrayscale(canvas(10, 10, { x: 3, y: 3, w: 2, h: 2 }, 20, 230));
    const { image, inverted } = normalisePolarity(img);
    expect(inverted).toBe(true);
    expect(image.data[0]).toBe(0);
    expect(image.data[3 * 10 + 3]).toBe(210);
  });

  it('finds the ink bounding box and ignores faint noise', () => {
    const img = toGrayscale(canvas(20, 20, { x: 5, y: 6, w: 3, h: 4 }));
    img.data[0] = 20; // faint speck in the corner
    expect(inkBoundingBox(img)).toEqual({ x: 5, y: 6, width: 3, height: 4 });
    expect(inkBoundingBox(toGrayscale(canvas(5, 5, { x: 0, y: 0, w: 0, h: 0 })))).toBeNull();
  });

  it('area averaging preserves the mean intensity', () => {
    const img = toGrayscale(canvas(40, 40, { x: 0, y: 0, w: 20, h: 40 }));
    const small = resizeArea(img, 20, 20);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(small.data)).toBeCloseTo(mean(img.data), 3);
    expect(small.data[0]).toBe(255);
    expect(small.data[19]).toBe(0);
  });

  it('scales the long side to 20 px and keeps the aspect of a tall "1"', () => {
    const one = fitLongSide(toGrayscale(canvas(10, 100, { x: 0, y: 0, w: 10, h: 100 })));
    expect([one.width, one.height]).toEqual([2, 20]);
  });
});

describe('preprocess', () => {
  it('centres an off-centre stroke by its centre of mass', () => {
    const { pixels } = preprocess(canvas(200, 200, { x: 150, y: 10, w: 30, h: 60 }));
    const com = centreOfMass({ width: 28, height: 28, data: pixels });
    expect(com.x).toBeCloseTo(14, 0);
    expect(com.y).toBeCloseTo(14, 0);
    expect(Math.max(...pixels)).toBe(1);
  });

  it('gives the same tensor for inverted and non-inverted input', () => {
    const light = preprocess(canvas(60, 80, { x: 10, y: 20, w: 15, h: 40 }, 255, 0)).pixels;
    const dark = preprocess(canvas(60, 80, { x: 10, y: 20, w: 15, h: 40 }, 0, 255)).pixels;
    expect(Array.from(dark)).toEqual(Array.from(light));
  });

  it('handles RGB colour ink on coloured paper', () => {
    const w = 50;
    const data = new Uint8Array(w * w * 3);
    for (let i = 0; i < w * w; i++) data.set([250, 240, 200], i * 3); // cream paper
    for (let y = 10; y < 40; y++)
      for (let x = 20; x < 26; x++) data.set([20, 30, 150], (y * w + x) * 3); // blue ink
    const { pixels, warnings } = preprocess({ width: w, height: w, channels: 3, data });
    expect(warnings).toEqual([]);
    expect(at(pixels, 14, 14)).toBeGreaterThan(0.9);
    expect(at(pixels, 1, 1)).toBe(0);
  });

  it('warns about very low contrast and refuses a blank image', () => {
    expect(preprocess(canvas(30, 30, { x: 5, y: 5, w: 10, h: 10 }, 150, 130)).warnings).toContain(
      'very low contrast',
    );
    expect(() => preprocess(canvas(30, 30, { x: 0, y: 0, w: 0, h: 0 }, 0, 0))).toThrow(/blank/);
  });
});
