import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  // Relative asset URLs: the same build works under `guildhall serve` and inside Tauri.
  base: './',
  build: {
    outDir: 'dist',
    target: 'es2022',
    // Keep the whole app a single small chunk; no inline data: URLs (CSP allows img data: only).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    // `npm run dev` proxies the API to a running `guildhall serve` (GUILDHALL_URL).
    proxy: {
      '/api': process.env.GUILDHALL_URL ?? 'http://127.0.0.1:7878',
      '/asset': process.env.GUILDHALL_URL ?? 'http://127.0.0.1:7878',
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
});
