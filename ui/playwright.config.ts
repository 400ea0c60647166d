// End-to-end tests against a real `guildhall serve` (started by scripts/e2e.mjs, which sets
// GUILDHALL_URL). The browser is Debian's chromium: Playwright never downloads one here.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/artifacts',
  // 2-core machines: one browser at a time keeps timings honest.
  workers: 1,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [['list']],
  use: {
    baseURL: process.env.GUILDHALL_URL,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 860 },
    locale: 'en-GB',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'off',
  },
});
