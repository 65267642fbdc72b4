// A merchant sets Tracklight up alone, in Chromium: sign up, connect (the sandbox's) Yotpo,
// add Terms and Privacy links, make an API key; then a shopper on one of their tracking
// pages sees their brand's consent block, and the opt-in goes to their list.
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { sandboxUrl } from '../playwright.config';

/** Signs in on the sign-in page, and waits for the settings page. */
async function signIn(page: Page, email: string) {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/settings$/);
}

test('sign up, connect Yotpo, create a key; shoppers then get the sign-up', async ({ page, request }, info) => {
  const started = Date.now();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 422/.test(m.text())) errors.push(m.text());
  });
  const id = `${info.project.name}-${Date.now()}`;
  const store = `Harbour Tea ${id}`;

  await page.goto('/signup');
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  await page.getByLabel('Store name').fill(store);
  await page.getByLabel('Email').fill(`owner-${id}@harbour.example`);
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#password-error')).toHaveText('Use at least 12 characters.');
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
  // Sign-up answers the same for known and new emails: then the merchant signs in.
  await expect(page).toHaveURL(/\/signin\?created/);
  await expect(page.getByRole('status')).toContainText('your account is ready');
  await signIn(page, `owner-${id}@harbour.example`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');
  await expect(page.locator('.status-line')).toContainText('Text sign-ups are off');

  await page.getByRole('button', { name: 'Use a sandbox store' }).click();
  await expect(page.getByText(/Connected to the sandbox store sandbox-/)).toBeVisible();
  await expect(page.getByLabel('Yotpo store ID')).toHaveValue(/^sandbox-/);
  const yotpo = page.locator('section[aria-labelledby="sms-settings-title"]');
  await yotpo.getByLabel('Terms of Service link').fill('https://harbour.example/terms');
  await yotpo.getByLabel('Privacy Policy link').fill('https://harbour.example/privacy');
  await yotpo.getByLabel('Extra text (optional)').fill('Free samples for subscribers.');
  await yotpo.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('.status-line')).toContainText('Tracking pages offer text sign-ups', { timeout: 10_000 });
  // The live preview shows the block with the store's name and the extra text.
  const preview = page.frameLocator('iframe[title="Preview of the text sign-up"]');
  await expect(preview.getByRole('heading', { name: `Get texts from ${store}` })).toBeVisible();
  await expect(preview.locator('.consent')).toContainText('Free samples for subscribers.');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByText(/Connected: Yotpo SMS & Email accepted/)).toBeVisible();

  await page.getByLabel('New key for').fill('e2e');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.locator('.new-key').textContent())!.trim();
  expect(key).toMatch(/^tl_/);
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  // The merchant's backend sends an order with the new key.
  const orderId = `m-${id}`;
  const resp = await request.put(`/api/v1/orders/${orderId}`, {
    headers: { authorization: `Bearer ${key}` },
    data: {
      customer: { id: `mc-${id}`, first_name: 'Lee', shipping_country: 'US' },
      shipments: [{ id: `${orderId}-1`, carrier: 'USPS', tracking_number: '9400100000000000000000' }],
    },
  });
  expect(resp.status()).toBe(201);
  const tracking = new URL((await resp.json()).shipments[0].tracking_url).pathname;

  // A shopper opens it.
  const shopper = await page.context().browser()!.newPage();
  await shopper.goto(tracking);
  await shopper.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  await expect(shopper.getByRole('heading', { name: `Get texts from ${store}` })).toBeVisible();
  await expect(shopper.locator('.consent')).toContainText('Free samples for subscribers.');
  const phone = `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`;
  await shopper.getByLabel('Mobile number').fill(phone);
  await shopper.getByRole('checkbox').check();
  await shopper.getByRole('button', { name: 'Sign up for texts' }).click();
  await expect(shopper.getByRole('heading', { name: "You're signed up for texts" })).toBeVisible();
  // The sandbox's log masks phones (+1*******123); tests run one at a time, so an opt-in
  // for this number logged since the test began is this shopper's.
  const masked = phone.slice(0, 2) + '*'.repeat(phone.length - 5) + phone.slice(-3);
  await expect
    .poll(async () => {
      const r = await request.get(`${sandboxUrl}/sandbox/requests`);
      const all = (await r.json()).requests as any[];
      return all.find((x) => x.method === 'POST' && x.at_ms >= started && x.body?.subscriber?.phone === masked)?.path ?? '';
    }, { timeout: 15_000 })
    .toMatch(/\/messaging\/v3\/stores\/sandbox-[^/]+\/subscribers$/);
  // The merchant's own sandbox store holds the shopper's full number on its list.
  const post = ((await (await request.get(`${sandboxUrl}/sandbox/requests`)).json()).requests as any[])
    .find((x) => x.method === 'POST' && x.at_ms >= started && x.body?.subscriber?.phone === masked);
  const sandboxStore = await (await request.get(`${sandboxUrl}/sandbox/stores/${post.store_id}`)).json();
  expect(sandboxStore.subscribers.find((s: any) => s.phone === phone)?.list_ids).toEqual([1001]);
  expect(errors).toEqual([]);
});

test('a merchant shows a published Yotpo form instead; shoppers sign up through it', async ({ page, request }, info) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const id = `${info.project.name}-form-${Date.now()}`;
  await page.goto('/signup');
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  await page.getByLabel('Store name').fill(`Quay Coffee ${id}`);
  await page.getByLabel('Email').fill(`owner-${id}@quay.example`);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/signin\?created/);
  await signIn(page, `owner-${id}@quay.example`);
  await page.getByRole('button', { name: 'Use a sandbox store' }).click();
  await expect(page.getByText(/Connected to the sandbox store sandbox-/)).toBeVisible();
  const store = await page.getByLabel('Yotpo store ID').inputValue();

  // The account's published forms are offered; a wrong code is refused next to the field.
  const section = page.locator('section', { hasText: 'Sign-up form' });
  await expect(section).toContainText('Published in your Yotpo account: form 7001.');
  const script = await page.locator('datalist#yotpo-forms option').first().getAttribute('value');
  expect(script).toBe(`${sandboxUrl}/forms/${store}/form_7001.js`);
  const field = page.getByLabel('Yotpo form code (optional)');
  await field.fill('https://forms.smsbump.com/1/form_2.js');
  await section.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#form_code-error')).toContainText('is not a Yotpo form');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await field.fill(`<div><script src="${script}"></script></div>`);
  await section.getByRole('button', { name: 'Save' }).click();
  await expect(section).toContainText(`Now showing your Yotpo form ${script}`, { timeout: 10_000 });
  await expect(page.locator('.status-line').first()).toContainText('show your Yotpo sign-up form');
  const preview = page.frameLocator('iframe[title="Preview of the text sign-up"]');
  await expect(preview.locator('.yotpo-sandbox-form')).toBeVisible();

  await page.getByLabel('New key for').fill('e2e');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.locator('.new-key').textContent())!.trim();
  const orderId = `f-${id}`;
  const resp = await request.put(`/api/v1/orders/${orderId}`, {
    headers: { authorization: `Bearer ${key}` },
    data: {
      customer: { id: `fc-${id}`, first_name: 'Ida', shipping_country: 'US' },
      shipments: [{ id: `${orderId}-1`, carrier: 'USPS', tracking_number: '9400100000000000000001' }],
    },
  });
  expect(resp.status()).toBe(201);
  const tracking = new URL((await resp.json()).shipments[0].tracking_url).pathname;

  // The shopper sees Yotpo's form (the sandbox's stand-in) and no checkbox; the page still
  // hydrates, and the sign-up goes to Yotpo directly.
  const shopper = await page.context().browser()!.newPage();
  shopper.on('pageerror', (e) => errors.push(e.message));
  await shopper.goto(tracking);
  await shopper.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  const form = shopper.locator('.yotpo-sandbox-form');
  await expect(form).toHaveCount(1);
  await expect(shopper.getByRole('checkbox')).toHaveCount(0);
  await shopper.getByRole('link', { name: 'Refresh' }).click();
  await expect(form).toHaveCount(1);
  const phone = `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`;
  await form.getByLabel('Mobile number, with country code').fill('12');
  await form.getByRole('button', { name: 'Subscribe' }).click();
  await expect(form.getByRole('status')).toContainText('country code');
  await form.getByLabel('Mobile number, with country code').fill(phone);
  await form.getByRole('button', { name: 'Subscribe' }).click();
  await expect(form).toContainText('Thanks! You are subscribed');
  const storeState = await (await request.get(`${sandboxUrl}/sandbox/stores/${store}`)).json();
  const subscriber = (storeState.subscribers as any[]).find((s) => s.phone === phone);
  expect(subscriber?.list_ids).toEqual([1001]);
  expect(errors).toEqual([]);
});
