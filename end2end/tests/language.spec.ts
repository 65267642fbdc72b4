// The shopper's language in Chromium: a German browser reads German with German dates, the
// link's ?lang= wins, Arabic is right to left and accessible, the language switcher works
// with and without JavaScript (and is remembered), and a German consent keeps the German
// text with its hash.
import { test, expect, type APIRequestContext, type TestInfo, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { dataDir } from '../playwright.config';

const auth = () => ({
  authorization: `Bearer ${fs.readFileSync(path.join(dataDir, 'demo-api-key.txt'), 'utf8').trim()}`,
});

/** A fresh order shipping to the US, due on Friday 27 November 2026, and its page. */
async function newOrder(request: APIRequestContext, info: TestInfo) {
  const id = `lang-${info.project.name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const digits = String(1000 + Math.floor(Math.random() * 8999));
  const resp = await request.put(`/api/v1/orders/${id}`, {
    headers: auth(),
    data: {
      customer: { id: `cust-${id}`, first_name: 'Lena', shipping_country: 'US', shipping_city: 'Austin' },
      shipments: [{ id: `${id}-1`, carrier: 'UPS', tracking_number: '1Z999AA10123456799', estimated_delivery: '2026-11-27' }],
    },
  });
  expect(resp.status()).toBe(201);
  const body = await resp.json();
  return { path: new URL(body.shipments[0].tracking_url).pathname, customer: `cust-${id}`, phone: `(415) 555-${digits}` };
}

async function hydrated(page: Page) {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 15_000 });
}

test.describe('in a German browser', () => {
  test.use({ locale: 'de-DE' });

  test('the page is German with German dates, and ?lang=fr overrides it', async ({ page, request }, info) => {
    const order = await newOrder(request, info);
    await page.goto(order.path);
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(page.getByRole('heading', { name: 'Aktualisierungen zur Sendung' })).toBeVisible();
    await expect(page.locator('.eta')).toHaveText('Voraussichtliche Zustellung: Freitag, 27. November 2026');
    await expect(page.getByRole('button', { name: 'Für SMS anmelden' })).toBeVisible();
    await expect(page.locator('.consent')).toContainText('Ja, senden Sie mir wiederkehrende automatisierte Marketing-SMS');
    // Country names in German.
    await expect(page.locator('#sms-country option[value="DE"]')).toHaveText('Deutschland (+49)');

    await page.goto(`${order.path}?lang=fr`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(page.locator('.eta')).toHaveText('Livraison estimée : vendredi 27 novembre 2026');
  });

  test('a German consent keeps the German text and its hash', async ({ page, request }, info) => {
    const order = await newOrder(request, info);
    await page.goto(order.path);
    await hydrated(page);
    await page.getByLabel('Mobilnummer').fill(order.phone);
    await page.locator('#sms-consent').check();
    await page.getByRole('button', { name: 'Für SMS anmelden' }).click();
    await expect(page.getByRole('heading', { name: 'Sie sind für SMS angemeldet' })).toBeVisible();

    const resp = await request.get(`/api/v1/customers/${order.customer}/data`, { headers: auth() });
    expect(resp.status()).toBe(200);
    const proof = (await resp.json()).consents[0].proofs[0];
    expect(proof.language).toBe('de');
    expect(proof.disclosure).toContain('Ja, senden Sie mir wiederkehrende automatisierte Marketing-SMS');
    expect(proof.disclosure).toContain('STOP');
    expect(proof.disclosure_sha256).toBe(crypto.createHash('sha256').update(proof.disclosure, 'utf8').digest('hex'));
  });
});

test('an Arabic page is right to left, mirrored and has no detectable accessibility violations', async ({ page, request }, info) => {
  const order = await newOrder(request, info);
  await page.goto(`${order.path}?lang=ar`);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
  await hydrated(page);
  // Mirrored: the brand starts at the right.
  const layout = await page.evaluate(() => {
    const brand = document.querySelector('.brand__name') as HTMLElement;
    const main = document.querySelector('main') as HTMLElement;
    return {
      direction: getComputedStyle(document.body).direction,
      brandRight: main.getBoundingClientRect().right - brand.getBoundingClientRect().right,
      brandLeft: brand.getBoundingClientRect().left - main.getBoundingClientRect().left,
    };
  });
  expect(layout.direction).toBe('rtl');
  expect(layout.brandRight).toBeLessThan(layout.brandLeft);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
});

for (const javaScriptEnabled of [true, false]) {
  test(`the language switcher works ${javaScriptEnabled ? 'with' : 'without'} JavaScript and is remembered`, async ({ browser, request }, info) => {
    const order = await newOrder(request, info);
    const context = await browser.newContext({ javaScriptEnabled, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(order.path);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    if (javaScriptEnabled) await hydrated(page);
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('button', { name: 'Change' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(page.getByLabel('Langue')).toHaveValue('fr');
    // The plain link again: the pick is remembered over the browser's English.
    await page.goto(order.path);
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(page.getByRole('button', { name: 'M’inscrire aux SMS' })).toBeVisible();
    await context.close();
  });
}
