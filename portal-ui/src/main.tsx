import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getUiLocale } from '../../ui-shared/src/api/locale';
import { App } from './App';

document.documentElement.lang = getUiLocale();

const root = document.getElementById('root');
if (!root) throw new Error('#root missing in index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
