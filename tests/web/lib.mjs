// Shared by the browser tests: the server and accounts run.sh prepared, Chromium, signing in,
// and a watch on a page that collects what must never happen (console errors, failed requests,
// CSP violations, uncaught exceptions).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

export const BASE = process.env.LZ_WEB_URL;
export const ACCOUNTS = JSON.parse(fs.readFileSync(process.env.LZ_WEB_ACCOUNTS, 'utf8'));
export const OUT = process.env.LZ_WEB_OUT;
export const LANGS = ['zh-CN', 'zh-TW', 'en'];
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const launch = () => chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });

// A context (1280×800 unless told) whose browser language is zh-CN, signed in as name if given
// (through the API, as the sign-in form would: the context then holds the session cookie).
export async function contextFor(browser, name, opts = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', ...opts });
  await ctx.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  if (name) {
    const r = await ctx.request.post(`${BASE}/api/v1/session`, { data: { name, password: ACCOUNTS[name].password } });
    if (r.status() !== 200) throw new Error(`sign-in ${name}: ${r.status()} ${await r.text()}`);
  }
  return ctx;
}

// The API's answer as the context's account sees it.
export async function apiGet(ctx, p) {
  const r = await ctx.request.get(`${BASE}/api/v1${p}`);
  if (!r.ok()) throw new Error(`GET ${p}: ${r.status()}`);
  return r.json();
}

// Collects problems on page. allowed(url, status) may excuse an expected error answer (a
// signed-out visitor's 401 from GET /api/v1/session, the 404 of an unknown page).
export function watch(page, allowed = () => false) {
  const problems = [];
  const excused = new Set();
  page.on('response', (r) => {
    if (r.status() < 400) return;
    if (allowed(new URL(r.url()).pathname, r.status())) excused.add(r.url());
    else problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => problems.push(`failed ${r.url()} ${r.failure()?.errorText}`));
  page.on('pageerror', (e) => problems.push(`exception ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (/Failed to load resource/.test(m.text()) && excused.has(m.location().url)) return;
    problems.push(`console ${m.text()} ${m.location().url ?? ''}`);
  });
  return {
    async check() {
      const csp = await page.evaluate(() => window.__csp ?? []);
      return [...problems, ...csp.map((c) => `CSP violation ${c}`)];
    },
  };
}

export const signedOutSession = (p, status) => p === '/api/v1/session' && status === 401;

// axe-core's serious and critical violations on the page, as "rule: target" lines. axe is run
// through the debugging protocol, which the page's CSP does not apply to.
export async function axeProblems(page) {
  await page.evaluate(AXE);
  const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

export async function rendered(page) {
  await page.waitForFunction(() => document.documentElement.dataset.rendered !== undefined, null, { timeout: 15000 });
}

export function shot(page, name) {
  fs.mkdirSync(OUT, { recursive: true });
  return page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
}
