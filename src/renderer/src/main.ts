// Renderer entry: styles, the session token, the stores (created once, for the app's lifetime:
// see app/app-stores.ts), then the app.
import { createApp } from 'vue';
import './styles/base.css';
import { createStores, provideStores } from './app/app-stores';
import StudioApp from './app/studio-app.vue';
import { useStudio } from './services/api';
import { classifyByDecoding } from './features/classify/classify-batch';
import { createDecodePool } from './services/decode-pool';
import { createEngineClassifier } from './services/engine-classifier';
import { createFramePacer } from './services/frame-pacer';
import { yieldToBrowser } from './services/image-decode';
import { adoptSessionToken } from './services/session-token';

// Browser mode: the token leaves the address bar before anything else runs (Electron has none);
// the stores' first requests open the WebSocket, which reads it.
adoptSessionToken(window.location, window.history, window.sessionStorage);
const app = createApp(StudioApp);
const { api } = useStudio();
// Dropped files' bytes go to the engine's decoder; what it does not take (WebP, a huge photo)
// decodes in Web Workers, started on first use.
const pool = lazily(createDecodePool);
// 32 file reads a frame: ~1,900 files/s at 60 frames a second, with the frames kept.
const readPacer = createFramePacer(32, browserNextFrame);
provideStores(
  app,
  createStores({
    api,
    classify: createEngineClassifier<File>({
      classifyImages: (images) => api.classifyImages(images),
      beforeRead: readPacer.next,
      fallback: classifyByDecoding(
        (file) => pool().decode(file),
        (batch) => api.predict(batch),
      ),
    }),
    yieldToUi: yieldToBrowser,
    beforePaint: (callback) => requestAnimationFrame(() => callback(performance.now())),
  }),
);
app.mount('#app');

function lazily<T>(make: () => T): () => T {
  let made: { value: T } | null = null;
  return () => (made ??= { value: make() }).value;
}

/** The page's next frame; at once when the page is hidden (no frames come then). */
function browserNextFrame(): Promise<void> {
  if (document.visibilityState === 'hidden') return Promise.resolve();
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}
