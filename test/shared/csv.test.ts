import { describe, expect, it } from 'vitest';
import { classificationCsv, csvField } from '../../src/shared/csv';

describe('csv', () => {
  it('quotes commas, quotes and line breaks; keeps unicode', () => {
    expect(csvField('plain.png')).toBe('plain.png');
    expect(csvField('a,b.png')).toBe('"a,b.png"');
    expect(csvField('say "hi".png')).toBe('"say ""hi"".png"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('chiffres/é—数字.png')).toBe('chiffres/é—数字.png');
    expect(csvField(null)).toBe('');
  });

  it('writes the classification header and one row per file', () => {
    const probabilities = [0.01, 0.9, 0.01, 0.01, 0.01, 0.02, 0.01, 0.01, 0.01, 0.01];
    const text = classificationCsv([
      {
        path: 'x,1.png',
        predicted: 1,
        confidence: 0.9,
        probabilities,
        error: null,
        warnings: ['very low contrast'],
      },
      {
        path: 'bad.png',
        predicted: null,
        confidence: null,
        probabilities: null,
        error: 'not an image',
        warnings: [],
      },
    ]);
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('path,predicted,confidence,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9,error');
    expect(lines[1]).toBe(
      '"x,1.png",1,0.900000,0.010000,0.900000,0.010000,0.010000,0.010000,0.020000,0.010000,0.010000,0.010000,0.010000,very low contrast',
    );
    expect(lines[2]).toBe('bad.png,,,,,,,,,,,,,not an image');
  });
});
