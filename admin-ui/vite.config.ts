// Admin console (platform operators): served at "/admin/" from dist/admin-ui.
// Build: npx vite build --config admin-ui/vite.config.ts · Dev: npx vite --config admin-ui/vite.config.ts
import { defineConfig } from 'vite';
import { defineAppConfig } from '../ui-shared/src/vite/defineAppConfig.js';

export default defineConfig(defineAppConfig({ app: 'admin-ui', base: '/admin/', port: 5174 }));
