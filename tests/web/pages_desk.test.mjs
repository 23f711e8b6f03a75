// Browser tests of the desk pages: appeals (the officials' queue, the enterprise's filing and
// rating), chain masters (the ten-criteria table) and administration (users, import, audit).
//
// Every page is opened by each role that may use it, in each language: its figures are checked
// against the API, axe-core must find no serious or critical violation, the page must log no
// console error and no request may fail, and a screenshot is saved under
// tests/out/<build>/web/. Then the flows: an enterprise files an appeal, the chain's office
// accepts and answers it, the enterprise rates it; an import with bad rows shows every error and
// writes nothing; an enterprise is refused the administration pages.
//
// It runs against LZ_WEB_URL with the accounts of LZ_WEB_ACCOUNTS ({name: {password, role,
// scope}}) when the harness gives them; otherwise it starts its own server on a demo database
// (LZ: the binary, default build/lianzhang). playwright-core and axe-core come from
// tests/web/node_modules, or from the node_modules directory LZ_WEB_MODULES names.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const BUILD = process.env.LZ_BUILD ?? 'build';
const OUT = path.join(ROOT, 'tests/out', path.basename(BUILD), 'web');
const LANGS = ['zh-CN', 'zh-TW', 'en'];
const CHAIN = 'NM-BATTERY';

async function load(name) {
  const dirs = [process.env.LZ_WEB_MODULES, path.join(HERE, 'node_modules')].filter(Boolean);
  for (const d of dirs) {
    try {
      const req = createRequire(path.join(d, 'x.js'));
      return await import(pathToFileURL(req.resolve(name)).href);
    } catch { /* next */ }
  }
  return import(name);
}

let BASE;
let ACCOUNTS;
let server = null;
let tmp = null;
let browser;
let axeSource;

// ---- the launcher, when no harness runs the server -------------------------------------------

function strongPassword() {
  return `Lz-${randomBytes(12).toString('base64url')}-9a!`;
}

async function launch() {
  const lz = process.env.LZ ?? path.join(ROOT, BUILD, 'lianzhang');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lz-web-desk-'));
  const db = path.join(tmp, 'demo.db');
  execFileSync(lz, ['demo', db, '--enterprises', '400'], { stdio: 'ignore' });
  const members = JSON.parse(execFileSync(lz, ['export', db, 'memberships', '--format', 'json'], { encoding: 'utf8' }));
  const firm = members.find((m) => m.chain === CHAIN && m.status === 'confirmed');
  const accounts = {
    admin: ['admin', null], bureau: ['bureau', '市工信局'], chain: ['chain', CHAIN], division: ['division', '440703'],
    enterprise: ['enterprise', firm.uscc],
  };
  ACCOUNTS = {};
  for (const [name, [role, scope]] of Object.entries(accounts)) {
    const password = strongPassword();
    execFileSync(lz, ['user', 'add', db, name, '--role', role, ...(scope ? ['--scope', scope] : []), '--password-stdin'],
      { input: `${password}\n`, stdio: ['pipe', 'ignore', 'inherit'] });
    ACCOUNTS[name] = { password, role, scope };
  }
  server = spawn(lz, ['serve', db, '--listen', '127.0.0.1:0', '--threads', '2', '--access-log', 'none',
    '--policies', path.join(ROOT, 'policies/jiangmen')], { stdio: ['ignore', 'pipe', 'pipe'] });
  BASE = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/[0-9.:]+/.exec(out);
      if (m) resolve(m[0]);
    });
    server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
    setTimeout(() => reject(new Error('server did not start')), 15000);
  });
}

before(async () => {
  if (process.env.LZ_WEB_URL) {
    BASE = process.env.LZ_WEB_URL.replace(/\/$/, '');
    ACCOUNTS = JSON.parse(fs.readFileSync(process.env.LZ_WEB_ACCOUNTS, 'utf8'));
  } else {
    await launch();
  }
  fs.mkdirSync(OUT, { recursive: true });
  const pw = await load('playwright-core');
  const chromium = pw.chromium ?? pw.default.chromium;
  const axePath = createRequire(path.join(process.env.LZ_WEB_MODULES ?? path.join(HERE, 'node_modules'), 'x.js')).resolve('axe-core/axe.min.js');
  axeSource = fs.readFileSync(axePath, 'utf8');
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  if (server) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

// ---- sessions ----------------------------------------------------------------------------------

// A signed-in browser page for an account (role name in ACCOUNTS), the API beside it (same
// cookie), and the problems seen: console errors, page errors, failed requests.
async function session(who, { viewport = { width: 1024, height: 768 } } = {}) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const r = await context.request.post(`${BASE}/api/v1/session`, { data: { name: who, password: ACCOUNTS[who].password } });
  assert.equal(r.status(), 200, `sign in as ${who}`);
  const { csrf } = await r.json();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (q) => problems.push(`failed: ${q.url()} ${q.failure()?.errorText}`));
  page.on('response', (q) => { if (q.status() >= 400) problems.push(`HTTP ${q.status()}: ${q.url()}`); });
  const api = async (method, p, data) => {
    const res = await context.request.fetch(`${BASE}/api/v1${p}`, { method, data, headers: method === 'GET' ? {} : { 'X-CSRF-Token': csrf } });
    return { status: res.status(), json: await res.json().catch(() => null) };
  };
  return { context, page, problems, api, close: () => context.close() };
}

// An answer the page expects (a refusal it shows): not a problem of the page. Drops the failed
// response and the console line the browser logs for it.
function allow(s, status, urlPart) {
  const keep = s.problems.filter((p) => !(p.startsWith(`HTTP ${status}: `) && p.includes(urlPart))
    && p !== `console: Failed to load resource: the server responded with a status of ${status} (${status === 400 ? 'Bad Request' : 'Not Found'})`);
  s.problems.splice(0, s.problems.length, ...keep);
}

async function open(s, p) {
  await s.page.goto(BASE + p);
  await s.page.waitForLoadState('networkidle');
  await s.page.locator('main h1').waitFor();
}

async function axe(page) {
  // evaluated, not added as a script tag: the page's CSP forbids inline scripts, rightly
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(axeSource);
  const r = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

async function shot(page, name) {
  const file = path.join(OUT, `desk-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// The checks every page gets: axe (once per page and role: the languages share the markup), no
// problems, a screenshot.
async function checkPage(s, p, name, { withAxe = true } = {}) {
  if (withAxe) assert.deepEqual(await axe(s.page), [], `axe on ${p}`);
  assert.deepEqual(s.problems, [], `console and requests on ${p}`);
  await shot(s.page, name);
}

const PAGES = {
  admin: ['/appeals', '/masters', '/admin/users', '/admin/import', '/admin/audit'],
  bureau: ['/appeals', '/masters'],
  chain: ['/appeals', '/masters'],
  division: ['/appeals'],
  enterprise: ['/appeals'],
};

// ---- every page, every role, every language ------------------------------------------------

for (const [who, paths] of Object.entries(PAGES)) {
  test(`${who}: the desk pages open in every language, accessible, without errors`, async () => {
    const s = await session(who);
    try {
      for (const lang of LANGS) {
        for (const p of paths) {
          await open(s, `${p}?lang=${lang}`);
          assert.equal(await s.page.getAttribute('html', 'lang'), lang);
          assert.equal(await s.page.locator('[role="alert"]').count(), 0, `no alert on ${p}`);
          await checkPage(s, p, `${who}-${p.slice(1).replaceAll('/', '-')}-${lang}`, { withAxe: lang === 'zh-CN' });
        }
      }
    } finally { await s.close(); }
  });
}

test('the appeals queue shows the API\'s appeals by due date, the overdue ones marked', async () => {
  const s = await session('admin');
  try {
    const q = 'sort=due&order=asc&limit=50&status=open&status=accepted&status=in_progress&status=escalated';
    const r = await s.api('GET', `/appeals?${q}`);
    assert.equal(r.status, 200);
    await open(s, '/appeals?lang=en');
    const ids = await s.page.locator('main table.data tbody tr td:first-child a').allInnerTexts();
    assert.deepEqual(ids, r.json.items.map((a) => a.id));
    const today = new Date().toISOString().slice(0, 10);
    const late = r.json.items.filter((a) => a.due && a.due < today).length;
    assert.equal(await s.page.locator('main tbody .overdue').count(), late);
  } finally { await s.close(); }
});

test('the masters table gives each candidate\'s score, rank and criteria as the API does', async () => {
  const s = await session('chain');
  try {
    const year = new Date().getFullYear() - 2;
    const r = await s.api('GET', `/chains/${CHAIN}/masters?year=${year}`);
    assert.equal(r.status, 200);
    const first = r.json.chains[0].candidates[0];
    await open(s, '/masters?lang=en');
    const row = s.page.locator('table.masters tbody tr').first();
    assert.equal(await row.getAttribute('data-uscc'), first.uscc);
    const cells = await row.locator('td').allInnerTexts();
    assert.equal(cells[0], String(first.rank));
    assert.equal(cells[2], first.score);
    assert.match(cells[3], new RegExp(first.criteria.revenue.normalised.replace('.', '\\.')));
    // ten criteria with their weights, and the sensitivity column
    assert.equal(await s.page.locator('table.masters thead th.crit').count(), 10);
  } finally { await s.close(); }
});

// ---- the appeal from filing to rating -------------------------------------------------------------

test('an enterprise files an appeal, the chain office accepts and answers it, the enterprise rates it', async () => {
  const ent = await session('enterprise', { viewport: { width: 390, height: 844 } });
  const summary = `测试诉求 ${Date.now()}：申请协调用电增容`;
  let id;
  try {
    await open(ent, '/appeals');
    await ent.page.selectOption('select[name="category"]', 'energy');
    await ent.page.selectOption('select[name="chain"]', CHAIN);
    await ent.page.fill('textarea[name="summary"]', summary);
    await ent.page.click('form.appeal-new button[type="submit"]');
    await ent.page.locator('form.appeal-new .desk-msg.ok').waitFor();
    const r = await ent.api('GET', `/appeals?summary=${encodeURIComponent(summary)}`);
    assert.equal(r.json.items.length, 1);
    id = r.json.items[0].id;
    assert.equal(r.json.items[0].status, 'open');
    assert.match(await ent.page.locator('form.appeal-new .desk-msg.ok').innerText(), new RegExp(id));
    await shot(ent.page, 'enterprise-appeal-filed-phone');
    assert.deepEqual(ent.problems, []);
  } finally { await ent.close(); }

  const off = await session('chain');
  try {
    await open(off, `/appeals/${id}?lang=zh-CN`);
    await off.page.click('button[data-move="accepted"]');
    await off.page.locator('button[data-move="in_progress"]').click();
    await off.page.locator('#answer textarea[name="outcome"]').fill('已协调供电局，下月完成增容。');
    await off.page.click('#answer button[type="submit"]');
    await off.page.locator('.desk-msg.ok', { hasText: '已答复并办结' }).waitFor();
    const h = await off.api('GET', `/appeals/${id}/history`);
    assert.equal(h.json.appeal.status, 'resolved');
    assert.deepEqual(h.json.history.map((x) => x.to), ['accepted', 'in_progress', 'resolved']);
    assert.equal(await off.page.locator('main table.data tbody tr').count(), 3);
    await checkPage(off, `/appeals/${id}`, 'chain-appeal-resolved-zh-CN');
  } finally { await off.close(); }

  const back = await session('enterprise', { viewport: { width: 390, height: 844 } });
  try {
    await open(back, `/appeals/${id}?lang=zh-TW`);
    await back.page.check('input[name="rating"][value="4"]');
    await back.page.fill('textarea[name="comment"]', '辦理及時');
    await back.page.click('form.rate button[type="submit"]');
    await back.page.locator('.rating').waitFor();
    const h = await back.api('GET', `/appeals/${id}/history`);
    assert.equal(h.json.rating.rating, 4);
    await checkPage(back, `/appeals/${id}`, 'enterprise-appeal-rated-zh-TW-phone');
  } finally { await back.close(); }
});

// ---- import -------------------------------------------------------------------------------------

test('an import with bad rows shows every error, and nothing is written', async () => {
  const s = await session('admin');
  try {
    const before = await s.api('GET', '/divisions?limit=1');
    const file = path.join(OUT, 'desk-bad-divisions.csv');
    fs.writeFileSync(file, 'code,name\n440799,测试区\n12AB,坏代码\n440798,\n');
    await open(s, '/admin/import?lang=zh-CN');
    await s.page.selectOption('select[name="table"]', 'divisions');
    await s.page.setInputFiles('input[name="file"]', file);
    // the refusal is a 400 the page expects: not a problem of the page
    await s.page.click('form.import button[type="submit"]');
    await s.page.locator('.import-errors').waitFor();
    allow(s, 400, '/api/v1/import/divisions');
    const rows = await s.page.locator('.import-errors tbody tr').allInnerTexts();
    assert.equal(rows.length, 2);
    assert.match(rows[0], /desk-bad-divisions\.csv\s+3\s+code\s+/);
    assert.match(rows[1], /4\s+name\s+is required/);
    assert.match(await s.page.locator('.import-errors h2').innerText(), /未写入/);
    const afterImport = await s.api('GET', '/divisions?limit=1');
    assert.equal(afterImport.json.total, before.json.total);
    assert.equal((await s.api('GET', '/divisions/440799')).status, 404);

    await checkPage(s, '/admin/import', 'admin-import-errors-zh-CN');
  } finally { await s.close(); }
});

test('a good import reports its counts', async () => {
  const s = await session('admin');
  try {
    const file = path.join(OUT, 'desk-good-divisions.csv');
    const list = await s.api('GET', '/divisions?limit=2&sort=code');
    const rows = list.json.items.map((d) => `${d.code},${d.name}`).join('\n');
    fs.writeFileSync(file, `code,name\n${rows}\n`);
    await open(s, '/admin/import?lang=en');
    await s.page.selectOption('select[name="table"]', 'divisions');
    await s.page.setInputFiles('input[name="file"]', file);
    await s.page.click('form.import button[type="submit"]');
    await s.page.locator('.import-result table').waitFor();
    const cells = await s.page.locator('.import-result table tbody td').allInnerTexts();
    assert.deepEqual(cells, ['2', '0', '2']);
    assert.deepEqual(s.problems, []);
  } finally { await s.close(); }
});

// ---- audit -----------------------------------------------------------------------------------------

test('the audit log filters by actor and target as the API does', async () => {
  const s = await session('admin');
  try {
    const r = await s.api('GET', '/audit?actor=admin&target=sessions&limit=50');
    await open(s, '/admin/audit?actor=admin&target=sessions&lang=en');
    const seqs = await s.page.locator('main table.data tbody tr td:first-child').allInnerTexts();
    assert.deepEqual(seqs, r.json.items.map((e) => String(e.seq)));
    assert.equal(await s.page.inputValue('input[name="actor"]'), 'admin');
    assert.deepEqual(s.problems, []);
  } finally { await s.close(); }
});

// ---- refusals ---------------------------------------------------------------------------------------

test('an enterprise is refused the administration and masters pages, and nothing is fetched', async () => {
  const s = await session('enterprise');
  try {
    const asked = [];
    s.page.on('request', (q) => { if (q.url().includes('/api/v1/') && !q.url().endsWith('/api/v1/session')) asked.push(q.url()); });
    for (const p of ['/admin/users', '/admin/import', '/admin/audit', '/masters']) {
      await open(s, `${p}?lang=zh-CN`);
      assert.match(await s.page.locator('main [role="alert"]').innerText(), /无权/);
      assert.equal(await s.page.locator('main form, main table').count(), 0);
    }
    assert.deepEqual(asked, []);
    assert.deepEqual(s.problems, []);
    await shot(s.page, 'enterprise-refused-masters-zh-CN');
  } finally { await s.close(); }
});

test('an enterprise cannot open another enterprise\'s appeal: the page says so', async () => {
  const admin = await session('admin');
  const other = (await admin.api('GET', '/appeals?limit=50')).json.items.find((a) => a.uscc !== ACCOUNTS.enterprise.scope);
  await admin.close();
  const s = await session('enterprise');
  try {
    await open(s, `/appeals/${other.id}?lang=en`);
    assert.match(await s.page.locator('main').innerText(), /No such appeal/);
    allow(s, 404, `/api/v1/appeals/${other.id}/history`);
    assert.deepEqual(s.problems, []);
  } finally { await s.close(); }
});
