// Renderer entry: styles, the session token, the stores (created once, for the app's lifetime:
// see app/app-stores.ts), then the app.
import { createApp } from 'vue';
import './styles/base.css';
import { createStores, provideStores } from './app/app-stores';
import StudioApp from './app/studio-app.vue';
import { useStudio } from './services/api';
import { createDecodePool } from './services/decode-pool';
import { yieldToBrowser } from './services/image-decode';
import { adoptSessionToken } from './services/session-token';

// Browser mode: the token leaves the address bar before anything else runs (Electron has none);
// the stores' first requests open the WebSocket, which reads it.
adoptSessionToken(window.location, window.history, window.sessionStorage);
const app = createApp(StudioApp);
provideStores(
  app,
  createStores({
    api: useStudio().api,
    // Dropped files decode in Web Workers: the page only paints rows.
    decode: createDecodePool().decode,
    yieldToUi: yieldToBrowser,
    beforePaint: (callback) => requestAnimationFrame(() => callback(performance.now())),
  }),
);
app.mount('#app');
