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
// run.sh starts the server on a fresh demo database with one account per role (lib.mjs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ACCOUNTS, BASE, LANGS, OUT, axeProblems, contextFor, launch, rendered, shot, watch } from './lib.mjs';

const CHAIN = ACCOUNTS['demo-chain'].scope;
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// A signed-in page for an account, the API beside it (same session), and its watch. Answers a
// test provokes on purpose (a refused import, another enterprise's appeal) are excused by
// allowed(path, status).
async function session(who, { viewport = { width: 1024, height: 768 }, allowed = () => false } = {}) {
  const context = await contextFor(browser, who, { viewport });
  const { csrf } = await (await context.request.get(`${BASE}/api/v1/session`)).json();
  const page = await context.newPage();
  const w = watch(page, allowed);
  const api = async (method, p, data) => {
    const res = await context.request.fetch(`${BASE}/api/v1${p}`, { method, data, headers: method === 'GET' ? {} : { 'X-CSRF-Token': csrf } });
    return { status: res.status(), json: await res.json().catch(() => null) };
  };
  return { page, api, problems: () => w.check(), close: () => context.close() };
}

async function open(s, p) {
  await s.page.goto(BASE + p);
  await rendered(s.page);
  await s.page.waitForLoadState('networkidle');
}

// The checks every page gets: axe (once per page and role: the languages share the markup), no
// problems, a screenshot.
async function checkPage(s, p, name, { withAxe = true } = {}) {
  if (withAxe) assert.deepEqual(await axeProblems(s.page), [], `axe on ${p}`);
  assert.deepEqual(await s.problems(), [], `console, requests and CSP on ${p}`);
  await shot(s.page, `desk-${name}`);
}

const PAGES = {
  'demo-admin': ['/appeals', '/masters', '/admin/users', '/admin/import', '/admin/audit'],
  'demo-bureau': ['/appeals', '/masters'],
  'demo-chain': ['/appeals', '/masters'],
  'demo-division': ['/appeals'],
  'demo-enterprise': ['/appeals'],
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
  const s = await session('demo-admin');
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
  const s = await session('demo-chain');
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
    // the designation decisions appear where the server offers them, and only there
    const doc = await s.api('GET', '/openapi.json');
    const offered = Boolean(doc.json.paths['/api/v1/chains/{code}/masters/decisions']);
    assert.equal(await s.page.locator('form.propose').count(), offered ? 1 : 0);
  } finally { await s.close(); }
});

// ---- the appeal from filing to rating -------------------------------------------------------------

test('an enterprise files an appeal, the chain office accepts and answers it, the enterprise rates it', async () => {
  const ent = await session('demo-enterprise', { viewport: { width: 390, height: 844 } });
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
    await shot(ent.page, 'desk-enterprise-appeal-filed-phone');
    assert.deepEqual(await ent.problems(), []);
  } finally { await ent.close(); }

  const off = await session('demo-chain');
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

  const back = await session('demo-enterprise', { viewport: { width: 390, height: 844 } });
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
  // the refusal is a 400 the page expects: not a problem of the page
  const s = await session('demo-admin', { allowed: (p, st) => p === '/api/v1/import/divisions' && st === 400 });
  try {
    const before = await s.api('GET', '/divisions?limit=1');
    fs.mkdirSync(OUT, { recursive: true });
    const file = path.join(OUT, 'desk-bad-divisions.csv');
    fs.writeFileSync(file, 'code,name\n440799,测试区\n12AB,坏代码\n440798,\n');
    await open(s, '/admin/import?lang=zh-CN');
    await s.page.selectOption('select[name="table"]', 'divisions');
    await s.page.setInputFiles('input[name="file"]', file);
    await s.page.click('form.import button[type="submit"]');
    await s.page.locator('.import-errors').waitFor();
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
  const s = await session('demo-admin');
  try {
    fs.mkdirSync(OUT, { recursive: true });
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
    assert.deepEqual(await s.problems(), []);
  } finally { await s.close(); }
});

// ---- audit -----------------------------------------------------------------------------------------

test('the audit log filters by actor and target as the API does', async () => {
  const s = await session('demo-admin');
  try {
    const r = await s.api('GET', '/audit?actor=admin&target=sessions&limit=50');
    await open(s, '/admin/audit?actor=admin&target=sessions&lang=en');
    const seqs = await s.page.locator('main table.data tbody tr td:first-child').allInnerTexts();
    assert.deepEqual(seqs, r.json.items.map((e) => String(e.seq)));
    assert.equal(await s.page.inputValue('input[name="actor"]'), 'admin');
    assert.deepEqual(await s.problems(), []);
  } finally { await s.close(); }
});

test('the users page lists every account as the API does', async () => {
  const s = await session('demo-admin');
  try {
    const r = await s.api('GET', '/accounts');
    await open(s, '/admin/users?lang=en');
    const names = await s.page.locator('main table.data tbody tr td:first-child').allInnerTexts();
    assert.deepEqual(names, r.json.items.map((a) => a.name));
    assert.ok(names.includes('demo-enterprise') && names.includes('demo-bureau-2'), names.join(' '));
    assert.deepEqual(await s.problems(), []);
  } finally { await s.close(); }
});

test('an admin creates an account on the users page; a weak password and a taken name are shown beside their field', async () => {
  const s = await session('demo-admin', { allowed: (p, status) => p === '/api/v1/accounts' && (status === 400 || status === 409) });
  const name = `ui-${Date.now() % 100000}`;
  const password = `Qz7-${Math.random().toString(36).slice(2, 10)}-Wx4v`;
  try {
    await open(s, '/admin/users?lang=zh-CN');
    const fill = async (n, role, scope, pw) => {
      await s.page.fill('#new-name', n);
      await s.page.selectOption('#new-role', role);
      await s.page.fill('#new-scope', scope);
      await s.page.fill('#new-password', pw);
      await s.page.click('#create-account button[type=submit]');
    };
    await fill(name, 'enterprise', ACCOUNTS['demo-enterprise'].scope, 'aaaaaaaaaa');
    await s.page.waitForFunction(() => document.getElementById('new-password-error')?.textContent.length > 0);
    assert.match(await s.page.textContent('#new-password-error'), /palindrome/, 'the quality check\'s reason, beside the password');
    assert.equal(await s.page.getAttribute('#new-password', 'aria-invalid'), 'true');
    assert.equal(await s.page.textContent('#new-name-error'), '', 'the name is fine');
    assert.equal((await s.api('GET', '/accounts')).json.items.some((a) => a.name === name), false, 'nothing created');
    await shot(s.page, 'desk-admin-users-error');
    await fill(name, 'enterprise', ACCOUNTS['demo-enterprise'].scope, password);
    await s.page.waitForFunction((n) => [...document.querySelectorAll('main table.data tbody td:first-child')].some((td) => td.textContent === n), name);
    assert.equal(await s.page.textContent('#new-password-error'), '', 'the error is gone');
    const made = (await s.api('GET', '/accounts')).json.items.find((a) => a.name === name);
    assert.deepEqual([made.role, made.scope], ['enterprise', ACCOUNTS['demo-enterprise'].scope]);
    await fill(name, 'admin', '', `${password}x`);
    await s.page.waitForFunction(() => document.getElementById('new-name-error')?.textContent.length > 0);
    assert.match(await s.page.textContent('#new-name-error'), /already exists/, 'a taken name, beside the name');
    await checkPage(s, '/admin/users', 'admin-users-create');
  } finally { await s.close(); }
  // The new account signs in through the sign-in form and lands on its own pages.
  const context = await contextFor(browser, null);
  const page = await context.newPage();
  const w = watch(page, (p, status) => p === '/api/v1/session' && status === 401);
  await page.goto(`${BASE}/login?lang=zh-CN`);
  await rendered(page);
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  await page.click('main button[type=submit]');
  await page.waitForFunction(() => !location.pathname.startsWith('/login'));
  const me = await (await context.request.get(`${BASE}/api/v1/session`)).json();
  assert.deepEqual([me.name, me.role], [name, 'enterprise']);
  assert.deepEqual(await w.check(), []);
  await context.close();
});

test('an admin disables an account from the users list, and enables it again', async () => {
  const s = await session('demo-admin');
  const name = `off-${Date.now() % 100000}`;
  const password = `Rk8-${Math.random().toString(36).slice(2, 10)}-Ym3t`;
  const signIn = () => fetch(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }) }).then((r) => r.status);
  try {
    assert.equal((await s.api('POST', '/accounts', { name, role: 'division', scope: ACCOUNTS['demo-division'].scope, password })).status, 201);
    await open(s, '/admin/users?lang=en');
    assert.equal(await s.page.locator('button[data-account="demo-admin"]').count(), 0, 'no move on one\'s own account');
    await s.page.click(`button[data-account="${name}"][data-to=disable]`);
    await s.page.waitForSelector(`button[data-account="${name}"][data-to=enable]`);
    assert.equal((await s.api('GET', '/accounts')).json.items.find((a) => a.name === name).disabled, true);
    assert.equal(await signIn(), 401, 'a disabled account cannot sign in');
    assert.match(await s.page.textContent('#accounts .desk-msg'), new RegExp(`${name} is disabled`));
    await s.page.click(`button[data-account="${name}"][data-to=enable]`);
    await s.page.waitForSelector(`button[data-account="${name}"][data-to=disable]`);
    assert.equal(await signIn(), 200, 'enabled, it signs in');
    await checkPage(s, '/admin/users', 'admin-users-enable');
  } finally { await s.close(); }
});

test('an admin gives an account a new password from the users list, shown once, and it signs in with it', async () => {
  const s = await session('demo-admin');
  const name = `pw-${Date.now() % 100000}`;
  const password = `Rk8-${Math.random().toString(36).slice(2, 10)}-Ym3t`;
  const signIn = (pw) => fetch(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: pw }) }).then((r) => r.status);
  try {
    assert.equal((await s.api('POST', '/accounts', { name, role: 'division', scope: ACCOUNTS['demo-division'].scope, password })).status, 201);
    await open(s, '/admin/users?lang=zh-CN');
    await s.page.click(`button[data-account="${name}"][data-to=password]`);
    const shown = await s.page.waitForSelector('#accounts .desk-msg code.new-password');
    const fresh = await shown.textContent();
    assert.match(await s.page.textContent('#accounts .desk-msg'), new RegExp(`${name} 的新密码：.*只显示这一次`));
    assert.equal(await signIn(password), 401, 'the old password no longer signs in');
    assert.equal(await signIn(fresh), 200, 'the one shown does');
    await checkPage(s, '/admin/users', 'admin-users-password');
  } finally { await s.close(); }
});

// ---- refusals ---------------------------------------------------------------------------------------

test('an enterprise is refused the administration and masters pages, and nothing is fetched', async () => {
  const s = await session('demo-enterprise');
  try {
    const asked = [];
    s.page.on('request', (q) => { if (q.url().includes('/api/v1/') && !q.url().endsWith('/api/v1/session')) asked.push(q.url()); });
    for (const p of ['/admin/users', '/admin/import', '/admin/audit', '/masters']) {
      await open(s, `${p}?lang=zh-CN`);
      assert.match(await s.page.locator('main [role="alert"]').innerText(), /无权/);
      assert.equal(await s.page.locator('main form, main table').count(), 0);
    }
    assert.deepEqual(asked, []);
    assert.deepEqual(await s.problems(), []);
    await shot(s.page, 'desk-enterprise-refused-masters-zh-CN');
  } finally { await s.close(); }
});

test('an enterprise cannot open another enterprise\'s appeal: the page says so', async () => {
  const admin = await session('demo-admin');
  const other = (await admin.api('GET', '/appeals?limit=50')).json.items.find((a) => a.uscc !== ACCOUNTS['demo-enterprise'].scope);
  await admin.close();
  const s = await session('demo-enterprise', { allowed: (p, st) => p === `/api/v1/appeals/${other.id}/history` && st === 404 });
  try {
    await open(s, `/appeals/${other.id}?lang=en`);
    assert.match(await s.page.locator('main').innerText(), /No such appeal/);
    assert.deepEqual(await s.problems(), []);
  } finally { await s.close(); }
});
