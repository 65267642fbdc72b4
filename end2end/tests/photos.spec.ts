// A shopper shares photos of a delivered order, in Chromium: with the widget (in the
// background, with progress) and without JavaScript (a plain multipart post); the photos
// carry GPS in their EXIF, and the store rewards an approved one with loyalty points. The
// merchant turns the feature on, sees the submissions in the moderation grid, approves the
// two shared from the page and rejects a third; the Yotpo sandbox receives both imports,
// whose URLs serve the photos without their metadata, and nothing unapproved is public.
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { sandboxUrl } from '../playwright.config';
import { newMerchant } from './account';

/** An EXIF block as a phone writes it (little-endian TIFF): a GPS latitude of 52° 31′ N. */
function exifWithGps(): Buffer {
  const tiff = Buffer.alloc(8 + 18 + 2 + 24 + 4 + 24);
  let at = 0;
  const u16 = (v: number) => { tiff.writeUInt16LE(v, at); at += 2; };
  const u32 = (v: number) => { tiff.writeUInt32LE(v, at); at += 4; };
  tiff.write('II', 0); at = 2; u16(0x2a); u32(8);
  // IFD0: the GPS pointer; the GPS IFD at 8 + 2 + 12 + 4 = 26.
  u16(1); u16(0x8825); u16(4); u32(1); u32(26); u32(0);
  // GPS IFD: latitude ref and latitude (rationals at 26 + 2 + 24 + 4 = 56).
  u16(2);
  u16(0x0001); u16(2); u32(2); tiff.write('N\0\0\0', at); at += 4;
  u16(0x0002); u16(5); u32(3); u32(56); u32(0);
  for (const [n, d] of [[52, 1], [31, 1], [0, 1]]) { u32(n); u32(d); }
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xffe1, 0);
  header.writeUInt16BE(2 + 6 + tiff.length, 2);
  return Buffer.concat([header, Buffer.from('Exif\0\0', 'binary'), tiff]);
}

/** A JPEG the browser draws, with that EXIF block after its start marker. */
async function photoWithGps(page: Page, hue: number): Promise<Buffer> {
  const dataUrl = await page.evaluate((hue) => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 240;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = `hsl(${hue} 70% 50%)`;
    ctx.fillRect(0, 0, 320, 240);
    ctx.fillStyle = '#fff';
    ctx.fillRect(40, 40, 120, 80);
    return canvas.toDataURL('image/jpeg', 0.9);
  }, hue);
  const jpeg = Buffer.from(dataUrl.split(',')[1], 'base64');
  return Buffer.concat([jpeg.subarray(0, 2), exifWithGps(), jpeg.subarray(2)]);
}

const hasExif = (bytes: Buffer) => bytes.includes(Buffer.from('Exif\0\0', 'binary'));

test('a delivered order\'s photos reach Yotpo Reviews once the merchant approves them', async ({ page, request, browser }, info) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const id = `${info.project.name}-ph-${Date.now()}`;
  await newMerchant(page, `Fern Ceramics ${id}`, `owner-${id}@fern.example`);
  await page.getByRole('button', { name: 'Use a sandbox store' }).click();
  const connected = page.getByText(/Connected to the sandbox store sandbox-/);
  await expect(connected).toBeVisible();
  const store = (await connected.textContent())!.match(/sandbox-[\w-]+/)![0];
  await page.getByLabel('New key for').fill('e2e');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.locator('.new-key').textContent())!.trim();
  // Yotpo Loyalty from the sandbox: its accounts reward a delivery photo with 50 points.
  const loyalty = page.locator('section[aria-labelledby="loyalty-title"]');
  await loyalty.getByRole('button', { name: 'Use a sandbox loyalty account' }).click();
  await expect(loyalty.getByLabel('Points shown for a photo')).toHaveValue('50');

  // The merchant turns photos on.
  await page.getByRole('link', { name: "Shoppers' photos" }).first().click();
  await expect(page).toHaveURL(/\/settings\/photos$/);
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  await page.getByLabel('Invite shoppers to share photos of delivered orders').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText("Saved: delivered orders' tracking pages invite shoppers to share photos.")).toBeVisible();

  const orderId = `p-${id}`;
  const resp = await request.put(`/api/v1/orders/${orderId}`, {
    headers: { authorization: `Bearer ${key}` },
    data: {
      customer: { id: `pc-${id}`, first_name: 'Ines', email: `ines-${id}@example.com`, shipping_country: 'US' },
      shipments: [{ id: `${orderId}-1`, carrier: 'USPS', tracking_number: '9400100000000000000002', status: 'delivered' }],
      product_ids: ['MUG-7'],
    },
  });
  expect(resp.status()).toBe(201);
  const tracking = new URL((await resp.json()).shipments[0].tracking_url).pathname;

  // With the widget: sent in the background, the status says so, no reload.
  const shopperContext = await browser.newContext();
  const shopper = await shopperContext.newPage();
  const shopperErrors: string[] = [];
  shopper.on('pageerror', (e) => shopperErrors.push(e.message));
  await shopper.goto(tracking);
  const section = shopper.locator('#photos');
  await expect(section.getByRole('heading', { name: 'Share a photo of your order' })).toBeVisible();
  await expect(section.locator('.photos__points')).toHaveText(/^Earn 50 loyalty points when Fern Ceramics .* approves your photo\.$/);
  await shopper.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  await section.getByLabel('Photos or a short video').setInputFiles({
    name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps(shopper, 20),
  });
  await section.getByLabel('Caption (optional)').fill('Arrived safe and sound');
  // What the shopper sees while it uploads: the bar and the status line, as they change.
  await section.evaluate((el) => {
    const seen = { shown: false, values: [] as number[], statuses: [] as string[] };
    (window as unknown as { uploadSeen: typeof seen }).uploadSeen = seen;
    const bar = el.querySelector('progress')!;
    const status = el.querySelector('.photos__status')!;
    new MutationObserver(() => {
      seen.shown ||= !bar.hidden;
      seen.values.push(bar.value);
      seen.statuses.push(status.textContent ?? '');
    }).observe(el, { subtree: true, attributes: true, childList: true, characterData: true });
  });
  await section.getByRole('button', { name: 'Share' }).click();
  await expect(section.locator('.photos__status')).toHaveText(/Thank you!/, { timeout: 15_000 });
  // The bar was shown and filled (the request body's last progress event is the whole of
  // it); the status line said the start and the end; the bar is gone again.
  const seen = await shopper.evaluate(() =>
    (window as unknown as { uploadSeen: { shown: boolean, values: number[], statuses: string[] } }).uploadSeen);
  expect(seen.shown).toBe(true);
  expect(seen.values).toContain(100);
  expect(seen.statuses.some((s) => /^Uploading…\D*0\D*%$/.test(s))).toBe(true);
  expect(seen.statuses.some((s) => /^Uploading…\D*100\D*%$/.test(s))).toBe(true);
  await expect(section.locator('.photos__progress')).toBeHidden();
  expect(new URL(shopper.url()).pathname).toBe(tracking);
  const axe = await new AxeBuilder({ page: shopper }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  expect(shopperErrors).toEqual([]);

  // Without JavaScript: a plain multipart post; a script named like a photo is refused
  // with the reason, then a real photo is taken.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto(tracking);
  await plain.getByLabel('Photos or a short video').setInputFiles({
    name: 'cat.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('<script>alert(1)</script>'),
  });
  await plain.getByRole('button', { name: 'Share' }).click();
  await expect(plain).toHaveURL(/\/photos\?refused=type/);
  await expect(plain.getByRole('alert')).toContainText("That file isn't a photo or video we can take");
  await plain.getByLabel('Photos or a short video').setInputFiles({
    name: 'IMG_0002.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps(shopper, 200),
  });
  await plain.getByLabel('Caption (optional)').fill('Sent without JavaScript');
  await plain.getByRole('button', { name: 'Share' }).click();
  await expect(plain).toHaveURL(/\/photos\?sent=1/);
  await expect(plain.getByRole('status')).toContainText('Thank you!');
  await context.close();
  // A third, which the merchant will turn down.
  const third = await request.post(`${tracking}/photos`, {
    headers: { accept: 'application/json' },
    multipart: {
      lang: 'en',
      caption: 'Blurry one',
      media: { name: 'IMG_0003.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps(shopper, 300) },
    },
  });
  expect(third.status()).toBe(200);

  // The merchant's grid: three waiting, each with its thumbnail (served to the store only).
  await page.reload();
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  await expect(page.getByRole('heading', { name: 'Submissions (3 waiting)' })).toBeVisible();
  const cards = page.locator('.photo-card');
  await expect(cards).toHaveCount(3);
  for (const img of await page.locator('.photo-card img').all()) {
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0);
  }
  const thumb = await page.locator('.photo-card img').first().getAttribute('src');
  // Not for anyone else: a stranger is sent to sign in, and no public URL serves it yet.
  const stranger = await request.get(thumb!, { headers: { cookie: '' }, maxRedirects: 0 });
  expect(stranger.status()).not.toBe(200);
  const keyOf = (src: string) => src.split('/')[3];
  const publicBefore = await request.get(`/media/${keyOf(thumb!)}/main`);
  expect(publicBefore.status()).toBe(404);
  const gridAxe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
  expect(gridAxe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  // Approve the two shared from the page (with and without JavaScript), reject the third.
  const captioned = cards.filter({ hasText: 'Arrived safe and sound' });
  await captioned.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByText('Approved: the import into Yotpo Reviews is queued.')).toBeVisible();
  await cards.filter({ hasText: 'Sent without JavaScript' }).getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByRole('heading', { name: 'Submissions (1 waiting)' })).toBeVisible();
  const blurry = cards.filter({ hasText: 'Blurry one' });
  const blurryThumb = await blurry.locator('img').getAttribute('src');
  await blurry.getByRole('button', { name: 'Reject' }).click();
  await expect(page.getByText('Rejected: its files are deleted.')).toBeVisible();
  await expect(blurry.locator('img')).toHaveCount(0);
  // Gone for the store too (its session asks).
  expect((await page.request.get(blurryThumb!)).status()).toBe(404);

  // The sandbox receives both imports; each URL serves the photo, without EXIF.
  let imported: any[] = [];
  await expect
    .poll(async () => {
      const state = await (await request.get(`${sandboxUrl}/sandbox/stores/${store}`)).json();
      imported = state.imported_images ?? [];
      return imported.length;
    }, { timeout: 20_000 })
    .toBe(2);
  expect(imported.map((i) => i.caption).sort()).toEqual(['Arrived safe and sound', 'Sent without JavaScript']);
  for (const image of imported) {
    expect(image.domain_key).toBe('MUG-7');
    const served = await request.get(image.image_url);
    expect(served.status()).toBe(200);
    expect(served.headers()['content-type']).toBe('image/jpeg');
    expect(served.headers()['cache-control']).toContain('public, max-age=');
    const bytes = await served.body();
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(hasExif(bytes)).toBe(false);
  }

  await expect
    .poll(async () => {
      await page.reload();
      return (await captioned.textContent()) ?? '';
    }, { timeout: 20_000 })
    .toContain('Yotpo Reviews: imported 1');
  await expect
    .poll(async () => {
      await page.reload();
      return (await captioned.textContent()) ?? '';
    }, { timeout: 20_000 })
    .toContain('Loyalty points: Awarded');
  await expect(page.getByRole('heading', { name: 'Submissions (none waiting)' })).toBeVisible();
  expect(errors).toEqual([]);
});
