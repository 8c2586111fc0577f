// How inputs must be prepared for a studio model; recorded in every export so that other apps
// can reproduce what the network saw in training.
export const PREPROCESSING_SPEC = {
  input: '28x28 grayscale, white ink on black, float32 in [0,1], shape [n,28,28,1]',
  steps: [
    'grayscale (luminance; alpha composited onto the background)',
    'invert dark-on-light images',
    "crop to the ink's bounding box",
    'scale the long side to 20 px with area averaging, aspect kept',
    'place in 28x28 by centre of mass',
    'scale to [0,1]',
  ],
} as const;
