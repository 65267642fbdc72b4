// The consent pipeline under load: shoppers consent on tracking pages of many stores at once,
// against a provider's sandbox (Yotpo: 5 requests/second per store; Klaviyo: per account and
// endpoint). Measures what the server accepts per second, then waits for every opt-in and
// reads the sandbox's request log: step-2 delay error |(opt-in − customer) − delay|, 429s,
// duplicates, failures.
//   node bench/consents.mjs <base url> <sandbox url> <tokens file> <delay secs> [concurrency] [yotpo|klaviyo]
// The server must trust X-Forwarded-For (each simulated shopper has its own address).
// Prints one JSON object.
import { readFileSync } from 'node:fs';

const [base, sandbox, tokensFile, delayArg, concurrencyArg = '64', provider = 'yotpo'] = process.argv.slice(2);
// Where each provider's two steps show in its sandbox's request log, and the phone in them.
const steps = {
  yotpo: {
    log: `${sandbox}/sandbox/requests`,
    // "Bench Store 7" is the sandbox's bench-store-7 (scripts/bench.sh names them so).
    account: (n) => `bench-store-${n}`,
    customer: (r) => r.method === 'PATCH' && r.path.endsWith('/customers') && r.status === 200 && r.body?.customer?.phone_number,
    optin: (r) => r.method === 'POST' && r.path.endsWith('/subscribers') && r.status === 200 && r.body?.subscriber?.phone,
  },
  klaviyo: {
    log: `${sandbox}/sandbox/klaviyo/requests`,
    account: (n) => `bench-kl-${n}`,
    customer: (r) => r.method === 'POST' && r.path.endsWith('/api/profile-import') && r.status < 300 && r.body?.data?.attributes?.phone_number,
    optin: (r) =>
      r.method === 'POST' &&
      r.path.endsWith('/api/profile-subscription-bulk-create-jobs') &&
      r.status < 300 &&
      r.body?.data?.attributes?.profiles?.data?.[0]?.attributes?.phone_number,
  },
}[provider];
if (!steps) throw new Error(`unknown provider ${provider}`);
const tokens = readFileSync(tokensFile, 'utf8').split('\n').filter(Boolean);
const delayMs = Number(delayArg) * 1000;
const concurrency = Number(concurrencyArg);

const form = (fields) => new URLSearchParams(fields).toString();
const post = (path, fields, ip) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      'x-forwarded-for': ip,
    },
    body: form(fields),
  });
async function pool(items, n, work) {
  let next = 0;
  const out = new Array(items.length);
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i], i);
      }
    }),
  );
  return out;
}
const ip = (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
// Fictional US mobile-format numbers, one per shopper.
const phone = (i) => `+1${['415', '510', '650', '707'][Math.floor(i / 1000) % 4]}555${String(1000 + (i % 1000)).padStart(4, '0')}`;

// Each shopper's page view gives the form's fields (key, disclosure hash, country).
const forms = await pool(tokens, 16, async (token, i) => {
  const r = await post('/api/fn/tracking_view', { token }, ip(100000 + i));
  const view = await r.json();
  const c = view.consent;
  // "Checking": Yotpo's answer was late (look-ups share the store's 5 requests/s); the
  // hydrated page would show the form once it comes, so the shopper can still consent.
  if (!c || !['Offer', 'Checking'].includes(c.status)) throw new Error(`no consent offer on ${token}: ${JSON.stringify(c)}`);
  const store = steps.account(view.brand.name.split(' ').pop());
  return { token, store, phone: phone(i), country: c.country, consent: 'yes', key: c.idempotency_key, disclosure: c.disclosure_sha256 };
});

// The sandbox's request log masks phones to +1*******123: a shopper is known there by store
// and masked phone (the bench's phones differ in their last three digits within a store).
const masked = (e164) => e164.slice(0, 2) + '*'.repeat(e164.length - 5) + e164.slice(-3);
const keyOf = (store, maskedPhone) => `${store}|${maskedPhone}`;

const started = Date.now();
const statuses = await pool(forms, concurrency, async ({ store, ...f }, i) => {
  const r = await post('/api/fn/sms_subscribe', f, ip(i + 1));
  await r.arrayBuffer();
  return r.status;
});
const acceptSecs = (Date.now() - started) / 1000;
const accepted = statuses.filter((s) => s === 200).length;
const refused = {};
for (const s of statuses) if (s !== 200) refused[s] = (refused[s] ?? 0) + 1;

// Wait for the opt-ins (the delay, then the per-store budget), up to a bound.
const wanted = new Set(forms.filter((_, i) => statuses[i] === 200).map((f) => keyOf(f.store, masked(f.phone))));
if (wanted.size !== forms.filter((_, i) => statuses[i] === 200).length) throw new Error('two shoppers share a store and a masked phone');
const deadline = Date.now() + delayMs + 300_000;
let log = [];
for (;;) {
  log = (await (await fetch(steps.log)).json()).requests;
  const done = new Set(log.filter((r) => steps.optin(r)).map((r) => keyOf(r.store_id, steps.optin(r))));
  if ([...wanted].every((p) => done.has(p)) || Date.now() > deadline) break;
  await new Promise((r) => setTimeout(r, 2000));
}
const finished = Date.now();

const firstOk = new Map(); // phone -> { customer, optin } (ms)
let duplicateCustomers = 0;
let duplicateOptins = 0;
for (const r of log) {
  const isCustomer = Boolean(steps.customer(r));
  const isOptin = Boolean(steps.optin(r));
  const m = isCustomer ? steps.customer(r) : isOptin ? steps.optin(r) : undefined;
  const p = m && keyOf(r.store_id, m);
  if (!p || !wanted.has(p)) continue;
  const e = firstOk.get(p) ?? {};
  const k = isCustomer ? 'customer' : 'optin';
  if (e[k] !== undefined) {
    if (isCustomer) duplicateCustomers++;
    else duplicateOptins++;
  } else e[k] = r.at_ms;
  firstOk.set(p, e);
}
const errors = [];
let failed = 0;
for (const p of wanted) {
  const e = firstOk.get(p);
  if (!e || e.customer === undefined || e.optin === undefined) failed++;
  else errors.push(Math.abs(e.optin - e.customer - delayMs));
}
errors.sort((a, b) => a - b);
const q = (x) => (errors.length ? errors[Math.min(errors.length - 1, Math.floor(x * errors.length))] : NaN);
const lastOptin = Math.max(...[...firstOk.values()].map((e) => e.optin ?? 0));
console.log(
  JSON.stringify({
    consents: forms.length,
    stores: new Set(log.map((r) => r.store_id).filter(Boolean)).size,
    accepted,
    refused,
    accepted_per_sec: Math.round((accepted / acceptSecs) * 10) / 10,
    delay_ms: delayMs,
    delay_error_ms: { p50: q(0.5), p99: q(0.99), max: errors.at(-1) ?? NaN },
    status_429: log.filter((r) => r.status === 429).length,
    provider,
    provider_requests: log.length,
    duplicate_customers: duplicateCustomers,
    duplicate_optins: duplicateOptins,
    failed,
    drain_secs: Math.round((lastOptin - started) / 100) / 10,
    waited_secs: Math.round((finished - started) / 1000),
  }),
);
