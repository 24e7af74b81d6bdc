import '@fontsource/sarabun/400.css';
import '@fontsource/sarabun/700.css';
import '@mantine/core/styles.css';
import './app/global.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api } from './api/client';
import { App } from './app/providers';
import './i18n';

// Start restoring the session from the refresh cookie while React renders.
void api.restore();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
