// A new merchant account, as a merchant makes one: the sign-up form, then sign-in, landing
// on the settings page. Shared by the browser tests that start from a fresh store.
import { expect, type Page } from '@playwright/test';

export const PASSWORD = 'correct horse battery staple';

/** Creates the store `store` for `email` and signs in; resolves on the settings page. */
export async function newMerchant(page: Page, store: string, email: string) {
  await page.goto('/signup');
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  await page.getByLabel('Store name').fill(store);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/signin\?created/);
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/settings$/);
}
