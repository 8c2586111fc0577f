// The Classify view's decoder, off the main thread: reads the dropped file, checks its header,
// decodes it (createImageBitmap + OffscreenCanvas), runs the shared MNIST preprocessing and
// encodes the 28×28 thumbnail — everything image-decode.ts does for one file — so the page only
// receives 784 floats and a ~1 KB data URL per file. Protocol: decode-pool.ts.
import { pixelsToRgba } from '../features/draw/draw-network-input';
import { decodeImageFile } from './image-decode';

export interface DecodeRequest {
  id: number;
  file: Blob;
}
export type DecodeReply =
  | { id: number; pixels: Float32Array; warnings: string[]; thumbnail: string | null }
  | { id: number; error: string };

interface WorkerScope {
  onmessage: ((event: MessageEvent<DecodeRequest>) => void) | null;
  postMessage(message: DecodeReply, transfer: Transferable[]): void;
}
const scope = globalThis as unknown as WorkerScope;

let thumbCanvas: OffscreenCanvas | null = null;

/** The 28×28 the network sees as a PNG data URL, as thumbnailDataUrl makes it on the page. */
async function thumbnail(pixels: Float32Array): Promise<string | null> {
  thumbCanvas ??= new OffscreenCanvas(28, 28);
  const context = thumbCanvas.getContext('2d');
  if (!context) return null;
  context.putImageData(new ImageData(pixelsToRgba(pixels), 28, 28), 0, 0);
  const bytes = new Uint8Array(await (await thumbCanvas.convertToBlob()).arrayBuffer());
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `data:image/png;base64,${btoa(binary)}`;
}

scope.onmessage = async ({ data: { id, file } }) => {
  try {
    const { pixels, warnings } = await decodeImageFile(file);
    const reply: DecodeReply = { id, pixels, warnings, thumbnail: await thumbnail(pixels) };
    scope.postMessage(reply, [pixels.buffer]);
  } catch (error) {
    scope.postMessage({ id, error: (error as Error).message || 'cannot read the file' }, []);
  }
};
