// A merchant connects Klaviyo in Chromium (the built-in Klaviyo sandbox), sees their lists
// with each one's opt-in process, makes Klaviyo the provider; a shopper's consent on one of
// their tracking pages then arrives in that Klaviyo account, subscribed, on the list. The
// merchant then sends shipment milestones as events: a checkpoint's milestone arrives there.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { newMerchant } from './account';
import { klaviyoSandboxUrl } from '../playwright.config';

test('connect Klaviyo, pick a list; a shopper then signs up to it', async ({ page, request }, info) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 422/.test(m.text())) errors.push(m.text());
  });
  const id = `${info.project.name}-kl-${Date.now()}`;
  const store = `Fjord Knits ${id}`;
  await newMerchant(page, store, `owner-${id}@fjord.example`);

  // An account of the merchant's own in the Klaviyo sandbox.
  const klaviyo = page.locator('section[aria-labelledby="klaviyo-title"]');
  await klaviyo.getByRole('button', { name: 'Use a Klaviyo sandbox account' }).click();
  const connected = klaviyo.getByText(/Connected to the Klaviyo sandbox account sandbox-\w+, list TrkSub\./);
  await expect(connected).toBeVisible();
  const account = (await connected.textContent())!.match(/account (sandbox-\w+)/)![1];
  await expect(klaviyo.getByLabel('Klaviyo list ID')).toHaveValue('TrkSub');

  // The account's lists, each with its opt-in process.
  await klaviyo.getByRole('button', { name: 'Load my lists' }).click();
  await expect(klaviyo.locator('ul.lists')).toContainText('Tracking page subscribers (single opt-in)');
  await expect(klaviyo.locator('ul.lists')).toContainText('Newsletter (double opt-in: the shopper confirms by text)');

  // A list that is not the account's is refused next to the field, naming the real ones.
  await klaviyo.getByLabel('Klaviyo list ID').fill('Nope');
  await klaviyo.getByLabel('Terms of Service link').fill('https://fjord.example/terms');
  await klaviyo.getByLabel('Privacy Policy link').fill('https://fjord.example/privacy');
  await klaviyo.getByRole('button', { name: 'Save and use Klaviyo' }).click();
  await expect(page.locator('#klaviyo_list_id-error')).toContainText('Tracking page subscribers (TrkSub)');
  await klaviyo.getByLabel('Klaviyo list ID').fill('TrkSub');
  await klaviyo.getByRole('button', { name: 'Save and use Klaviyo' }).click();
  await expect(page.locator('.status-line')).toContainText('they go to Klaviyo', { timeout: 10_000 });
  await expect(page.getByRole('radio', { name: /Klaviyo \(connected\)/ })).toBeChecked();
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  await page.getByLabel('New key for').fill('e2e');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.locator('.new-key').textContent())!.trim();
  const orderId = `k-${id}`;
  const customer = `kc-${id}`;
  const resp = await request.put(`/api/v1/orders/${orderId}`, {
    headers: { authorization: `Bearer ${key}` },
    data: {
      customer: { id: customer, first_name: 'Siri', email: `siri-${id}@example.com`, shipping_country: 'US' },
      shipments: [{ id: `${orderId}-1`, carrier: 'USPS', tracking_number: '9400100000000000000002' }],
    },
  });
  expect(resp.status()).toBe(201);
  const tracking = new URL((await resp.json()).shipments[0].tracking_url).pathname;

  const shopper = await page.context().browser()!.newPage();
  shopper.on('pageerror', (e) => errors.push(e.message));
  await shopper.goto(tracking);
  await shopper.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  await expect(shopper.getByRole('heading', { name: `Get texts from ${store}` })).toBeVisible();
  const phone = `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`;
  await shopper.getByLabel('Mobile number').fill(phone);
  await shopper.getByRole('checkbox').check();
  await shopper.getByRole('button', { name: 'Sign up for texts' }).click();
  await expect(shopper.getByRole('heading', { name: "You're signed up for texts" })).toBeVisible();

  // In the merchant's Klaviyo account: the profile with the order's customer ID, subscribed
  // to SMS marketing, on the list.
  await expect
    .poll(async () => {
      const state = await (await request.get(`${klaviyoSandboxUrl}/sandbox/klaviyo/accounts/${account}`)).json();
      const profile = (state.profiles as any[]).find((p) => p.attributes.phone_number === phone);
      const member = (state.lists as any[]).find((l) => l.id === 'TrkSub')?.members?.includes(profile?.id);
      return `${profile?.attributes?.external_id} ${profile?.attributes?.subscriptions?.sms?.marketing?.consent} ${member}`;
    }, { timeout: 15_000 })
    .toBe(`${customer} SUBSCRIBED true`);
  // The merchant sends two milestones to Klaviyo as events; a checkpoint then passes one.
  await page.goto('/settings');
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  const milestones = page.locator('section[aria-labelledby="milestones-title"]');
  await expect(milestones.getByRole('row', { name: /Out for delivery/ })).toContainText('Shipment Out For Delivery');
  await milestones.getByLabel('Out for delivery').check();
  await milestones.getByLabel('Delivered', { exact: true }).check();
  await milestones.getByRole('button', { name: 'Save milestones' }).click();
  await expect(milestones.getByRole('status')).toContainText('Out for delivery, Delivered');
  await expect(milestones.getByLabel('Out for delivery')).toBeChecked();
  const checkpoint = await request.post(`/api/v1/shipments/${orderId}-1/checkpoints`, {
    headers: { authorization: `Bearer ${key}` },
    data: { checkpoints: [{ time: new Date().toISOString(), location: 'Oslo, NO', message: 'On the van', status: 'out_for_delivery' }] },
  });
  expect(checkpoint.status()).toBe(200);
  await expect
    .poll(async () => {
      const state = await (await request.get(`${klaviyoSandboxUrl}/sandbox/klaviyo/accounts/${account}`)).json();
      return (state.events as any[]).map((e) => `${e.metric} ${e.properties.tracking_number} ${e.properties.last_checkpoint}`);
    }, { timeout: 15_000 })
    .toEqual(['Shipment Out For Delivery 9400100000000000000002 On the van']);
  // The consent log shows where the consent went, and the event sent.
  await page.goto('/settings/consents');
  await expect(page.locator('tbody tr').first()).toContainText('Klaviyo');
  const events = page.locator('section[aria-labelledby="events-title"]');
  await expect(events.locator('dd').first()).toHaveText('1');
  expect(errors).toEqual([]);
});
