// Portal (signers): served at "/" from dist/portal-ui.
// Build: npx vite build --config portal-ui/vite.config.ts · Dev: npx vite --config portal-ui/vite.config.ts
import { defineConfig } from 'vite';
import { defineAppConfig } from '../ui-shared/src/vite/defineAppConfig.js';

export default defineConfig(defineAppConfig({ app: 'portal-ui', base: '/', port: 5173 }));
