/// <reference types="vite-plugin-pwa/vanillajs" />
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import './app/styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html must contain #root');

// The offline shell (see vite.config.ts): the built app only, never the dev server.
if (import.meta.env.PROD) {
  void import('virtual:pwa-register').then(({ registerSW }) => registerSW({ immediate: true }));
}

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
