// Renderer entry: styles, then the app.
import { createApp } from 'vue';
import './styles/base.css';
import { adoptSessionToken } from './services/session-token';
import StudioApp from './studio-app.vue';

// Browser mode: the token leaves the address bar before anything else runs (Electron has none).
adoptSessionToken(window.location, window.history, window.sessionStorage);
createApp(StudioApp).mount('#app');
