// The 784 network-input values back from a 28×28 thumbnail (a PNG data URL the Classify view
// keeps per file instead of the floats): what the feature-maps dialog asks about. PNG is
// lossless, so this is the input quantised to 1/255 steps — the same steps as MNIST itself.
import { MNIST_PIXELS, MNIST_SIDE } from '../../../shared/mnist-shape';

// Through an <img> (the CSP's img-src allows data: URLs; fetch would need connect-src).
export async function thumbnailPixels(dataUrl: string): Promise<Float32Array> {
  const image = new Image();
  image.src = dataUrl;
  await image.decode();
  if (image.naturalWidth !== MNIST_SIDE || image.naturalHeight !== MNIST_SIDE) {
    throw new Error(`the thumbnail is ${image.naturalWidth}×${image.naturalHeight}, not 28×28`);
  }
  const canvas = new OffscreenCanvas(MNIST_SIDE, MNIST_SIDE);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas to read the thumbnail');
  context.drawImage(image, 0, 0);
  const rgba = context.getImageData(0, 0, MNIST_SIDE, MNIST_SIDE).data;
  const pixels = new Float32Array(MNIST_PIXELS);
  for (let p = 0; p < MNIST_PIXELS; p++) pixels[p] = (rgba[p * 4] as number) / 255;
  return pixels;
}
