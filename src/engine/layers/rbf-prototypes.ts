// The RBF output's fixed parameter vectors: one 7×12 bitmap per digit, +1 for ink and −1 for
// background. Drawn after the stylised digits of the paper's Figure 3 (LeCun et al. 1998,
// "Initial parameters of the output RBFs for recognizing the full ASCII set") — the figure is
// the reference, these are our drawing of it, not a copy of the paper's data. They are not
// trained and not counted as parameters.
const BITMAPS: readonly string[][] = [
  // prettier-ignore
  [
    '.......',
    '..###..',
    '.#...#.',
    '#.....#',
    '#.....#',
    '#.....#',
    '#.....#',
    '#.....#',
    '#.....#',
    '.#...#.',
    '..###..',
    '.......',
  ],
  // prettier-ignore
  [
    '.......',
    '...#...',
    '..##...',
    '.#.#...',
    '...#...',
    '...#...',
    '...#...',
    '...#...',
    '...#...',
    '...#...',
    '.#####.',
    '.......',
  ],
  // prettier-ignore
  [
    '.......',
    '.####..',
    '#....#.',
    '.....#.',
    '.....#.',
    '....#..',
    '...#...',
    '..#....',
    '.#.....',
    '#......',
    '######.',
    '.......',
  ],
  // prettier-ignore
  [
    '.......',
    '.####..',
    '#....#.',
    '.....#.',
    '.....#.',
    '..###..',
    '.....#.',
    '.....#.',
    '.....#.',
    '#....#.',
    '.####..',
    '.......',
  ],
  // prettier-ignore
  [
    '.......',
    '....#..',
    '...##..',
    '..#.#..',
    '.#..#..',
    '#...#..',
    '#######',
    '....#..',
    '....#..',
    '....#..',
    '....#..',
    '.......',
  ],
  // prettier-ignore
  [
    '.......',
    '######.',
    '#......',
    '#......',
    '#####..',
    '.....#.',
    '......#',
    '......#',
    '......#',
    '#....#.',
    '.####..',
    '.......',
  ],
  // prettier-ignore
  [
    '.......',
    '..###..',
    '.#.....',
    '#......',
    '#......',
    '#.###..',
    '##...#.',
    '#.....#',
    '#.....#',
    '.#...#.',
    '..###..',
    '.......',
  ],
  // prettier-ignore
  [
    '.......',
    '#######',
    '......#',
    '.....#.',
    '.....#.',
    '....#..',
    '....#..',
    '...#...',
    '...#...',
    '..#....',
    '..#....',
    '.......',
  ],
  // prettier-ignore
  [
    '.......',
    '..###..',
    '.#...#.',
    '#.....#',
    '.#...#.',
    '..###..',
    '.#...#.',
    '#.....#',
    '#.....#',
    '.#...#.',
    '..###..',
    '.......',
  ],
  // prettier-ignore
  [
    '.......',
    '..###..',
    '.#...#.',
    '#.....#',
    '#.....#',
    '.#...##',
    '..###.#',
    '......#',
    '......#',
    '.....#.',
    '..###..',
    '.......',
  ],
];

export const PROTOTYPE_WIDTH = 7;
export const PROTOTYPE_HEIGHT = 12;
/** 84: the size F6 must have for the RBF output. */
export const PROTOTYPE_SIZE = PROTOTYPE_WIDTH * PROTOTYPE_HEIGHT;

/** The prototypes as rows of ±1, [10][84], row-major over each bitmap. */
export function rbfPrototypes(): number[][] {
  return BITMAPS.map((rows) =>
    rows
      .join('')
      .split('')
      .map((ch) => (ch === '#' ? 1 : -1)),
  );
}
