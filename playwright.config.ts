import { defineConfig } from '@playwright/test';

// Extension tests run the production build (.output/) in Debian Chromium (test/e2e) and, through
// puppeteer-core, in firefox-esr (test/firefox). `npm test` builds first.
export default defineConfig({
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: { trace: 'retain-on-failure' },
  projects: [
    { name: 'chromium', testDir: 'test/e2e' },
    { name: 'firefox', testDir: 'test/firefox' },
  ],
});
