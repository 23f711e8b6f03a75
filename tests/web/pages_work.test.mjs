// The work pages — enterprises, one enterprise, projects, targets, policies, awards — against the
// API: the figures shown equal the API's, a target moved by its card stays moved after a reload,
// an award is reviewed and approved by two accounts (the same account twice refused, with the
// server's message), an enterprise is refused another enterprise's page without a word about it.
// Every page in every language: no console error, failed request or CSP violation, axe-core finds
// no serious or critical violation, and a screenshot (tests/out/BUILD/web/LANG-work-NAME.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ACCOUNTS, BASE, LANGS, OUT, apiGet, axeProblems, contextFor, launch, rendered, shot, watch } from './lib.mjs';

const OWN = ACCOUNTS['demo-enterprise'].scope;
const digits = (s) => (s ?? '').replace(/[^\d]/g, '');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Opens path as the context's account in lang and waits until the page and the requests it
// started are done.
async function open(ctx, path, lang, allowed) {
  const page = await ctx.newPage();
  const w = watch(page, allowed);
  const sep = path.includes('?') ? '&' : '?';
  const res = await page.goto(`${BASE}${path}${sep}lang=${lang}`);
  assert.equal(res.status(), 200, `${path}: document status`);
  await rendered(page);
  await page.waitForLoadState('networkidle');
  return { page, w };
}

// The checks every page gets: no problem, axe clean, a screenshot.
async function clean(page, w, name, lang) {
  assert.deepEqual(await w.check(), [], `${lang} ${name}: problems`);
  assert.deepEqual(await axeProblems(page), [], `${lang} ${name}: axe`);
  await shot(page, `${lang}-work-${name}`);
}

test('enterprises: the total and a filtered total equal the API\'s, export answers CSV, in every language', async () => {
  const ctx = await contextFor(browser, 'demo-admin');
  const all = await apiGet(ctx, '/enterprises?limit=1');
  const both = await apiGet(ctx, '/enterprises?limit=1&division=440703&chain=NM-BATTERY');
  const div = await apiGet(ctx, '/enterprises?limit=1&division=440703');
  for (const lang of LANGS) {
    const { page, w } = await open(ctx, '/enterprises', lang);
    assert.equal(await page.getAttribute('#ent-total', 'data-total'), String(all.total));
    assert.equal(await page.locator('main table.data tbody tr').count(), Math.min(50, all.total));
    await clean(page, w, 'enterprises', lang);
    await page.selectOption('#ent-division', '440703');
    await page.selectOption('#ent-chain', 'NM-BATTERY');
    await page.click('form.filters button[type=submit]');
    await page.waitForSelector(`#ent-total[data-total="${both.total}"]`);
    // With a chain, the export is the chain's membership list (the export has no chain= filter).
    let href = await page.getAttribute('a[href^="/api/v1/export/memberships?format=csv"]', 'href');
    assert.match(href, /chain=NM-BATTERY/);
    assert.equal((await ctx.request.get(`${BASE}${href}`)).status(), 200);
    await page.selectOption('#ent-chain', '');
    await page.click('form.filters button[type=submit]');
    await page.waitForSelector(`#ent-total[data-total="${div.total}"]`);
    href = await page.getAttribute('a[href^="/api/v1/export/enterprises?format=csv"]', 'href');
    assert.match(href, /division=440703/);
    const csv = await ctx.request.get(`${BASE}${href}`);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-type'], /text\/csv/);
    assert.equal((await csv.text()).trim().split('\n').length, div.total + 1, 'the export holds the filtered rows and a header');
    await page.close();
  }
  await ctx.close();
});

test('enterprise: its own page shows its indicators, memberships and matches as the API has them', async () => {
  const ctx = await contextFor(browser, 'demo-enterprise');
  const e = await apiGet(ctx, `/enterprises/${OWN}`);
  const year = new Date().getFullYear() - 1;
  const m = await apiGet(ctx, `/enterprises/${OWN}/matches?year=${year}`);
  for (const lang of LANGS) {
    const { page, w } = await open(ctx, `/enterprises/${OWN}`, lang);
    assert.ok((await page.textContent('h1')).includes(e.name), 'the heading names the enterprise');
    const ind = page.locator('section.card', { has: page.locator('.chart') }).locator('table.data tbody tr');
    assert.equal(await ind.count(), e.indicators.length, 'a row per year of indicators');
    for (const k of ['eligible', 'pending', 'undetermined', 'near_misses']) {
      assert.equal(await page.getAttribute(`h3[data-list=${k}]`, 'data-count'), String(m[k].length), `${lang}: ${k}`);
    }
    await clean(page, w, 'enterprise-own', lang);
    await page.close();
  }
  await ctx.close();
});

test('enterprise: another enterprise\'s page is refused and reveals nothing about it', async () => {
  const admin = await contextFor(browser, 'demo-admin');
  const other = (await apiGet(admin, '/enterprises?limit=2')).items.find((r) => r.uscc !== OWN);
  await admin.close();
  const ctx = await contextFor(browser, 'demo-enterprise');
  for (const lang of LANGS) {
    const { page, w } = await open(ctx, `/enterprises/${other.uscc}`, lang,
      (p, s) => p === `/api/v1/enterprises/${other.uscc}` && (s === 403 || s === 404));
    await page.waitForSelector('.refused');
    const text = await page.textContent('main');
    assert.ok(!text.includes(other.name), 'the name is not shown');
    assert.equal(await page.locator('main table').count(), 0, 'no table of its rows');
    await clean(page, w, 'enterprise-refused', lang);
    await page.close();
  }
  await ctx.close();
});

test('enterprise: an award\'s explanation, opened on the enterprise\'s page, is the API\'s', async () => {
  const ctx = await contextFor(browser, 'demo-admin');
  const a = (await apiGet(ctx, '/awards?year=2023&policy=miit.above_scale&limit=1')).items[0];
  assert.ok(a, 'an award of 2023 is recorded');
  for (const lang of LANGS) {
    const want = (await apiGet(ctx, `/awards/${a.id}?lang=${lang}`)).explanation;
    const { page, w } = await open(ctx, `/enterprises/${a.uscc}`, lang);
    await page.click(`details[data-award="${a.id}"] summary`);
    await page.waitForFunction((id) => document.querySelector(`details[data-award="${id}"] pre.explain`).textContent.includes('\n'), a.id);
    assert.equal(await page.textContent(`details[data-award="${a.id}"] pre.explain`), want);
    await clean(page, w, 'enterprise-official', lang);
    await page.close();
  }
  await ctx.close();
});

test('projects: the count of each light equals the API\'s on the same date', async () => {
  const ctx = await contextFor(browser, 'demo-admin');
  const d = new Date();
  const date = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const an = await apiGet(ctx, `/analysis/projects?date=${date}`);
  for (const lang of LANGS) {
    const { page, w } = await open(ctx, `/projects?date=${date}`, lang);
    for (const l of ['green', 'yellow', 'red', 'cannot_tell']) {
      const n = an.projects.filter((p) => p.light === l).length;
      assert.equal(digits(await page.textContent(`.stat[data-light=${l}] strong`)), String(n), `${lang}: ${l}`);
    }
    const redRows = page.locator('section.card', { hasText: /红灯项目|紅燈項目|Red projects/ }).locator('tbody tr');
    assert.equal(await redRows.count(), an.red.length, 'the red list');
    await clean(page, w, 'projects', lang);
    await page.close();
  }
  await ctx.close();
});

test('targets: a move by the card\'s form is recorded as a contact and stays after a reload', async () => {
  const ctx = await contextFor(browser, 'demo-admin');
  const list = (await apiGet(ctx, '/targets?stage=lead&limit=1000')).items;
  assert.ok(list.length >= LANGS.length, 'leads to move');
  for (const [i, lang] of LANGS.entries()) {
    const tg = list[i];
    const sid = tg.id.replace(/[^A-Za-z0-9_-]/g, '_');
    const { page, w } = await open(ctx, '/targets', lang);
    const card = page.locator(`#target-${sid}`);
    assert.equal(await card.getAttribute('data-stage'), 'lead');
    await card.locator('details.why summary').first().click();
    await page.selectOption(`#tg-stage-${sid}`, 'contacted');
    await page.fill(`#tg-note-${sid}`, `test ${lang}`);
    await card.locator('button[type=submit]').press('Enter');
    await page.waitForFunction(() => document.getElementById('tg-status')?.textContent.length > 0);
    assert.ok((await page.textContent('#tg-status')).includes(`test ${lang}`), 'the contact is announced');
    await page.reload();
    await rendered(page);
    await page.waitForLoadState('networkidle');
    assert.equal(await page.getAttribute(`#target-${sid}`, 'data-stage'), 'contacted', 'moved after a reload');
    const log = await apiGet(ctx, `/targets/${encodeURIComponent(tg.id)}/contacts`);
    assert.equal(log.target.stage, 'contacted');
    assert.equal(log.contacts.at(-1).note, `test ${lang}`);
    await clean(page, w, 'targets', lang);
    await page.close();
  }
  await ctx.close();
});

test('policies: the catalogue and a policy\'s parameters with their sources, as the API has them', async () => {
  const ctx = await contextFor(browser, 'demo-bureau');
  const items = (await apiGet(ctx, '/policies')).items;
  const sw = items.find((p) => p.id === 'miit.software');
  for (const lang of LANGS) {
    let { page, w } = await open(ctx, '/policies', lang);
    assert.equal(await page.locator('main table.data tbody tr').count(), items.length);
    await clean(page, w, 'policies', lang);
    await page.close();
    ({ page, w } = await open(ctx, '/policies/miit.software', lang));
    assert.equal(await page.locator('#policy-parameters table.data tbody tr').count(), sw.parameters.length);
    assert.equal(await page.locator('#policy-parameters table.data .source-assumed').count(), sw.parameters.filter((q) => q.source === 'assumed').length);
    assert.ok((await page.textContent('blockquote.clause')).includes(sw.clause));
    await clean(page, w, 'policy', lang);
    await page.close();
  }
  await ctx.close();
});

test('policies: a policy\'s test cases are the API\'s, each with its inputs, expectation and result now', async () => {
  const ctx = await contextFor(browser, 'demo-enterprise');
  for (const id of ['finance.listing', 'miit.tech_upgrade']) {
    const t = await apiGet(ctx, `/policies/${id}/tests`);
    const subjects = t.items.flatMap((c) => c.subjects);
    assert.ok(t.items.length > 0 && t.failed === 0, `${id}: cases that pass`);
    for (const lang of LANGS) {
      const { page, w } = await open(ctx, `/policies/${id}`, lang);
      const rows = page.locator('#policy-tests-table tbody tr');
      assert.equal(await rows.count(), subjects.length, `${lang} ${id}: a row per subject of a case`);
      assert.equal(await page.getAttribute('#policy-tests-summary', 'data-passed'), String(t.passed));
      const first = await rows.first().evaluate((tr) => [...tr.cells].map((c) => c.textContent));
      assert.ok(first[0].startsWith(t.items[0].name), `${lang}: the case's name`);
      assert.equal(first[1], String(t.items[0].year));
      for (const i of t.items[0].subjects[0].inputs) assert.ok(first[3].includes(`${i.fact}`) && first[3].includes(i.value), `${lang}: input ${i.fact}`);
      const amount = t.items[0].subjects[0].expect?.amount;
      if (amount) assert.ok(digits(first[5]).includes(digits(amount).replace(/0+$/, '')), `${lang}: expected ${amount} in ${first[5]}`);
      assert.equal(await page.locator('#policy-tests-table .test-pass').count(), t.passed);
      if (id === 'finance.listing') await clean(page, w, 'policy-tests', lang);
      else assert.deepEqual(await w.check(), []);
      await page.close();
    }
  }
  await ctx.close();
});

test('awards: the export links download the list as shown, all pages, with the exact amounts', async () => {
  const ctx = await contextFor(browser, 'demo-bureau', { acceptDownloads: true });
  const dept = ACCOUNTS['demo-bureau'].scope;
  const all = [];
  for (let cursor = null, first = true; first || cursor; first = false) {
    const p = await apiGet(ctx, `/awards?year=2023&status=computed&limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    all.push(...p.items);
    cursor = p.next;
  }
  assert.ok(all.length > 50, 'more than one page of the list');
  for (const lang of LANGS) {
    const { page, w } = await open(ctx, `/awards?year=2023&status=computed&department=${encodeURIComponent(dept)}`, lang);
    assert.equal(await page.getAttribute('#aw-total', 'data-total'), String(all.length), 'the list\'s total');
    const href = await page.getAttribute('#aw-export a[data-format=csv]', 'href');
    const q = new URL(href, BASE).searchParams;
    assert.deepEqual([q.get('year'), q.get('status'), q.get('department'), q.get('format')], ['2023', 'computed', dept, 'csv'],
      'the export asks for what the list shows');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#aw-export a[data-format=csv]')]);
    const text = (await fs.promises.readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
    const lines = text.trim().split(/\r\n/);
    const head = lines[0].split(',');
    assert.equal(lines.length - 1, all.length, `${lang}: a line per award of the list, all pages`);
    const idAt = head.indexOf(lang === 'en' ? 'id' : '编号'), amountAt = head.indexOf(lang === 'en' ? 'amount' : '金额（元）');
    assert.ok(idAt >= 0 && amountAt >= 0, head.join());
    const big = all.reduce((m, a) => (Number(a.amount) > Number(m.amount) ? a : m), all[0]);
    const line = lines.find((l) => l.split(',')[idAt] === String(big.id));
    assert.ok(line && line.includes(`,${big.amount},`), `${lang}: award ${big.id} with ${big.amount} yuan: ${line}`);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('#aw-export a[data-format=xlsx]')]);
    assert.match(xlsx.suggestedFilename(), /^awards-2023\.xlsx$/);
    assert.equal((await fs.promises.readFile(await xlsx.path())).subarray(0, 2).toString(), 'PK', 'a workbook');
    if (lang !== 'en') { // the filters, the sums and the head of the list, where the links are
      await page.screenshot({ path: path.join(OUT, `${lang}-work-awards-export.png`), clip: { x: 0, y: 0, width: 1280, height: 1000 } });
    }
    assert.deepEqual(await w.check(), []);
    await page.close();
  }
  await ctx.close();
});

test('awards: sums by policy equal the API\'s list; four eyes: reviewed by one bureau account, approved by another, the same twice refused', async () => {
  const one = await contextFor(browser, 'demo-bureau');
  const two = await contextFor(browser, 'demo-bureau-2');
  const all = [];
  for (let cursor = null, first = true; first || cursor; first = false) {
    const p = await apiGet(one, `/awards?year=2023&limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    all.push(...p.items);
    cursor = p.next;
  }
  for (const lang of LANGS) {
    const { page, w } = await open(one, '/awards?year=2023', lang);
    const rows = page.locator('#awards-by-policy tbody tr');
    const policies = new Set(all.map((a) => a.policy));
    assert.equal(await rows.count(), policies.size, 'a row per policy');
    const counts = (await rows.evaluateAll((trs) => trs.map((tr) => tr.cells[2].textContent))).map(digits).map(Number);
    assert.equal(counts.reduce((s, n) => s + n, 0), all.length, 'the counts add up to the ledger');
    await clean(page, w, 'awards', lang);
    await page.close();
  }

  const a = (await apiGet(one, '/awards?year=2023&policy=miit.above_scale&status=computed&limit=1')).items[0];
  assert.ok(a, 'a computed award to sign off');
  const path = '/awards?year=2023&policy=miit.above_scale';
  let { page, w } = await open(one, `${path}&status=computed`, 'zh-CN');
  await page.click(`#award-${a.id} button[data-to=reviewed]`);
  await page.waitForSelector(`#award-${a.id}[data-status=reviewed]`);
  await page.click(`#award-${a.id} button[data-to=approved]`);
  await page.waitForFunction((id) => document.getElementById(`aw-msg-${id}`)?.textContent.length > 0, a.id);
  const refusal = await page.textContent(`#aw-msg-${a.id}`);
  assert.equal(await page.getAttribute(`#award-${a.id}`, 'data-status'), 'reviewed', 'not approved by its reviewer');
  assert.equal((await apiGet(one, `/awards/${a.id}`)).status, 'reviewed');
  // The refusal is the server's 403 on the transition: that request is expected to fail.
  const problems = (await w.check()).filter((p) => !p.includes(`/api/v1/awards/${a.id}/transition`));
  assert.deepEqual(problems, []);
  assert.ok(refusal.trim().length > 0, 'the server\'s message is shown');
  await page.close();

  ({ page, w } = await open(two, `${path}&status=reviewed`, 'zh-CN'));
  await page.click(`#award-${a.id} button[data-to=approved]`);
  await page.waitForSelector(`#award-${a.id}[data-status=approved]`);
  assert.equal((await apiGet(two, `/awards/${a.id}`)).status, 'approved');
  const h = await apiGet(two, `/awards/${a.id}/history`);
  assert.deepEqual(h.items.map((m) => [m.to, m.actor]), [['reviewed', 'demo-bureau'], ['approved', 'demo-bureau-2']]);
  assert.deepEqual(await w.check(), []);
  await page.close();
  await one.close();
  await two.close();
});

test('targets: a division account, which the API does not let read targets, is told so and nothing is fetched', async () => {
  const ctx = await contextFor(browser, 'demo-division');
  const page = await ctx.newPage();
  const asked = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/api/v1/targets')) asked.push(r.url()); });
  const w = watch(page);
  await page.goto(`${BASE}/targets?lang=zh-CN`);
  await rendered(page);
  await page.waitForLoadState('networkidle');
  assert.ok((await page.textContent('main')).includes('无权访问'));
  assert.deepEqual(asked, []);
  assert.deepEqual(await w.check(), []);
  await ctx.close();
});
