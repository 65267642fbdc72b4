// A merchant rewards SMS sign-ups with Yotpo Loyalty points, in Chromium (the built-in
// sandbox): the loyalty account connected from the settings page, the points promised in the
// preview and on a shopper's tracking page, and after the shopper signs up the consent log
// says the points were awarded.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { newMerchant } from './account';

test('a sign-up earns the loyalty points the consent block promises', async ({ page, request }, info) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 422/.test(m.text())) errors.push(m.text());
  });
  const id = `${info.project.name}-loy-${Date.now()}`;
  await newMerchant(page, `Pine Goods ${id}`, `owner-${id}@pine.example`);

  // Yotpo SMS & Email from the sandbox, with the links the disclosure needs.
  await page.getByRole('button', { name: 'Use a sandbox store' }).click();
  await expect(page.getByText(/Connected to the sandbox store sandbox-/)).toBeVisible();
  const yotpo = page.locator('section[aria-labelledby="sms-settings-title"]');
  await yotpo.getByLabel('Terms of Service link').fill('https://pine.example/terms');
  await yotpo.getByLabel('Privacy Policy link').fill('https://pine.example/privacy');
  await yotpo.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('.status-line')).toContainText('Tracking pages offer text sign-ups', { timeout: 10_000 });

  // Yotpo Loyalty: a wrong key is refused next to its field; the sandbox account connects.
  const loyalty = page.locator('section[aria-labelledby="loyalty-title"]');
  await loyalty.getByLabel('GUID').fill('no-such-account');
  await loyalty.getByLabel('API key').fill('wrong');
  await loyalty.getByLabel('Custom action name for a sign-up').fill('Tracklight SMS sign-up');
  await loyalty.getByLabel('Points shown to shoppers').fill('100');
  await loyalty.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#loyalty_key-error')).toHaveText('Yotpo Loyalty refused this GUID and API key.');
  // Nothing was saved.
  await page.reload();
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  await expect(loyalty.getByLabel('GUID')).toHaveValue('');
  await loyalty.getByRole('button', { name: 'Use a sandbox loyalty account' }).click();
  await expect(loyalty.getByRole('status')).toHaveText('Saved. Sign-ups earn 100 points through “Tracklight SMS sign-up”.');
  await expect(loyalty.getByLabel('GUID')).toHaveValue(/^loyalty-/);
  await expect(loyalty.getByLabel('Points shown to shoppers')).toHaveValue('100');
  const preview = page.frameLocator('iframe[title="Preview of the text sign-up"]');
  await expect(preview.locator('.consent__points')).toHaveText('Sign up and earn 100 loyalty points.');
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  await page.getByLabel('New key for').fill('e2e');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.locator('.new-key').textContent())!.trim();
  const orderId = `l-${id}`;
  const resp = await request.put(`/api/v1/orders/${orderId}`, {
    headers: { authorization: `Bearer ${key}` },
    data: {
      customer: { id: `lc-${id}`, first_name: 'Noor', email: `noor-${id}@example.com`, shipping_country: 'US' },
      shipments: [{ id: `${orderId}-1`, carrier: 'USPS', tracking_number: '9400100000000000000001' }],
    },
  });
  expect(resp.status()).toBe(201);
  const tracking = new URL((await resp.json()).shipments[0].tracking_url).pathname;

  const shopper = await page.context().browser()!.newPage();
  await shopper.goto(tracking);
  await shopper.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  await expect(shopper.locator('.consent__points')).toHaveText('Sign up and earn 100 loyalty points.');
  const phone = `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`;
  await shopper.getByLabel('Mobile number').fill(phone);
  await shopper.getByRole('checkbox').check();
  await shopper.getByRole('button', { name: 'Sign up for texts' }).click();
  await expect(shopper.getByRole('heading', { name: "You're signed up for texts" })).toBeVisible();

  // The opt-in goes out after its delay; then the points. The consent log says so.
  await expect
    .poll(
      async () => {
        await page.goto('/settings/consents');
        return (await page.locator('table tbody tr').first().textContent()) ?? '';
      },
      { timeout: 30_000, intervals: [1_000] },
    )
    .toContain('Awarded');
  expect(errors).toEqual([]);
});
