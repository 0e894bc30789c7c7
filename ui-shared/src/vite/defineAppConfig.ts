// Shared Vite configuration for the two react-admin apps (portal-ui, admin-ui).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { UserConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Vendor chunks, largest libraries first, so no single chunk is huge. */
const VENDOR_GROUPS: Array<{ name: string; test: RegExp; priority: number }> = [
  { name: 'vendor-react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom)[\\/]/, priority: 50 },
  // pdf.js (≈ 400 KB) only for the pages that render PDFs: its own chunk, loaded with them.
  { name: 'vendor-pdfjs', test: /node_modules[\\/]pdfjs-dist[\\/]/, priority: 48 },
  { name: 'vendor-mui-icons', test: /node_modules[\\/]@mui[\\/]icons-material[\\/]/, priority: 45 },
  { name: 'vendor-mui', test: /node_modules[\\/](@mui|@emotion|@popperjs|react-transition-group|stylis)[\\/]/, priority: 40 },
  { name: 'vendor-ra-ui', test: /node_modules[\\/]ra-ui-materialui[\\/]/, priority: 35 },
  { name: 'vendor-ra-core', test: /node_modules[\\/](ra-core|ra-i18n-polyglot|ra-language-english|ra-data-simple-rest|react-admin|@tanstack|react-hook-form)[\\/]/, priority: 30 },
  { name: 'vendor', test: /node_modules[\\/]/, priority: 10 },
];

export interface AppConfigOptions {
  /** Folder of the app (contains index.html), e.g. "portal-ui". */
  app: string;
  /** Public base path: "/" or "/admin/". */
  base: string;
  /** Dev server port. */
  port: number;
}

export function defineAppConfig({ app, base, port }: AppConfigOptions): UserConfig {
  const apiTarget = process.env.SEALFLOW_API_URL ?? 'http://localhost:3000';
  return {
    root: resolve(repoRoot, app),
    base,
    plugins: [react()],
    build: {
      outDir: resolve(repoRoot, 'dist', app),
      emptyOutDir: true,
      chunkSizeWarningLimit: 600,
      rolldownOptions: {
        output: {
          codeSplitting: {
            groups: VENDOR_GROUPS,
          },
        },
      },
    },
    server: {
      port,
      strictPort: false,
      proxy: { '/api': { target: apiTarget, changeOrigin: false } },
      fs: { allow: [repoRoot] },
    },
    preview: { port },
  };
}
