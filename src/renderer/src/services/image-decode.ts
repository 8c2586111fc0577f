// Browser-side decoding of picked and dropped images: the first bytes are checked with the
// shared header reader (format, absurd sizes, bombs) before anything is decoded; the browser
// decodes (createImageBitmap, off the main thread); the pixels go through the shared
// preprocessing, the same steps as the CLI and the drawing pad.
import {
  checkImageSize,
  ImageError,
  readImageHeader,
  type ImageHeader,
} from '../../../shared/image-header';
import { pixelsToGrey, preprocess, type Preprocessed } from '../../../shared/preprocess';
import type { Decoded } from '../features/classify/classify-batch';

/** Files larger than this are refused before reading (as in the engine). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Enough for every format's header, and for a JPEG's frame header after typical metadata. */
const HEAD_BYTES = 64 * 1024;

async function readBytes(file: Blob): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return new Uint8Array(await file.arrayBuffer());
  } catch {
    // NotReadableError / NotFoundError: moved, deleted or not permitted since it was picked.
    throw new Error('cannot read the file (moved, deleted or not permitted)');
  }
}

/**
 * Reads the header from the file's first bytes only; a JPEG whose frame header comes after more
 * than 64 KiB of metadata is read whole. A photo of 10 MB is not read into memory before the
 * checks say it may be decoded.
 */
async function readHeader(
  file: Blob,
): Promise<{ header: ImageHeader; head: Uint8Array<ArrayBuffer> }> {
  if (file.size > MAX_FILE_BYTES) throw new ImageError(`file is too large (${file.size} bytes)`);
  const head = await readBytes(file.size > HEAD_BYTES ? file.slice(0, HEAD_BYTES) : file);
  try {
    return { header: readImageHeader(head), head };
  } catch (error) {
    if (file.size <= HEAD_BYTES || head[0] !== 0xff || head[1] !== 0xd8) throw error;
    const whole = await readBytes(file);
    return { header: readImageHeader(whole), head: whole };
  }
}

// One scratch canvas for every decode: drawing and reading it back is synchronous, so the
// concurrent decodes never interleave on it.
let scratch: OffscreenCanvasRenderingContext2D | null = null;

function scratchContext(width: number, height: number): OffscreenCanvasRenderingContext2D {
  if (!scratch) {
    const context = new OffscreenCanvas(width, height).getContext('2d', {
      willReadFrequently: true,
    });
    if (!context) throw new Error('this browser cannot read image pixels (no 2D canvas)');
    scratch = context;
  }
  const canvas = scratch.canvas;
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  } else {
    scratch.clearRect(0, 0, width, height);
  }
  return scratch;
}

/** Decodes an image file and preprocesses it; throws an Error saying what is wrong with it. */
export async function decodeImageFile(file: Blob): Promise<Preprocessed> {
  const { header, head } = await readHeader(file);
  let bitmap: ImageBitmap;
  try {
    // Small files are already in memory: decode those bytes (a second read of the file costs
    // more). Large ones were read only as far as the header: the decoder reads the file.
    const source = head.length === file.size ? new Blob([head]) : file;
    bitmap = await createImageBitmap(source, {
      // The file's own values, not converted to the display's colour space.
      colorSpaceConversion: 'none',
      premultiplyAlpha: 'none',
    });
  } catch {
    throw new ImageError(
      `corrupt or truncated ${header.format.toUpperCase()} (the browser could not decode it)`,
    );
  }
  try {
    checkImageSize(bitmap.width, bitmap.height);
    const context = scratchContext(bitmap.width, bitmap.height);
    context.drawImage(bitmap, 0, 0);
    const { data, width, height } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    return preprocess({ width, height, channels: 4, data });
  } finally {
    bitmap.close();
  }
}

/** decodeImageFile plus the thumbnail, as the classify batch wants it. */
export async function decodeForBatch(file: Blob): Promise<Decoded> {
  const { pixels, warnings } = await decodeImageFile(file);
  return { pixels, warnings, thumbnail: pixelsToGrey(pixels) };
}

/** Gives the browser a turn to render and handle input between chunks of work. */
export function yieldToBrowser(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}
