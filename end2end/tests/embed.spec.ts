// The one-line embed on a merchant's own site, in Chromium: the loader on a host page from
// another origin (a real server on another loopback port: Chromium only lets pages on
// loopback reach a Tracklight on loopback) frames the widget (isolated from the host's CSS, height following its
// content) and a shopper completes a consent in it; a site that is not allowed is refused.
import { test, expect, request as playwrightRequest, type APIRequestContext, type TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { dataDir, sandboxUrl } from '../playwright.config';

const demoKey = () => fs.readFileSync(path.join(dataDir, 'demo-api-key.txt'), 'utf8').trim();
const demoPassword = () => fs.readFileSync(path.join(dataDir, 'demo-login.txt'), 'utf8').trim();

/** The demo merchant's session, signed in once per worker (sign-ins are limited to five per
 * account in 15 minutes, and every test here needs the merchant). */
let merchantSession: APIRequestContext | undefined;
async function merchant(baseURL: string): Promise<APIRequestContext> {
  if (!merchantSession) {
    const session = await playwrightRequest.newContext({ baseURL });
    const signIn = await session.post('/api/fn/sign_in', {
      form: { email: 'demo@tracklight.example', password: demoPassword() },
    });
    expect(signIn.ok()).toBe(true);
    merchantSession = session;
  }
  return merchantSession;
}

/** As the demo merchant, allows `origins` to embed its widget (and, given, sets what the
 * order look-up asks beside the order number); answers the store's ID. */
async function allow(baseURL: string, origins: string, proof?: 'email' | 'postcode'): Promise<string> {
  const session = await merchant(baseURL);
  const settings = await (await session.post('/api/fn/settings', { form: {} })).json();
  const form: Record<string, string> = { csrf: settings.csrf, origins };
  if (proof) form.proof = proof;
  const saved = await session.post('/api/fn/settings_embed', { form });
  expect(saved.status()).toBe(200);
  return settings.store;
}

/** A new demo order in two parcels, with an email and a postcode; answers its number. */
async function twoParcelOrder(request: APIRequestContext, info: TestInfo): Promise<string> {
  const id = `L${info.project.name}${Date.now()}`;
  const resp = await request.put(`/api/v1/orders/${id}`, {
    headers: { authorization: `Bearer ${demoKey()}` },
    data: {
      customer: {
        id: `ec-${id}`, first_name: 'Noor', email: 'noor@example.com', shipping_country: 'NL',
        shipping_city: 'Utrecht', shipping_postcode: '3511 AB',
      },
      shipments: [
        { id: `${id}-1`, carrier: 'PostNL', tracking_number: '3SABCD0001', status: 'delivered' },
        { id: `${id}-2`, carrier: 'PostNL', tracking_number: '3SABCD0002', status: 'in_transit' },
      ],
    },
  });
  expect(resp.status()).toBe(201);
  return id;
}

async function newToken(request: APIRequestContext, info: TestInfo) {
  const id = `embed-${info.project.name}-${Date.now()}`;
  const resp = await request.put(`/api/v1/orders/${id}`, {
    headers: { authorization: `Bearer ${demoKey()}` },
    data: {
      customer: { id: `ec-${id}`, first_name: 'Rae', shipping_country: 'US' },
      shipments: [{ id: `${id}-1`, carrier: 'UPS', tracking_number: '1Z999AA10123456700' }],
    },
  });
  expect(resp.status()).toBe(201);
  return (await resp.json()).shipments[0].tracking_url.split('/').pop();
}

/** A merchant's site: serves the host page at every path, on its own origin. */
async function shopSite(body: string): Promise<{ origin: string; close: () => void }> {
  const server = http.createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => server.close() };
}

function hostPage(base: string, token: string) {
  return `<!DOCTYPE html><html><head><title>Order status</title>
    <style>* { color: rgb(255, 0, 0) !important; font-family: serif !important; } iframe { border: 5px solid black; }</style>
    </head><body><h1>Your order at the shop</h1>
    <script src="${base}/embed/v1.js" data-token="${token}" async></script>
    <p>Footer of the shop.</p></body></html>`;
}

test('an allowed site embeds the widget and a shopper signs up in it', async ({ page, request, baseURL }, info) => {
  const token = await newToken(request, info);
  const shop = await shopSite(hostPage(baseURL!, token));
  await allow(baseURL!, shop.origin);
  await page.goto(`${shop.origin}/orders/42`);
  const widget = page.frameLocator('iframe[title="Shipment tracking"]');
  await expect(widget.getByRole('heading', { level: 1 })).toHaveText('Order received', { timeout: 15_000 });
  // The host's CSS does not reach inside.
  const colour = await widget.getByRole('heading', { level: 1 }).evaluate((e) => getComputedStyle(e).color);
  expect(colour).not.toBe('rgb(255, 0, 0)');
  // The frame grows to its content (no inner scrollbar).
  await expect
    .poll(async () => page.locator('iframe').evaluate((f: HTMLIFrameElement) => parseInt(f.style.height || '0', 10)), { timeout: 10_000 })
    .toBeGreaterThan(600);

  await widget.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 15_000 });
  const phone = `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`;
  await widget.getByLabel('Mobile number').fill(phone);
  await widget.getByRole('checkbox').check();
  await widget.getByRole('button', { name: 'Sign up for texts' }).click();
  await expect(widget.getByRole('heading', { name: "You're signed up for texts" })).toBeVisible();
  // The record names the host page.
  const log = await (await (await merchant(baseURL!)).post('/api/fn/consent_log', { form: { state: '' } })).json();
  const row = log.rows.find((r: any) => r.phone_masked.endsWith(phone.slice(-3)));
  expect(row.page_url).toBe(`${shop.origin}/orders/42`);
  await expect
    .poll(async () => {
      const all = (await (await request.get(`${sandboxUrl}/sandbox/requests`)).json()).requests as any[];
      return all.some((r) => r.method === 'PATCH' && r.body?.customer?.external_id?.startsWith('ec-embed-'));
    })
    .toBe(true);
  shop.close();
});

test('one "Track your order" page serves every shipment from the link', async ({ page, request, baseURL }, info) => {
  const token = await newToken(request, info);
  const shop = await shopSite(`<!DOCTYPE html><html><head><title>Track your order</title></head><body>
    <h1>Track your order</h1><script src="${baseURL}/embed/v1.js" async></script></body></html>`);
  await allow(baseURL!, shop.origin);
  // From the shipping email's link: the token is in the page's address.
  await page.goto(`${shop.origin}/pages/track-your-order?tracklight=${token}`);
  const widget = page.frameLocator('iframe[title="Shipment tracking"]');
  await expect(widget.getByRole('heading', { level: 1 })).toHaveText('Order received', { timeout: 15_000 });
  await expect(widget.getByText('1Z999AA10123456700')).toBeVisible();
  // Without a token (or with a malformed one) the page shows no widget.
  for (const query of ['', '?tracklight=not%20a%20token']) {
    await page.goto(`${shop.origin}/pages/track-your-order${query}`);
    await expect(page.getByRole('heading', { name: 'Track your order' })).toBeVisible();
    await expect(page.locator('iframe')).toHaveCount(0);
  }
  shop.close();
});

test('a site that is not allowed cannot show the widget', async ({ page, request, baseURL }, info) => {
  const token = await newToken(request, info);
  const allowed = await shopSite('<p>allowed</p>');
  const other = await shopSite(hostPage(baseURL!, token));
  await allow(baseURL!, allowed.origin);
  const refused: string[] = [];
  page.on('console', (m) => refused.push(m.text()));
  await page.goto(`${other.origin}/orders/42`);
  await expect(page.locator('iframe')).toHaveCount(1);
  await expect.poll(() => refused.some((t) => /frame-ancestors/.test(t)), { timeout: 10_000 }).toBe(true);
  await expect(page.frameLocator('iframe').getByRole('heading', { level: 1 })).toHaveCount(0);
  allowed.close();
  other.close();
});

test('the "Track your order" page finds an order by number and email, or postcode, and refuses a wrong pair', async ({ page, request, baseURL }, info) => {
  const order = await twoParcelOrder(request, info);
  const store = await allow(baseURL!, '', 'email');
  const site = await shopSite(`<!DOCTYPE html><html lang="en"><head><title>Track your order</title></head><body>
    <h1>Track your order</h1><script src="${baseURL}/embed/v1.js" data-store="${store}" async></script></body></html>`);
  await allow(baseURL!, site.origin, 'email');
  try {
    // Opened without a token: the look-up form, in the frame.
    await page.goto(`${site.origin}/pages/track-your-order`);
    const widget = page.frameLocator('iframe[title="Shipment tracking"]');
    await expect(widget.getByRole('heading', { name: 'Track your order' })).toBeVisible({ timeout: 15_000 });
    // A wrong pair: the neutral message, the order number kept.
    await widget.getByLabel('Order number').fill(order);
    await widget.getByLabel('Email address').fill('someone@example.com');
    await widget.getByRole('button', { name: 'Find my order' }).click();
    await expect(widget.getByRole('alert')).toContainText("We couldn't find an order with that number and the email address.");
    await expect(widget.getByLabel('Order number')).toHaveValue(order);
    // An order that does not exist: the same words.
    await widget.getByLabel('Order number').fill(`${order}9`);
    await widget.getByLabel('Email address').fill('noor@example.com');
    await widget.getByRole('button', { name: 'Find my order' }).click();
    await expect(widget.getByRole('alert')).toContainText("We couldn't find an order with that number and the email address.");
    // The alert above was already there: wait for the new page itself, whose email field is empty
    // (a refused post keeps only the order number), before typing into it.
    await expect(widget.getByLabel('Email address')).toHaveValue('');
    await expect(widget.getByLabel('Order number')).toHaveValue(`${order}9`);
    // The right pair: the order's tracking, both parcels, in the frame.
    await widget.getByLabel('Order number').fill(`#${order}`);
    await widget.getByLabel('Email address').fill('Noor@Example.com');
    await widget.getByRole('button', { name: 'Find my order' }).click();
    await expect(widget.getByRole('heading', { level: 1 })).toHaveText('Your order ships in 2 parcels', { timeout: 15_000 });
    await expect(widget.getByText('3SABCD0002')).toBeVisible();

    // The merchant asks for the postcode instead.
    await allow(baseURL!, site.origin, 'postcode');
    await page.goto(`${site.origin}/pages/track-your-order`);
    await expect(widget.getByLabel('Postcode')).toBeVisible({ timeout: 15_000 });
    await widget.getByLabel('Order number').fill(order);
    await widget.getByLabel('Postcode').fill('3511ab');
    await widget.getByRole('button', { name: 'Find my order' }).click();
    await expect(widget.getByRole('heading', { level: 1 })).toHaveText('Your order ships in 2 parcels', { timeout: 15_000 });
  } finally {
    await allow(baseURL!, site.origin, 'email');
    site.close();
  }
});

test("the store's look-up page works with JavaScript off and shows each parcel with one sign-up", async ({ browser, page: axePage, request, baseURL }, info) => {
  const order = await twoParcelOrder(request, info);
  const store = await allow(baseURL!, '', 'email');
  const axe = async () => (await new AxeBuilder({ page: axePage }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze())
    .violations.map((v) => `${v.id}: ${v.help}`);
  // axe runs in a page with JavaScript; the shopper below has it off.
  await axePage.goto(`${baseURL}/track/${store}`);
  await expect(axePage.getByRole('heading', { name: 'Track your order' })).toBeVisible();
  expect(await axe()).toEqual([]);

  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${baseURL}/track/${store}`);
  await expect(page.getByRole('heading', { name: 'Track your order' })).toBeVisible();
  await page.getByLabel('Order number').fill(order);
  await page.getByLabel('Email address').fill('nobody@example.com');
  await page.getByRole('button', { name: 'Find my order' }).click();
  await expect(page.getByRole('alert')).toContainText("We couldn't find an order");
  await expect(page.getByLabel('Order number')).toHaveValue(order);
  await page.getByLabel('Email address').fill('noor@example.com');
  await page.getByRole('button', { name: 'Find my order' }).click();
  // The tracking page goes on in the language the look-up was read in.
  await expect(page).toHaveURL(/\/t\/[A-Za-z0-9_-]+\?lang=en$/);
  // Both parcels, each with its status, and the sign-up once for the order.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your order ships in 2 parcels');
  await expect(page.getByRole('heading', { name: 'Delivered' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'In transit' })).toBeVisible();
  await expect(page.getByText('Parcel 2 of 2')).toBeVisible();
  await expect(page.locator('form[action="/api/fn/sms_subscribe"]')).toHaveCount(1);
  await expect(page.getByText('noor@example.com')).toHaveCount(0);

  await axePage.goto(page.url());
  await expect(axePage.getByText('Parcel 2 of 2')).toBeVisible();
  expect(await axe()).toEqual([]);
  await context.close();
});
