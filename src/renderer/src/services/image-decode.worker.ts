// The Classify view's decoder, off the main thread: reads the dropped file, checks its header,
// decodes it (createImageBitmap + OffscreenCanvas) and runs the shared MNIST preprocessing —
// everything image-decode.ts does for one file — so the page only receives 784 floats and the
// same 784 as grey bytes (the thumbnail) per file. Protocol: decode-pool.ts.
import { pixelsToGrey } from '../../../shared/preprocess';
import { decodeImageFile } from './image-decode';

/** A large file as the File (read here, header first), a small one as its bytes. */
export type DecodeRequest =
  { id: number; file: Blob } | { id: number; bytes: ArrayBuffer; type: string };
export type DecodeReply =
  | { id: number; pixels: Float32Array; warnings: string[]; thumbnail: Uint8Array<ArrayBuffer> }
  | { id: number; error: string };

interface WorkerScope {
  onmessage: ((event: MessageEvent<DecodeRequest>) => void) | null;
  postMessage(message: DecodeReply, transfer: Transferable[]): void;
}
const scope = globalThis as unknown as WorkerScope;

scope.onmessage = async ({ data }) => {
  const { id } = data;
  const file = 'file' in data ? data.file : new Blob([data.bytes], { type: data.type });
  try {
    const { pixels, warnings } = await decodeImageFile(file);
    const thumbnail = pixelsToGrey(pixels);
    const reply: DecodeReply = { id, pixels, warnings, thumbnail };
    scope.postMessage(reply, [pixels.buffer, thumbnail.buffer]);
  } catch (error) {
    scope.postMessage({ id, error: (error as Error).message || 'cannot read the file' }, []);
  }
};
