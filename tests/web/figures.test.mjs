// What the pages show equals what the API answers; who may see what; the public calculator; and
// the cockpit's weight and speed (printed as "# cockpit: ..." lines for the bench to pick up).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { ACCOUNTS, BASE, apiGet, contextFor, launch, rendered, signedOutSession, watch } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const grouped = (yuan) => { const [i, f] = yuan.split('.'); return `${i.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${f} 元`; };
const pct = (rate) => `${(Number(rate) * 100).toFixed(2)}%`;

test('the sign-in form signs an official in and a deep link comes back after it', async () => {
  const ctx = await contextFor(browser, null);
  const page = await ctx.newPage();
  const w = watch(page, signedOutSession);
  await page.goto(`${BASE}/chains/NM-BATTERY?year=2023`);
  await page.waitForSelector('form input[name=password]');
  assert.match(page.url(), /\/login\?next=%2Fchains%2FNM-BATTERY%3Fyear%3D2023$/);
  assert.equal(await page.locator('form button[type=submit]').count(), 1, 'one submit button');
  assert.equal(await page.locator('label[for=login-name]').count(), 1, 'labelled');
  await page.fill('input[name=name]', 'demo-admin');
  await page.fill('input[name=password]', 'wrong password');
  await page.click('button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#login-error')?.textContent.length > 0);
  assert.equal(await page.getAttribute('#login-error', 'role'), 'alert', 'the error is announced');
  await page.fill('input[name=password]', ACCOUNTS['demo-admin'].password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${BASE}/chains/NM-BATTERY?year=2023`);
  await rendered(page);
  assert.ok(await page.isVisible('[data-segment]'), 'the chain map after sign-in');
  const problems = (await w.check()).filter((p) => !/HTTP 401 .*\/api\/v1\/session$|status of 401/.test(p)); // the wrong password
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('the cockpit shows the overview API\'s figures', async () => {
  const ctx = await contextFor(browser, 'demo-admin');
  const ov = await apiGet(ctx, '/analysis/overview?year=2023');
  const page = await ctx.newPage();
  await page.goto(`${BASE}/?year=2023&lang=zh-CN`);
  await rendered(page);
  for (const l of ['green', 'yellow', 'red', 'cannot_tell'])
    assert.equal(await page.textContent(`[data-light=${l}] strong`), ov.projects[l].toLocaleString('zh-CN'), `projects ${l}`);
  for (const k of ['open', 'overdue', 'closed_on_time', 'closed_late'])
    assert.equal(await page.textContent(`[data-appeals=${k}] strong`), String(ov.appeals[k]), `appeals ${k}`);
  const outputs = await page.locator('section.card').first().locator('tbody tr td:nth-child(2) span').evaluateAll((s) => s.map((x) => x.title));
  assert.deepEqual(outputs, ov.clusters.map((c) => grouped(c.output)), 'cluster outputs, exact yuan on hover');
  const supply = await page.locator('section.card').nth(1).locator('tbody tr td:nth-child(2)').allTextContents();
  assert.deepEqual(supply, ov.chains.map((c) => pct(c.local_supply_rate)), 'local supply rates');
  assert.ok(ov.awards.length > 0, 'the demo has 2023 awards');
  const decided = await page.locator('section.card', { hasText: '按政策' }).locator('tbody tr td:nth-child(5) span').evaluateAll((s) => s.map((x) => x.title));
  assert.deepEqual(decided, ov.awards.map((a) => grouped(a.decided_amount)), 'awards decided per policy');
  // Drill-down: the red projects tile and a chain's row lead to their pages.
  await page.click('[data-light=red]');
  await page.waitForURL(`${BASE}/projects?light=red`);
  await page.goBack();
  await rendered(page);
  await page.locator('section.card').nth(1).locator('tbody a').first().click();
  await page.waitForURL(new RegExp(`/chains/${ov.chains[0].code}\\?year=2023$`));
  await ctx.close();
});

test('the chain map shows the diagnosis and a segment its enterprises', async () => {
  const ctx = await contextFor(browser, 'demo-chain');
  const d = (await apiGet(ctx, '/chains/NM-BATTERY/diagnosis?year=2023')).chains[0];
  const map = await apiGet(ctx, '/chains/NM-BATTERY/map');
  const page = await ctx.newPage();
  const w = watch(page);
  await page.goto(`${BASE}/chains/NM-BATTERY?year=2023&lang=zh-CN`);
  await rendered(page);
  assert.equal(await page.textContent('#chain-supply'), pct(d.local_supply_rate));
  assert.equal(await page.locator('[data-segment]').count(), d.segments.length);
  for (const l of ['strong', 'thin', 'missing'])
    assert.equal(Number(await page.textContent(`[data-label=${l}]`)), d.segments.filter((g) => g.label === l).length, l);
  assert.equal(await page.locator('#chain-breaks li').count(), d.breaks.length);
  const seg = d.segments.find((g) => g.local_enterprises > 0);
  assert.equal(await page.getAttribute(`[data-segment=${seg.code}]`, 'title'), seg.reasons.join('；'), 'reasons on hover');
  await page.click(`[data-segment=${seg.code}]`);
  await page.waitForSelector('#segment-detail');
  const firms = map.segments.find((s) => s.code === seg.code).enterprises;
  assert.equal(await page.locator('#segment-detail table').first().locator('tbody tr').count(), Math.min(50, firms.length));
  assert.equal(await page.getAttribute(`[data-segment=${seg.code}]`, 'aria-pressed'), 'true');
  assert.deepEqual(await w.check(), []);
  await ctx.close();
});

test('the calculator works signed out and shows what the public what-if pays', async () => {
  const ctx = await contextFor(browser, null);
  const page = await ctx.newPage();
  const w = watch(page, signedOutSession);
  await page.goto(`${BASE}/calculator?lang=zh-CN`);
  await rendered(page);
  await page.check('#above_2022');
  await page.fill('#value_added_2022', '1234.56');
  await page.selectOption('#project_kind', 'tech_upgrade');
  await page.fill('#fixed_asset_investment', '800');
  await page.fill('#equipment_investment', '300');
  await page.fill('#approved_equipment_purchase', '250');
  await page.fill('#completion_date', '2022-06-30');
  await page.click('button[type=submit]');
  await page.waitForSelector('#calc-results');
  const facts = { enterprise: { uscc: '本企业', industry_code: '3841', local: true, indicators: {
    2020: { above_scale: false }, 2021: { above_scale: false }, 2022: { above_scale: true, value_added: '12345600.00' } } },
  projects: [{ id: '本项目', kind: 'tech_upgrade', fixed_asset_investment: '8000000.00', equipment_investment: '3000000.00',
    approved_equipment_purchase: '2500000.00', completion_date: '2022-06-30' }] };
  const r = await ctx.request.post(`${BASE}/api/v1/public/whatif?year=2023&lang=zh-CN`, { data: facts });
  const answer = await r.json();
  const eligible = answer.results.filter((x) => x.status === 'eligible');
  assert.ok(eligible.length >= 1, JSON.stringify(answer.results.map((x) => [x.policy, x.status])));
  const total = eligible.reduce((s, x) => s + Math.round(Number(x.amount) * 100), 0);
  assert.equal(await page.getAttribute('#calc-total span', 'title'), grouped((total / 100).toFixed(2)));
  const shown = await page.locator('#calc-results table').first().locator('tbody tr td:first-child').allTextContents();
  assert.deepEqual(shown.sort(), answer.results.filter((x) => x.status !== 'not_eligible').map((x) => x.policy).sort());
  assert.deepEqual(await w.check(), []);
  await ctx.close();
});

test('an enterprise lands on its own page, sees no official page in its navigation, and is refused on one', async () => {
  const ctx = await contextFor(browser, 'demo-enterprise');
  const page = await ctx.newPage();
  const asked = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await page.goto(`${BASE}/`);
  await rendered(page);
  assert.equal(new URL(page.url()).pathname, `/enterprises/${ACCOUNTS['demo-enterprise'].scope}`);
  const links = await page.locator('nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const official of ['/', '/projects', '/targets', '/awards', '/admin/users', '/admin/audit'])
    assert.ok(!links.includes(official), `${official} not in ${links}`);
  assert.ok(links.includes('/calculator') && links.includes('/appeals'));
  asked.length = 0;
  await page.goto(`${BASE}/chains/NM-BATTERY?year=2023`);
  await rendered(page);
  assert.match(await page.textContent('[role=alert]'), /无权/);
  assert.equal(await page.locator('[data-segment]').count(), 0, 'nothing of the chain is shown');
  assert.deepEqual(asked.filter((p) => p.startsWith('/api/v1/chains')), [], 'nothing of the chain is even fetched');
  await ctx.close();
});

test('the language follows ?lang=, is remembered, and sets <html lang>', async () => {
  const ctx = await contextFor(browser, 'demo-admin', { locale: 'en-US' });
  const page = await ctx.newPage();
  await page.goto(`${BASE}/?year=2023`);
  await rendered(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'en', 'from the browser language');
  assert.match(await page.textContent('h1'), /Cockpit/);
  await page.goto(`${BASE}/?year=2023&lang=zh-TW`);
  await rendered(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-TW');
  await page.goto(`${BASE}/chains/NM-BATTERY?year=2023`);
  await rendered(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-TW', 'remembered');
  assert.match(await page.textContent('h1'), /產業鏈圖譜/);
  const money = await page.locator('.stat .money').first();
  assert.match(await money.textContent(), /億元$/);
  await ctx.close();
});

// First render: from the start of navigation until the cockpit's figures are on the page (the
// tables and tiles; "lz-figures"), and until its charts are drawn too ("lz-rendered"). The best of
// three cold loads (cache disabled): the machine is shared, and one slow load says more about it
// than about the page. Transfer: every response's encoded bytes on the wire, the API's included.
async function coldLoad(ctx) {
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  await page.goto(`${BASE}/?year=2023`);
  await rendered(page);
  await page.waitForLoadState('networkidle');
  const [figures, charts] = await page.evaluate(() => ['lz-figures', 'lz-rendered'].map((m) => performance.getEntriesByName(m)[0].startTime));
  await page.close();
  return { bytes, figures, charts };
}

test('the cockpit: compressed transfer under 500 KB, first render under 1.5 s', async () => {
  const ctx = await contextFor(browser, 'demo-admin');
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await coldLoad(ctx));
  const best = (k) => Math.min(...runs.map((r) => r[k]));
  const kb = best('bytes') / 1024;
  console.log(`# cockpit: transfer ${kb.toFixed(1)} KB compressed; first render (figures) ${best('figures').toFixed(0)} ms, `
    + `charts drawn ${best('charts').toFixed(0)} ms (best of 3; all: ${runs.map((r) => `${r.figures.toFixed(0)}/${r.charts.toFixed(0)}`).join(' ')} ms)`
  );
  assert.ok(kb < 500, `${kb} KB`);
  // A time says something about the page only on a release server and a machine not busy with
  // other work (load per core under 1); otherwise it is printed, not held to the budget.
  const load = os.loadavg()[0] / os.cpus().length;
  if (!process.env.LZ_WEB_UNTIMED && load < 1) assert.ok(best('figures') < 1500, `first render ${best('figures')} ms`);
  else console.log(`# cockpit: time not held to the budget (${process.env.LZ_WEB_UNTIMED ? 'instrumented server' : `load ${load.toFixed(1)} per core`})`);
  await ctx.close();
});

test('a language chosen with the picker follows the account to another browser', async () => {
  const first = await contextFor(browser, 'demo-division');
  const page = await first.newPage();
  await page.goto(`${BASE}/projects`);
  await rendered(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN', 'the browser language before any choice');
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await rendered(page);
  assert.equal((await apiGet(first, '/session')).lang, 'en', 'remembered for the account');
  await first.close();
  const other = await contextFor(browser, 'demo-division'); // another browser: nothing in its storage
  const again = await other.newPage();
  await again.goto(`${BASE}/projects`);
  await rendered(again);
  assert.equal(await again.getAttribute('html', 'lang'), 'en', 'the account\'s choice, not the browser\'s zh-CN');
  await again.goto(`${BASE}/projects?lang=zh-TW`);
  await rendered(again);
  assert.equal(await again.getAttribute('html', 'lang'), 'zh-TW', 'a ?lang= link wins for the visit');
  assert.equal((await apiGet(other, '/session')).lang, 'en', 'but does not change the account\'s choice');
  await again.selectOption('#lang', 'zh-CN'); // leave the account as the other tests expect it
  await again.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  await rendered(again);
  assert.equal((await apiGet(other, '/session')).lang, 'zh-CN');
  await other.close();
});
