// Browser tests in Debian's Chromium (Playwright cannot download browsers here).
// The config starts a fresh Tracklight (debug build, demo data, empty data dir) and waits
// for /readyz; scripts/test.sh builds it first.
import { defineConfig, devices } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.TRACKLIGHT_E2E_PORT ?? 3917);
export const dataDir = path.join(root, 'target', 'e2e-data');
export const sandboxUrl = `http://127.0.0.1:${port + 1}`;
export const klaviyoSandboxUrl = `http://127.0.0.1:${port + 2}`;
const bin = process.env.TRACKLIGHT_E2E_BIN ?? path.join(root, 'target', 'debug', 'tracklight');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  outputDir: path.join(root, 'target', 'e2e-results'),
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], channel: undefined } },
    { name: 'phone', use: { ...devices['Pixel 7'], channel: undefined } },
  ],
  webServer: {
    command: `rm -rf "${dataDir}" && exec "${bin}"`,
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      TRACKLIGHT_BIND: `127.0.0.1:${port}`,
      TRACKLIGHT_DATA_DIR: dataDir,
      TRACKLIGHT_SITE_ROOT: path.join(root, 'target', 'site'),
      TRACKLIGHT_DEMO: 'true',
      TRACKLIGHT_LOG: 'warn',
      // The built-in Yotpo sandbox on a known port, so tests can read what it received.
      TRACKLIGHT_YOTPO_SANDBOX_BIND: `127.0.0.1:${port + 1}`,
      TRACKLIGHT_KLAVIYO_SANDBOX_BIND: `127.0.0.1:${port + 2}`,
      // Every shopper of the browser tests signs up from 127.0.0.1.
      TRACKLIGHT_CONSENTS_PER_NETWORK_PER_HOUR: '100',
      // …and every merchant the tests make signs up and in from it.
      TRACKLIGHT_SIGN_INS_PER_NETWORK: '200',
      // Step 2 two seconds after step 1 instead of sixty.
      TRACKLIGHT_OPTIN_DELAY_SECS: '2',
    },
  },
});
