// The SMS consent block as a shopper uses it, in Chromium: with the WebAssembly (no page
// reload) and without it (a plain form post), by keyboard, with inline errors; and what the
// built-in Yotpo sandbox then receives.
import { test, expect, type Page, type APIRequestContext, type TestInfo } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { dataDir, sandboxUrl } from '../playwright.config';

const auth = () => ({
  authorization: `Bearer ${fs.readFileSync(path.join(dataDir, 'demo-api-key.txt'), 'utf8').trim()}`,
});

/** A fresh order for this test (its own customer and phone), and its tracking page path. */
async function newOrder(request: APIRequestContext, info: TestInfo, withPhone = false) {
  const id = `e2e-${info.project.name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const digits = String(1000 + Math.floor(Math.random() * 8999));
  const resp = await request.put(`/api/v1/orders/${id}`, {
    headers: auth(),
    data: {
      customer: {
        id: `cust-${id}`,
        first_name: 'Sam',
        email: `${id}@example.com`,
        ...(withPhone ? { phone: `+1415555${digits}` } : {}),
        shipping_country: 'US',
        shipping_city: 'Austin',
      },
      shipments: [{ id: `${id}-1`, carrier: 'UPS', tracking_number: '1Z999AA10123456799' }],
    },
  });
  expect(resp.status()).toBe(201);
  const body = await resp.json();
  return {
    path: new URL(body.shipments[0].tracking_url).pathname,
    customer: `cust-${id}`,
    phone: `(415) 555-${digits}`,
    e164: `+1415555${digits}`,
  };
}

/** Page errors and console errors, except the 422 of a refused submission (which Chromium
 * logs as a failed resource). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 422/.test(m.text())) errors.push(m.text());
  });
  return errors;
}

async function hydrated(page: Page) {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 15_000 });
}

type Recorded = { method: string; path: string; status: number; body: any; at_ms: number };

async function sandboxRequests(request: APIRequestContext): Promise<Recorded[]> {
  const resp = await request.get(`${sandboxUrl}/sandbox/requests`);
  expect(resp.status()).toBe(200);
  return (await resp.json()).requests;
}

/** How the sandbox's request log shows a phone (it masks personal data). */
const masked = (e164: string) => e164.slice(0, 2) + '*'.repeat(e164.length - 5) + e164.slice(-3);

/** A subscriber as the sandbox store holds it (unmasked: it stands in for Yotpo's records). */
async function storedSubscriber(request: APIRequestContext, store: string, e164: string) {
  const resp = await request.get(`${sandboxUrl}/sandbox/stores/${store}`);
  expect(resp.status()).toBe(200);
  return ((await resp.json()).subscribers as any[]).find((s) => s.phone === e164);
}

const checkbox = (page: Page) => page.getByRole('checkbox', { name: /recurring automated marketing text messages/ });

test('with JavaScript: tick, type, submit, confirmation without reload; no checkbox after', async ({ page, request }, info) => {
  const started = Date.now();
  const order = await newOrder(request, info);
  const errors = watchErrors(page);
  await page.goto(order.path);
  await hydrated(page);

  const box = checkbox(page);
  await expect(box).not.toBeChecked();
  const size = await box.boundingBox();
  expect(size!.width).toBeGreaterThanOrEqual(24);
  expect(size!.height).toBeGreaterThanOrEqual(24);
  for (const required of ['not a condition of purchase', 'Message frequency varies', 'Message and data rates may apply', 'HELP', 'STOP']) {
    await expect(page.locator('.consent')).toContainText(required);
  }
  await expect(page.getByRole('link', { name: 'Terms' })).toHaveAttribute('href', /\/demo\/terms$/);
  await expect(page.getByRole('link', { name: 'Privacy Policy' })).toHaveAttribute('href', /\/demo\/privacy$/);
  await expect(page.getByLabel('Country')).toHaveValue('US');

  await page.evaluate(() => ((window as any).__noReload = true));
  // Not ticked: an inline error on the checkbox, and nothing sent.
  await page.getByLabel('Mobile number').fill(order.phone);
  await page.getByRole('button', { name: 'Sign up for texts' }).click();
  await expect(page.locator('#sms-consent-error')).toHaveText(/Tick the box/);
  await expect(box).toHaveAttribute('aria-invalid', 'true');
  // Focus goes to the field in error.
  await expect(box).toBeFocused();
  // A landline: an inline error on the phone field.
  await page.getByLabel('Mobile number').fill('+44 20 7946 0018');
  await box.focus();
  await page.keyboard.press('Space');
  await expect(box).toBeChecked();
  await page.getByRole('button', { name: 'Sign up for texts' }).click();
  await expect(page.locator('#sms-phone-error')).toHaveText(/landline/);
  await expect(page.getByLabel('Mobile number')).toHaveAttribute('aria-invalid', 'true');
  // The earlier error is gone.
  await expect(page.locator('#sms-consent-error')).toHaveText('');
  await expect(box).not.toHaveAttribute('aria-invalid', /.*/);

  // By keyboard: the right number, then Enter in the field submits.
  await page.getByLabel('Mobile number').fill(order.phone);
  await page.getByLabel('Mobile number').press('Enter');
  await expect(page.getByRole('heading', { name: "You're signed up for texts" })).toBeVisible();
  await expect(page.getByRole('heading', { name: "You're signed up for texts" })).toBeFocused();
  await expect(page.locator('.consent--done')).toContainText(order.e164.slice(-3));
  await expect(checkbox(page)).toHaveCount(0);
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);

  // What Yotpo (the sandbox) received: the customer at once, the opt-in two seconds later,
  // once. Tests run one at a time, so an opt-in logged since this test began is this one's.
  const isOptIn = (r: Recorded) =>
    r.method === 'POST' && r.path.endsWith('/subscribers') && r.at_ms >= started && r.body?.subscriber?.phone === masked(order.e164);
  await expect
    .poll(async () => (await sandboxRequests(request)).filter(isOptIn).length, { timeout: 15_000 })
    .toBe(1);
  const received = await sandboxRequests(request);
  const patch = received.find((r) => r.method === 'PATCH' && r.body?.customer?.external_id === order.customer)!;
  const post = received.find(isOptIn)!;
  expect(post.body.subscriber.list_id).toBe(1001);
  expect(post.body.subscriber.source).toBe('tracking_page');
  expect(post.at_ms - patch.at_ms).toBeGreaterThanOrEqual(2_000);
  const stored = await storedSubscriber(request, 'northwind-demo', order.e164);
  expect(stored.list_ids).toEqual([1001]);

  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('heading', { name: "You're signed up for texts" })).toBeVisible();
  await expect(checkbox(page)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('with JavaScript: progress while sending, and an error for the whole form', async ({ page, request }, info) => {
  const order = await newOrder(request, info);
  const errors = watchErrors(page);
  await page.goto(order.path);
  await hydrated(page);
  // The text the shopper saw is not the store's current text (as if it changed meanwhile).
  await page.locator('input[name="disclosure"]').evaluate((el: HTMLInputElement) => (el.value = '0'.repeat(64)));
  await page.getByLabel('Mobile number').fill(order.phone);
  await checkbox(page).check();
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/fn/sms_subscribe', async (route) => {
    await held;
    await route.continue();
  });
  const button = page.locator('.consent__form button[type="submit"]');
  await button.click();
  await expect(button).toHaveText('Signing you up…');
  await expect(button).toHaveAttribute('aria-disabled', 'true');
  release();
  await expect(page.getByRole('alert')).toHaveText(/sign-up text has changed/);
  await expect(button).toHaveText('Sign up for texts');
  await expect(button).not.toHaveAttribute('aria-disabled', /.*/);
  await expect(page.locator('#sms-phone-error')).toHaveText('');
  expect(errors).toEqual([]);
});

test('when Yotpo is too slow for the page, the hydrated page asks again and shows the offer', async ({ page, request }, info) => {
  const order = await newOrder(request, info);
  const faults = (patch: object) => request.put(`${sandboxUrl}/sandbox/faults`, { data: patch });
  expect((await faults({ latency_ms: 1500 })).status()).toBe(200);
  try {
    const resp = await page.goto(order.path);
    // The page did not wait for Yotpo: the offer is there, hidden, until the browser knows.
    expect(await resp!.text()).toContain('data-status="checking"');
    await hydrated(page);
    await expect(checkbox(page)).toBeVisible({ timeout: 10_000 });
    await expect(page.locator('#sms-offer')).toHaveAttribute('data-status', 'offer');
  } finally {
    expect((await faults({ latency_ms: 0 })).status()).toBe(200);
  }
});

test('the number on the order is offered masked and signed up from the server', async ({ page, request }, info) => {
  const order = await newOrder(request, info, true);
  const errors = watchErrors(page);
  await page.goto(order.path);
  await hydrated(page);
  const html = await page.content();
  expect(html).not.toContain(order.e164.slice(2));
  const mine = page.getByRole('radio', { name: new RegExp(`The number on my order, \\+1\\*+${order.e164.slice(-3)}`) });
  await expect(mine).toBeChecked();
  await checkbox(page).check();
  await page.getByRole('button', { name: 'Sign up for texts' }).click();
  await expect(page.getByRole('heading', { name: "You're signed up for texts" })).toBeVisible();
  await expect(page.locator('.consent--done')).toContainText(order.e164.slice(-3));
  expect(errors).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the form posts, shows errors next to the field, then confirms', async ({ page, request }, info) => {
    const order = await newOrder(request, info);
    await page.goto(order.path);
    await page.getByLabel('Mobile number').fill('12');
    await checkbox(page).check();
    await page.getByRole('button', { name: 'Sign up for texts' }).click();
    await expect(page.locator('#sms-phone-error')).toHaveText('This number is too short.');
    expect(new URL(page.url()).pathname).toBe(order.path);
    // What the shopper typed is still in the field; the URL carries only a sealed error.
    await expect(page.getByLabel('Mobile number')).toHaveValue('12');
    expect(page.url()).not.toContain('phone');
    // A link that writes its own message into the block shows nothing of it.
    const forged = Buffer.from(JSON.stringify({ Invalid: { field: 'phone', message: 'Call +1 900 555 0199 now' } })).toString('base64url');
    await page.goto(`${order.path}?__path=%2Fapi%2Ffn%2Fsms_subscribe&__err=${forged}`);
    await expect(page.locator('#sms-phone-error')).toHaveText('');
    await expect(page.locator('.consent')).not.toContainText('900 555');

    await page.getByLabel('Mobile number').fill(order.phone);
    await checkbox(page).check();
    await page.getByRole('button', { name: 'Sign up for texts' }).click();
    await expect(page.getByRole('heading', { name: "You're signed up for texts" })).toBeVisible();
    await page.goto(order.path);
    await expect(checkbox(page)).toHaveCount(0);
    await expect
      .poll(async () => (await sandboxRequests(request)).some((r) => r.method === 'PATCH' && r.body?.customer?.external_id === order.customer), { timeout: 10_000 })
      .toBe(true);
  });
});
