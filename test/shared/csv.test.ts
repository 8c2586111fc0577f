import { describe, expect, it } from 'vitest';
import { classificationCsv, csvField } from '../../src/shared/csv';
import { FASHION_CLASS_NAMES } from '../../src/shared/dataset-identity';

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
    expect(lines[0]).toBe(
      'path,predicted,confidence,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9,error,label,correct,predicted_name,label_name',
    );
    expect(lines[1]).toBe(
      '"x,1.png",1,0.900000,0.010000,0.900000,0.010000,0.010000,0.010000,0.020000,0.010000,0.010000,0.010000,0.010000,very low contrast,,,1,',
    );
    expect(lines[2]).toBe('bad.png,,,,,,,,,,,,,not an image,,,,');
  });

  it('adds the label of a class-named folder and whether the prediction matches it', () => {
    const row = (path: string, predicted: number | null, label?: number | null) => ({
      path,
      predicted,
      confidence: predicted === null ? null : 1,
      probabilities:
        predicted === null ? null : Array.from({ length: 10 }, (_, k) => (k === predicted ? 1 : 0)),
      error: predicted === null ? 'not an image' : null,
      warnings: [],
      ...(label === undefined ? {} : { label }),
    });
    const lines = classificationCsv([
      row('digits/7/a.png', 7),
      row('digits/7/b.png', 1),
      row('loose.png', 3),
      row('digits/4/broken.png', null),
      // A label given by the caller (a model's class name) wins over the path.
      row('cats/x.png', 2, 2),
    ])
      .trim()
      .split('\n')
      .map((l) => l.split(',').slice(-5, -2));
    expect(lines.slice(1)).toEqual([
      ['', '7', 'true'],
      ['', '7', 'false'],
      ['', '', ''],
      ['not an image', '4', ''],
      ['', '2', 'true'],
    ]);
  });

  it('names the classes as the model does, and a folder named after one labels its files', () => {
    const row = (path: string, predicted: number | null) => ({
      path,
      predicted,
      confidence: predicted === null ? null : 1,
      probabilities:
        predicted === null ? null : Array.from({ length: 10 }, (_, k) => (k === predicted ? 1 : 0)),
      error: predicted === null ? 'not an image' : null,
      warnings: [],
    });
    const lines = classificationCsv(
      [row('shoes/Sneaker/a.png', 7), row('shoes/Sneaker/b.png', 9), row('Bag/c.png', null)],
      FASHION_CLASS_NAMES,
    )
      .trim()
      .split('\n')
      .map((l) => [l.split(',')[1], ...l.split(',').slice(-4)]);
    // predicted, then label, correct, predicted_name, label_name.
    expect(lines.slice(1)).toEqual([
      ['7', '7', 'true', 'Sneaker', 'Sneaker'],
      ['9', '7', 'false', 'Ankle boot', 'Sneaker'],
      ['', '8', '', '', 'Bag'],
    ]);
  });
});
