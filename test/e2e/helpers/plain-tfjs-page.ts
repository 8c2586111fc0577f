// An "unrelated TensorFlow.js app" for the portability test: a tiny static page on loopback that
// loads plain @tensorflow/tfjs (its published dist/tf.min.js, no studio code at all) and an
// exported model, and predicts. The page's script is a static file, not a function handed to
// page.evaluate: the test runner's transform would add helpers that do not exist in the page.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from './renderer-build';

export const TFJS_BUNDLE = path.join(PROJECT_ROOT, 'node_modules/@tensorflow/tfjs/dist/tf.min.js');

const PAGE = `<!doctype html>
<html>
  <head>
    <meta charset="utf-8" />
    <title>plain TensorFlow.js</title>
    <script src="/tf.min.js"></script>
    <script src="/predict.js"></script>
  </head>
  <body>
    <p>Plain TensorFlow.js page</p>
  </body>
</html>
`;

/**
 * window.predictFromUrl(url, images): tf.loadLayersModel on a model.json URL (the browser
 * fetches the weight shards next to it). window.predictFromSingleFile(url, images): fetches a
 * single-file export, decodes its base64 weightData and loads it through tf.io.fromMemory.
 * Both return { probabilities, backend, tfjs, labels }. The CPU backend: headless Chromium has
 * no GPU, and WebGL on a software rasteriser is neither the reference nor reliably float32.
 */
const SCRIPT = `
async function predictWith(model, images) {
  const x = tf.tensor4d(images.flat(), [images.length, 28, 28, 1]);
  const y = model.predict(x);
  const probabilities = await y.array();
  tf.dispose([x, y]);
  const meta = model.getUserDefinedMetadata();
  model.dispose();
  return {
    probabilities,
    backend: tf.getBackend(),
    tfjs: tf.version.tfjs,
    labels: meta && meta.studio ? meta.studio.labels : null,
  };
}

function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

window.predictFromUrl = async (url, images) => {
  await tf.setBackend('cpu');
  return predictWith(await tf.loadLayersModel(url), images);
};

window.predictFromSingleFile = async (url, images) => {
  await tf.setBackend('cpu');
  const json = await (await fetch(url)).json();
  const artifacts = {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: decodeBase64(json.weightData),
    userDefinedMetadata: json.userDefinedMetadata,
  };
  return predictWith(await tf.loadLayersModel(tf.io.fromMemory(artifacts)), images);
};
`;

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.js': 'text/javascript',
  '.html': 'text/html; charset=utf-8',
};

export interface PlainTfjsPage {
  /** http://127.0.0.1:PORT — the page is at `/`, exported files under `/models/`. */
  origin: string;
  close(): Promise<void>;
}

/** Serves the page, tf.min.js and, under /models/, the files of `modelsRoot`. */
export async function servePlainTfjsPage(modelsRoot: string): Promise<PlainTfjsPage> {
  if (!existsSync(TFJS_BUNDLE))
    throw new Error(`plain TensorFlow.js bundle missing: ${TFJS_BUNDLE}`);
  const root = path.resolve(modelsRoot);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(body);
    };
    const sendFile = (file: string): void => {
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Content-Length': statSync(file).size,
        'Cache-Control': 'no-store',
      });
      createReadStream(file).pipe(res);
    };
    if (url.pathname === '/') return send(200, TYPES['.html'] as string, PAGE);
    if (url.pathname === '/predict.js') return send(200, TYPES['.js'] as string, SCRIPT);
    if (url.pathname === '/tf.min.js') return sendFile(TFJS_BUNDLE);
    if (url.pathname.startsWith('/models/')) {
      const file = path.resolve(root, decodeURIComponent(url.pathname.slice('/models/'.length)));
      // Only files inside the export folder, never a path that climbs out of it.
      if (file.startsWith(`${root}${path.sep}`) && existsSync(file) && statSync(file).isFile())
        return sendFile(file);
    }
    send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
