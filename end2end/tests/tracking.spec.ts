// What a shopper sees on a tracking page, in a real browser: the demo page and its timeline,
// hydration (refresh without reload), JavaScript off, not-found, phone layout, accessibility.
import { test, expect, type Page, type APIRequestContext } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import fs from 'node:fs';
import path from 'node:path';
import { dataDir } from '../playwright.config';

const apiKey = () => fs.readFileSync(path.join(dataDir, 'demo-api-key.txt'), 'utf8').trim();
const auth = () => ({ authorization: `Bearer ${apiKey()}` });

/** Fails the test on any uncaught page error or console error. */
function watchErrors(page: Page, allowConsole: RegExp[] = []) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !allowConsole.some((r) => r.test(msg.text()))) {
      errors.push(`console: ${msg.text()}`);
    }
  });
  return errors;
}

async function demoUrl(request: APIRequestContext, order: string): Promise<string> {
  const resp = await request.get(`/api/v1/orders/${order}`, { headers: auth() });
  expect(resp.status()).toBe(200);
  const body = await resp.json();
  return new URL(body.shipments[0].tracking_url).pathname;
}

async function hydrated(page: Page) {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 15_000 });
}

test('demo tracking page shows status, details and a newest-first timeline', async ({ page, request }) => {
  const errors = watchErrors(page);
  await page.goto(await demoUrl(request, '1001'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('In transit');
  await expect(page.locator('.brand__name')).toHaveText('Northwind Coffee Co.');
  await expect(page.getByText('1Z999AA10123456784')).toBeVisible();
  await expect(page.getByText('Estimated delivery')).toBeVisible();
  await expect(page.locator('[aria-current="step"]')).toContainText('In transit');

  const items = page.locator('.timeline__item');
  await expect(items).toHaveCount(4);
  await expect(items.first()).toContainText('Arrived at local facility');
  await expect(items.last()).toContainText('Shipping label created');
  const times = await page.locator('.timeline__when').evaluateAll((els) =>
    els.map((e) => Date.parse(e.getAttribute('datetime') ?? '')),
  );
  expect(times.every((t, i) => i === 0 || times[i - 1] >= t)).toBe(true);

  await hydrated(page);
  // Nothing personal beyond the first name and city.
  const text = await page.locator('body').innerText();
  expect(text).not.toContain('@example.com');
  expect(errors).toEqual([]);
});

test('refresh fetches new checkpoints without reloading the page', async ({ page, request }) => {
  const errors = watchErrors(page);
  const id = `e2e-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const created = await request.put(`/api/v1/orders/${id}`, {
    headers: auth(),
    data: {
      customer: { id: 'c-1', first_name: 'Robin', shipping_country: 'DE', shipping_city: 'Hamburg' },
      shipments: [{ id: `${id}-1`, carrier: 'DHL', tracking_number: 'JJD0001', status: 'info_received' }],
    },
  });
  expect(created.status()).toBe(201);
  const url = new URL((await created.json()).shipments[0].tracking_url).pathname;

  await page.goto(url);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Label created');
  await expect(page.getByText('No updates from the carrier yet')).toBeVisible();
  await hydrated(page);
  await expect(page.getByRole('status')).toHaveText('');
  await page.evaluate(() => ((window as any).__sameDocument = true));

  const added = await request.post(`/api/v1/shipments/${id}-1/checkpoints`, {
    headers: auth(),
    data: { checkpoints: [{ time: new Date().toISOString(), location: 'Hamburg, DE', message: 'Out for delivery', status: 'out_for_delivery' }] },
  });
  expect(added.status()).toBe(200);

  await page.getByRole('link', { name: 'Refresh' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Out for delivery');
  await expect(page.locator('.timeline__item')).toHaveCount(1);
  await expect(page.getByRole('status')).toHaveText('Up to date.');
  await expect(page).toHaveTitle(/^Out for delivery · /);
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);

  // Offline: the page stays as it is and says so.
  await page.route(`**${url}`, (route) => route.abort('internetdisconnected'));
  await page.getByRole('link', { name: 'Refresh' }).click();
  await expect(page.getByRole('status')).toHaveText(/^Couldn't check for updates/);
  await expect(page.locator('.timeline__item')).toHaveCount(1);
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('the page is complete and Refresh is a plain link', async ({ page, request }) => {
    const url = await demoUrl(request, '1002');
    await page.goto(url);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Out for delivery');
    await expect(page.locator('.timeline__item')).toHaveCount(3);
    await page.getByRole('link', { name: 'Refresh' }).click();
    // The same page again, in the language it was read in.
    await expect(page).toHaveURL(new RegExp(`${url}\\?lang=en$`));
    await expect(page.locator('.timeline__item')).toHaveCount(3);
  });
});

test('an unknown link gets a plain not-found page', async ({ page }) => {
  const errors = watchErrors(page, [/404/]);
  const resp = await page.goto('/t/AAAAAAAAAAAAAAAAAAAAAA');
  expect(resp?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await expect(page.getByText('Northwind')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the page fits the screen and has no detectable accessibility violations', async ({ page, request }, info) => {
  await page.goto(await demoUrl(request, '1003'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Delivered');
  // CLDR's English: "Delivered Mon, Nov 30, 1:15 PM GMT+1" (the checkpoint's own time and offset).
  await expect(page.locator('.eta')).toHaveText(/^Delivered \w{3}, \w{3} \d{1,2}, \d{1,2}:\d{2}\s[AP]M GMT[+-]\d+(:\d{2})?$/);
  await hydrated(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await page.screenshot({ path: info.outputPath('delivered.png'), fullPage: true });
});

test('static assets are compressed and cacheable', async ({ request }) => {
  const shopperPage = await demoUrl(request, '1001');
  // The bundles and the stylesheet a shopper's page and a merchant's page load: names with
  // the build's content hash, compressed, cached for a year.
  for (const page of [shopperPage, '/signin']) {
    const html = await (await request.get(page)).text();
    const assets = [...new Set(html.match(/\/pkg\/[\w.-]+\.(js|wasm|css)/g))];
    expect(assets.length, page).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      expect(asset, 'a content-hashed name').toMatch(/\.[0-9a-f]{16}(_bg)?\.(js|wasm|css)$/);
      for (const encoding of ['br', 'gzip']) {
        const resp = await request.get(asset, { headers: { 'accept-encoding': encoding } });
        expect(resp.status(), asset).toBe(200);
        expect(resp.headers()['content-encoding'], asset).toBe(encoding);
        expect(resp.headers()['cache-control'], asset).toBe('public, max-age=31536000, immutable');
      }
    }
  }
  // Shoppers' pages load the small widget bundle, merchants' pages the full one.
  expect(await (await request.get(shopperPage)).text()).toContain('/pkg/widget.');
  expect(await (await request.get('/signin')).text()).not.toContain('/pkg/widget.');
  // The plain stylesheet (API docs, demo pages) may change with a build: revalidated.
  const plain = await request.get('/pkg/tracklight.css');
  expect(plain.headers()['cache-control']).toBe('public, max-age=300');
});
