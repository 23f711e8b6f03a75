// Every page in every language: it renders, no console error, no failed request, no CSP
// violation, axe-core finds no serious or critical violation, and a screenshot is saved
// (tests/out/BUILD/web/LANG-NAME.png) for a person to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS, LANGS, axeProblems, contextFor, launch, rendered, shot, signedOutSession, watch } from './lib.mjs';

const ENTERPRISE = ACCOUNTS['demo-enterprise'].scope;
// [path, account (null: signed out), screenshot name, status of the document]
const PAGES = [
  ['/login', null, 'login'],
  ['/calculator', null, 'calculator'],
  ['/?year=2023', 'demo-admin', 'cockpit'],
  ['/chains/NM-BATTERY?year=2023', 'demo-admin', 'chain'],
  ['/enterprises', 'demo-admin', 'enterprises'],
  [`/enterprises/${ENTERPRISE}`, 'demo-enterprise', 'enterprise'],
  ['/projects', 'demo-admin', 'projects'],
  ['/targets', 'demo-admin', 'targets'],
  ['/appeals', 'demo-enterprise', 'appeals'],
  ['/appeals/SQ0000001-1', 'demo-admin', 'appeal'],
  ['/policies', 'demo-admin', 'policies'],
  ['/policies/miit.above_scale', 'demo-admin', 'policy'],
  ['/awards', 'demo-bureau', 'awards'],
  ['/masters', 'demo-chain', 'masters'],
  ['/admin/import', 'demo-admin', 'admin-import'],
  ['/admin/users', 'demo-admin', 'admin-users'],
  ['/admin/audit', 'demo-admin', 'admin-audit'],
  ['/no/such/page', 'demo-admin', 'notfound', 404],
];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const [p, who, name, status = 200] of PAGES) {
  test(`${name} (${p}) in ${LANGS.join(', ')}: renders, no error or CSP violation, axe clean`, async () => {
    for (const lang of LANGS) {
      const ctx = await contextFor(browser, who);
      const page = await ctx.newPage();
      const w = watch(page, (path, s) => (!who && signedOutSession(path, s)) || (status === 404 && path === p && s === 404));
      const sep = p.includes('?') ? '&' : '?';
      const res = await page.goto(`${p}${sep}lang=${lang}`.replace(/^/, process.env.LZ_WEB_URL));
      assert.equal(res.status(), status, `${lang}: document status`);
      await rendered(page);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      const h1 = await page.textContent('h1');
      assert.ok(h1 && h1.trim().length > 0, `${lang}: a heading`);
      if (name === 'calculator') {
        await page.click('button[type=submit]');
        await page.waitForSelector('#calc-results');
      }
      await page.waitForTimeout(100);
      assert.deepEqual(await w.check(), [], `${lang}: problems`);
      assert.deepEqual(await axeProblems(page), [], `${lang}: axe`);
      await shot(page, `${lang}-${name}`);
      await ctx.close();
    }
  });
}

test('at 1024×768 the cockpit has no horizontal scroll', async () => {
  const ctx = await contextFor(browser, 'demo-admin', { viewport: { width: 1024, height: 768 } });
  const page = await ctx.newPage();
  await page.goto(`${process.env.LZ_WEB_URL}/?year=2023`);
  await rendered(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `scrolls by ${overflow}px`);
  await shot(page, 'zh-CN-cockpit-1024');
  await ctx.close();
});
