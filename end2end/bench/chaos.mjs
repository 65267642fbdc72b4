// The chaos run (scripts/bench.sh --chaos): two instances on one PostgreSQL deliver consents
// across many stores to a Yotpo sandbox (5 requests/s per store), while one instance or the
// other is killed with SIGKILL and restarted at random moments, and the sandbox answers 5xx
// for a while. Counted at the sandbox and in the database: consents lost, opt-ins doubled,
// the step-2 delay error, the longest stretch with no delivery while work was waiting and an
// instance was up, 429s, and how many kills landed in the dangerous moment (a claimed job
// whose provider call had been made, not yet recorded).
//   node bench/chaos.mjs <binary> <pg admin url> <work dir> <consents> <stores> <delay secs>
//                        <kills> <5xx secs> <port base>
// Prints one JSON object.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, openSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

const [bin, pgAdmin, work, consentsArg, storesArg, delayArg, killsArg, outageArg, portArg] =
  process.argv.slice(2);
const CONSENTS = Number(consentsArg);
const STORES = Number(storesArg);
const DELAY_MS = Number(delayArg) * 1000;
const KILLS = Number(killsArg);
const OUTAGE_MS = Number(outageArg) * 1000;
const PORT = Number(portArg);
const SANDBOX = `http://127.0.0.1:${PORT}`;
const DB = `${pgAdmin.replace(/\/[^/]*$/, '')}/tracklight_chaos`;
const KEY = randomBytes(32).toString('base64');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const psql = (url, sql) => execFileSync('psql', [url, '-qAtc', sql], { encoding: 'utf8' }).trim();

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
psql(pgAdmin, 'DROP DATABASE IF EXISTS tracklight_chaos');
psql(pgAdmin, 'CREATE DATABASE tracklight_chaos');

const children = new Set();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
function start(args, env, log) {
  const out = openSync(`${work}/${log}.log`, 'a');
  const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}
async function until(url, what) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await sleep(100);
  }
  throw new Error(`${what} did not start`);
}

// The sandbox: one store per merchant; customers visible to reads a second after an upsert
// (Yotpo: about 60 s, the opt-in delay); a little time between making a write and answering
// it, the window in which a kill is dangerous.
const stores = Array.from({ length: STORES }, (_, s) => `chaos-store-${s + 1}`);
start(
  ['yotpo-sandbox', '--bind', `127.0.0.1:${PORT}`, '--rate-limit', '5', '--visibility-delay-ms', '1000',
   '--answer-delay-ms', '150', '--log-capacity', String(CONSENTS * 20),
   ...stores.flatMap((s) => ['--store', `${s}:secret-${s}:1001`])],
  { TRACKLIGHT_DATA_DIR: `${work}/sandbox`, TRACKLIGHT_LOG: 'warn' },
  'sandbox',
);
await until(`${SANDBOX}/sandbox`, 'the sandbox');

const common = {
  TRACKLIGHT_DATABASE_URL: DB,
  TRACKLIGHT_SECRET_KEY: KEY,
  TRACKLIGHT_YOTPO_API_URL: SANDBOX,
  TRACKLIGHT_LOG: process.env.CHAOS_LOG ?? 'warn',
  TRACKLIGHT_DEMO: 'false',
};
const keys = [];
for (const store of stores) {
  const created = execFileSync(bin, ['merchant', 'create', '--name', `Chaos ${store}`], {
    env: { ...process.env, ...common, TRACKLIGHT_DATA_DIR: `${work}/cli` },
    encoding: 'utf8',
  });
  const merchant = created.match(/^Created merchant (\S+)/m)[1];
  keys.push(created.match(/API key \(shown once, store it now\): (\S+)/)[1]);
  execFileSync(bin, ['merchant', 'sms', '--merchant', merchant, '--store-id', store, '--list-id', '1001',
    '--terms-url', 'https://shop.example/terms', '--privacy-url', 'https://shop.example/privacy'], {
    env: { ...process.env, ...common, TRACKLIGHT_DATA_DIR: `${work}/cli`, TRACKLIGHT_YOTPO_SECRET: `secret-${store}` },
  });
}

// Two instances, each restartable on its own port.
const boots = [];
const instances = [0, 1].map((n) => ({ n, port: PORT + 1 + n, child: null, up: false }));
async function boot(instance) {
  instance.child = start([], {
    ...common,
    TRACKLIGHT_BIND: `127.0.0.1:${instance.port}`,
    TRACKLIGHT_DATA_DIR: `${work}/instance-${instance.n}`,
    TRACKLIGHT_OPTIN_DELAY_SECS: String(DELAY_MS / 1000),
    TRACKLIGHT_TRUSTED_PROXIES: '1',
    // The sandbox shows writes to reads a second after making them (above).
    TRACKLIGHT_YOTPO_READ_DELAY_SECS: '2',
  }, `instance-${instance.n}`);
  await until(`http://127.0.0.1:${instance.port}/readyz`, `instance ${instance.n}`);
  instance.up = true;
  boots.push(Date.now());
}
await Promise.all(instances.map(boot));
const base = (i) => `http://127.0.0.1:${instances[i].port}`;

async function pool(items, n, work) {
  let next = 0;
  const out = new Array(items.length);
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i], i);
    }
  }));
  return out;
}
/// A request to whichever instance is up, tried again while neither answers.
async function call(i, path, init) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const inst = instances[(i + attempt) % 2];
    if (!inst.up) { await sleep(50); continue; }
    try {
      return await fetch(`http://127.0.0.1:${inst.port}${path}`, init);
    } catch {
      await sleep(50);
    }
  }
  throw new Error(`no instance answered ${path}`);
}

// Orders: one shopper each, spread over the stores.
// Fictional US numbers, one per shopper, told apart at the sandbox (whose log masks them to
// +1*******123) by store and last three digits: the j-th shopper of a store ends in j.
const AREAS = ['415', '510', '650', '707', '808', '909', '213', '312', '617', '206'];
const phone = (store, j) => `+1${AREAS[store % 10]}555${Math.floor(store / 10) % 10}${String(j).padStart(3, '0')}`;
if (CONSENTS / STORES > 1000) throw new Error('at most 1000 shoppers per store');
const shoppers = Array.from({ length: CONSENTS }, (_, i) => {
  const store = i % STORES;
  return { i, store, phone: phone(store, Math.floor(i / STORES)), customer: `chaos-c-${i}` };
});
await pool(shoppers, 32, async (s) => {
  const resp = await call(s.i, `/api/v1/orders/chaos-${s.i}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${keys[s.store]}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customer: { id: s.customer, first_name: 'Ana', shipping_country: 'US' },
      shipments: [{ id: `chaos-${s.i}-1`, carrier: 'UPS', tracking_number: `1ZCHAOS${s.i}` }] }),
  });
  const order = await resp.json();
  s.token = order.shipments[0].tracking_url.split('/t/')[1];
});

// The chaos: kills at random moments over the expected run, each instance restarted after a
// moment; and one stretch of 5xx from the sandbox.
const expectedMs = DELAY_MS + (CONSENTS * 3 * 1000) / (STORES * 4);
const kills = [];
const outage = { from: 0, to: 0 };
let chaosDone = Promise.resolve();
if (KILLS > 0) {
  const moments = Array.from({ length: KILLS }, () => Math.random() * expectedMs).sort((a, b) => a - b);
  const t0 = Date.now();
  chaosDone = (async () => {
    for (const at of moments) {
      await sleep(Math.max(0, t0 + at - Date.now()));
      const inst = instances[Math.floor(Math.random() * 2)];
      if (!inst.up) continue;
      const pid = inst.child.pid;
      // What this instance held at the kill: claimed jobs, with when they were claimed.
      const held = psql(DB, `SELECT j.step || '|' || c.customer_external_id || '|' || c.phone_e164 || '|' || m.sms_account_id || '|' || j.updated_at_ms FROM jobs j JOIN consents c ON c.id = j.consent_id JOIN merchants m ON m.id = c.merchant_id WHERE j.state = 'queued' AND j.locked_by LIKE '${pid}-%'`)
        .split('\n').filter(Boolean).map((l) => l.split('|'));
      const killedAt = Date.now();
      inst.up = false;
      inst.child.kill('SIGKILL');
      kills.push({ at: killedAt, held });
      await sleep(300 + Math.random() * 1500);
      await boot(inst);
    }
  })();
  if (OUTAGE_MS > 0) {
    const outageAt = Math.random() * Math.max(0, expectedMs - OUTAGE_MS);
    chaosDone = Promise.all([chaosDone, (async () => {
      await sleep(outageAt);
      outage.from = Date.now();
      await fetch(`${SANDBOX}/sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error_rate: 1, error_status: 503 }) });
      await sleep(OUTAGE_MS);
      await fetch(`${SANDBOX}/sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error_rate: 0 }) });
      outage.to = Date.now();
    })()]);
  }
}

// Shoppers consent, each through whichever instance is up.
const started = Date.now();
const form = (f) => new URLSearchParams(f).toString();
const accepted = await pool(shoppers, 32, async (s) => {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const view = await (await call(s.i, '/api/fn/tracking_view', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form({ token: s.token }) })).json();
      const c = view.consent;
      const resp = await call(s.i, '/api/fn/sms_subscribe', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'x-forwarded-for': `10.${(s.i >> 16) & 255}.${(s.i >> 8) & 255}.${s.i & 255}` },
        body: form({ token: s.token, phone: s.phone, country: 'US', consent: 'yes', key: `chaos-key-${s.i}-0000000`, disclosure: c.disclosure_sha256 }),
      });
      if (resp.status === 200) return true;
    } catch {}
    await sleep(200);
  }
  return false;
});
const acceptedCount = accepted.filter(Boolean).length;

// Until every accepted consent is delivered or failed, or a bound.
const deadline = Date.now() + expectedMs * 3 + 600_000;
let open = 0;
for (;;) {
  open = Number(psql(DB, "SELECT COUNT(*) FROM consents WHERE state NOT IN ('subscribed', 'failed')"));
  if (open === 0 || Date.now() > deadline) break;
  await sleep(2000);
}
await chaosDone;
const finished = Date.now();

// The record at the sandbox and in the database.
const log = (await (await fetch(`${SANDBOX}/sandbox/requests`)).json()).requests;
const dropped = (await (await fetch(`${SANDBOX}/sandbox`)).json()).requests_dropped;
const masked = (p) => p.slice(0, 2) + '*'.repeat(p.length - 5) + p.slice(-3);
const optins = new Map();
for (const r of log) {
  if (r.method === 'POST' && r.path.endsWith('/subscribers') && r.status < 300) {
    const key = `${r.store_id}|${r.body?.subscriber?.phone}`;
    optins.set(key, (optins.get(key) ?? []).concat(r.at_ms));
  }
}
const doubled = [...optins.values()].filter((times) => times.length > 1).length;
if (process.env.CHAOS_DEBUG) {
  for (const [key, times] of [...optins].filter(([, t]) => t.length > 1).slice(0, 5)) {
    const [store, p] = key.split('|');
    const around = log.filter((r) => r.store_id === store && r.at_ms >= times[0] - 3000 && r.at_ms <= times.at(-1) + 1000 &&
      (r.body?.subscriber?.phone === p || r.method === 'GET'))
      .map((r) => `${r.at_ms - times[0]} ${r.method} ${r.path.split('?')[0]} ${r.status}`);
    const near = kills.filter((k) => k.at >= times[0] - 5000 && k.at <= times.at(-1) + 1000).map((k) => k.at - times[0]);
    console.error(JSON.stringify({ key, times: times.map((t) => t - times[0]), kills: near, around }));
  }
}
const states = Object.fromEntries(psql(DB, 'SELECT state, COUNT(*) FROM consents GROUP BY state').split('\n').filter(Boolean).map((l) => l.split('|')).map(([s, n]) => [s, Number(n)]));
const recorded = Number(psql(DB, 'SELECT COUNT(*) FROM consents'));
// Lost: accepted by the server, and neither delivered nor failed with a reason.
const lost = acceptedCount - (states.subscribed ?? 0) - (states.failed ?? 0);
// Step-2 delay error: the opt-in's arrival at the sandbox against its due time (step 1
// recorded + the setting).
const due = new Map(psql(DB, `SELECT m.sms_account_id || '|' || c.phone_e164 || '|' || (c.customer_sent_at_ms + ${DELAY_MS}) FROM consents c JOIN merchants m ON m.id = c.merchant_id WHERE c.state = 'subscribed'`)
  .split('\n').filter(Boolean).map((l) => l.split('|')).map(([store, p, at]) => [`${store}|${masked(p)}`, Number(at)]));
const errors = [];
// The same for opt-ins not due while the sandbox answered 5xx (no one can deliver those on
// time; what the outage leaves behind it still counts).
const clear = [];
const late = [];
for (const [key, at] of due) {
  const times = optins.get(key);
  if (!times) continue;
  const error = Math.abs(Math.min(...times) - at);
  errors.push(error);
  if (!(outage.to > 0 && at >= outage.from && at <= outage.to)) {
    clear.push(error);
    if (error > 2000) late.push({ error, at });
  }
}
// Where the late ones (over 2 s) fell: a kill shortly before they were due, or the outage's
// tail (due just before it, or delivered while its backlog drained), or neither.
const lateBy = { kill: 0, outage: 0, other: 0 };
for (const { error, at } of late) {
  if (outage.to > 0 && at < outage.from && at + error > outage.from) lateBy.outage++;
  else if (outage.to > 0 && at > outage.to && at < outage.to + 30_000) lateBy.outage++;
  else if (kills.some((k) => k.at <= at + error && k.at >= at - 5_000)) lateBy.kill++;
  else lateBy.other++;
}
if (process.env.CHAOS_DEBUG) {
  late.sort((a, b) => b.error - a.error);
  console.error(JSON.stringify(late.slice(0, 30).map(({ error, at }) => ({
    error,
    due_after_outage_start: outage.to > 0 ? at - outage.from : null,
    due_after_outage_end: outage.to > 0 ? at - outage.to : null,
    last_kill_before: Math.min(...kills.map((k) => at + error - k.at).filter((d) => d >= 0)),
  }))));
}
errors.sort((a, b) => a - b);
clear.sort((a, b) => a - b);
const quantile = (list, x) => (list.length ? list[Math.min(list.length - 1, Math.floor(x * list.length))] : null);
const q = (x) => quantile(errors, x);
// The longest stretch without a delivered write while work was waiting, outside the 5xx
// stretch (deliveries are the 2xx PATCH and POST answers).
const writes = log.filter((r) => r.status < 300 && (r.method === 'PATCH' || r.method === 'POST')).map((r) => r.at_ms).sort((a, b) => a - b);
let longestGap = 0;
let gapAt = 0;
for (let i = 1; i < writes.length; i++) {
  const [from, to] = [writes[i - 1], writes[i]];
  // The sandbox's own outage: nobody can deliver then (the back-off after it counts).
  if (outage.to > 0 && from < outage.to && to > outage.from) continue;
  if (to - from > longestGap) {
    longestGap = to - from;
    gapAt = from;
  }
}
if (process.env.CHAOS_DEBUG) {
  // Per second of due time: how many, and the worst error; with the kills and boots.
  const buckets = new Map();
  for (const [key, at] of due) {
    const times = optins.get(key);
    if (!times) continue;
    const s = Math.floor((at - started) / 1000);
    const b = buckets.get(s) ?? { n: 0, worst: 0 };
    b.n++;
    b.worst = Math.max(b.worst, Math.min(...times) - at);
    buckets.set(s, b);
  }
  const events = [...kills.map((k) => [k.at, 'K']), ...boots.map((b) => [b, 'B'])].map(([t, w]) => `${w}${((t - started) / 1000).toFixed(1)}`);
  console.error(JSON.stringify({ seconds: [...buckets].sort((a, b) => a[0] - b[0]).map(([s, b]) => `${s}:${b.n}/${b.worst}`), events }));
  const kinds = {};
  for (const r of log) {
    const k = `${r.method} ${r.path.replace(/[0-9a-z-]{8,}/g, ':id').split('?')[0]} ${r.status}`;
    kinds[k] = (kinds[k] ?? 0) + 1;
  }
  console.error(JSON.stringify(kinds));
  console.error(JSON.stringify({ gap_ms: longestGap, kills_around_gap: kills.map((k) => k.at - gapAt).filter((d) => d > -5000 && d < longestGap + 1000), run_started: started - gapAt }));
}
// Kills in the dangerous moment: a claimed job whose write the sandbox had made (and logged)
// after the claim and before the kill.
let dangerous = 0;
for (const k of kills) {
  const hit = k.held.some(([step, customer, p, store, claimedAt]) => log.some((r) =>
    r.status < 300 && r.at_ms >= Number(claimedAt) && r.at_ms <= k.at && r.store_id === store &&
    (step === 'upsert_customer'
      ? r.method === 'PATCH' && r.body?.customer?.external_id === customer
      : r.method === 'POST' && r.body?.subscriber?.phone === masked(p))));
  if (hit) dangerous++;
}
console.log(JSON.stringify({
  consents: CONSENTS,
  stores: STORES,
  accepted: acceptedCount,
  recorded,
  states,
  lost,
  still_open: open,
  doubled_optins: doubled,
  delay_ms: DELAY_MS,
  delay_error_ms: { p50: q(0.5), p99: q(0.99), max: errors.at(-1) ?? null },
  delay_error_outside_outage_ms: { p50: quantile(clear, 0.5), p99: quantile(clear, 0.99), max: clear.at(-1) ?? null, count: clear.length },
  late_outside_outage: lateBy,
  status_429: log.filter((r) => r.status === 429).length,
  // Each 429 (the first three) with what its store received in the second before it:
  // how far before (ms), the method and the path's end.
  rate_limited: log.filter((r) => r.status === 429).slice(0, 3).map((hit) => log
    .filter((r) => r.store_id === hit.store_id && r.at_ms >= hit.at_ms - 1100 && r.at_ms <= hit.at_ms)
    .map((r) => `${hit.at_ms - r.at_ms} ${r.method} ${r.path.split('/').slice(-1)[0]} ${r.status}`)),
  status_5xx: log.filter((r) => r.status >= 500).length,
  longest_gap_secs: Math.round(longestGap / 100) / 10,
  kills: kills.length,
  dangerous_kills: dangerous,
  sandbox_requests: log.length,
  sandbox_log_dropped: dropped,
  run_secs: Math.round((finished - started) / 1000),
}));
process.exit(0);
