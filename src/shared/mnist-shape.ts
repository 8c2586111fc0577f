// The shape of the data every preset reads and writes: MNIST's 28×28 grayscale digits, 10 classes.
// Named once so the engine, the preprocessing and the contracts cannot disagree.

/** Side of an MNIST image, in pixels. */
export const MNIST_SIDE = 28;
/** Pixels in one MNIST image (28 × 28). */
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
/** Digits 0–9. */
export const NUM_CLASSES = 10;
/** A model's input shape without the batch dimension: [28, 28, 1] (height, width, channels). */
export const MNIST_INPUT_SHAPE: readonly [number, number, number] = [MNIST_SIDE, MNIST_SIDE, 1];
