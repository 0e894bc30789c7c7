import { StrictMode, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import { getUiLocale } from './api/locale';

/** Entry point of an app: sets <html lang>, renders App into #root. */
export function mountApp(App: ComponentType) {
  document.documentElement.lang = getUiLocale();
  const root = document.getElementById('root');
  if (!root) throw new Error('#root missing in index.html');
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
