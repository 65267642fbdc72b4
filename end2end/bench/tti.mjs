// Time until the consent block is interactive, in headless Chromium (Debian's), for one page:
// first contentful paint and DOMContentLoaded (the server-rendered page, usable as a plain
// form post) as the baseline, and hydration done (the block submits without a reload).
// Each run uses a fresh browser context (cold cache).
//   node bench/tti.mjs <url> [runs] [cpu slowdown, e.g. 4]
// Prints one JSON object: medians in milliseconds.
import { chromium } from '@playwright/test';

const [url, runsArg = '7', slowdownArg = '1'] = process.argv.slice(2);
if (!url) {
  console.error('usage: node bench/tti.mjs <url> [runs] [cpu slowdown]');
  process.exit(2);
}
const runs = Number(runsArg);
const slowdown = Number(slowdownArg);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.floor(s.length / 2)]);
};
const samples = { fcp: [], dcl: [], interactive: [] };
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (slowdown > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
  }
  await page.addInitScript(() => {
    const mark = () => {
      if (!window.__interactive && document.documentElement.dataset.hydrated === 'true') {
        window.__interactive = performance.now();
      }
    };
    // `document` exists before any element does; the attribute lands on <html>.
    new MutationObserver(mark).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__interactive !== undefined, null, { timeout: 60_000 });
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return { fcp: fcp ? fcp.startTime : NaN, dcl: nav.domContentLoadedEventEnd, interactive: window.__interactive };
  });
  for (const k of Object.keys(samples)) samples[k].push(t[k]);
  await context.close();
}
await browser.close();
console.log(JSON.stringify({ runs, slowdown, fcp: median(samples.fcp), dcl: median(samples.dcl), interactive: median(samples.interactive) }));
