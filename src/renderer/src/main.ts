// Renderer entry: styles, then the app.
import { createApp } from 'vue';
import './styles/base.css';
import StudioApp from './studio-app.vue';

createApp(StudioApp).mount('#app');
