// The browser UI as the server answers it (its pages are tested in tests/web): the app's page on
// every app path, hashed assets cached for good and gzipped, the security headers on everything,
// and the public calculator's what-if: no account, the same answer as the signed-in route,
// nothing stored, throttled per address.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import raw from 'node:http';
import { gunzipSync } from 'node:zlib';
import { BASE, Client, as } from './lib.mjs';
import { ownServer } from './own_server.mjs';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
  + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const FACTS = { enterprise: { uscc: '91440703009576065A', industry_code: '3841',
  indicators: { 2021: { above_scale: false }, 2022: { above_scale: true } } } };

let own = null;
after(() => own?.stop());

test('every app path answers the app page, revalidated, with the security headers', async () => {
  for (const p of ['/', '/login', '/chains/NM-BATTERY', '/enterprises/X', '/appeals/3', '/admin/audit', '/calculator']) {
    const r = await fetch(BASE + p);
    assert.equal(r.status, 200, p);
    assert.match(r.headers.get('content-type'), /^text\/html/, p);
    assert.equal(r.headers.get('cache-control'), 'no-cache', p);
    assert.equal(r.headers.get('content-security-policy'), CSP, p);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', p);
    assert.equal(r.headers.get('referrer-policy'), 'same-origin', p);
    assert.match(await r.text(), /<script type="module" src="\/assets\/app\.[A-Z0-9]+\.js"><\/script>/, p);
  }
});

test('an unknown path outside the API is the app page with 404; inside the API a problem', async () => {
  const r = await fetch(BASE + '/no/such/page');
  assert.equal(r.status, 404);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  const api = await fetch(BASE + '/api/v1/nothing');
  assert.equal(api.status, 404);
  assert.match(api.headers.get('content-type'), /problem\+json/);
  assert.equal(api.headers.get('content-security-policy'), CSP, 'the API carries the CSP too');
  assert.equal(api.headers.get('cache-control'), 'no-store');
});

test('hashed assets are immutable and sent gzipped to a client that accepts it, plain otherwise', async () => {
  const html = await (await fetch(BASE + '/')).text();
  const js = html.match(/src="(\/assets\/[^"]+)"/)[1];
  const css = html.match(/href="(\/assets\/[^"]+\.css)"/)[1];
  for (const p of [js, css]) {
    const gz = await fetch(BASE + p);
    assert.equal(gz.status, 200, p);
    assert.equal(gz.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(gz.headers.get('vary'), 'Accept-Encoding');
    const plain = await new Promise((resolve) => raw.get(BASE + p, { headers: { 'accept-encoding': 'identity' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }));
    assert.equal(plain.headers['content-encoding'], undefined, 'identity: no gzip');
    const zipped = await new Promise((resolve) => raw.get(BASE + p, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }));
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.ok(zipped.body.length < plain.body.length);
    assert.deepEqual(gunzipSync(zipped.body), plain.body, 'the gzipped copy is the same file');
  }
  assert.equal((await fetch(BASE + '/assets/app.NOPE.js')).status, 404);
  assert.equal((await fetch(BASE + '/assets/index.html')).status, 404, 'only hashed files under /assets/');
});

test('the public what-if needs no account and answers as the signed-in one', async () => {
  const pub = await new Client().req('POST', '/api/v1/public/whatif?year=2023', FACTS);
  assert.equal(pub.status, 200, pub.text);
  const signed = await (await as('admin')).req('POST', '/api/v1/whatif?year=2023', FACTS);
  assert.deepEqual(pub.json, signed.json);
  assert.ok(pub.json.results.some((r) => r.policy === 'miit.above_scale' && r.status === 'eligible' && r.amount === '100000.00'));
  const bad = await new Client().req('POST', '/api/v1/public/whatif?year=2023', { enterprise: { nope: 1 } });
  assert.equal(bad.status, 400);
});

test('the public what-if is throttled per address: 30 a minute, then 429 with Retry-After', async () => {
  own = await ownServer([['admin', 'admin']]);
  const post = () => fetch(own.url + '/api/v1/public/whatif?year=2023', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify(FACTS) });
  // The window is per minute: a boundary crossed during a burst lets it through, so two bursts
  // (two boundaries within seconds cannot happen); the first that stays in one window must stop.
  let statuses = [];
  for (let round = 0; round < 2 && statuses.indexOf(429) !== 30; round++) {
    statuses = [];
    for (let i = 0; i < 31; i++) statuses.push((await post()).status);
    if (round === 0 && statuses.indexOf(429) !== 30) await new Promise((r) => setTimeout(r, 1000));
  }
  assert.equal(statuses.indexOf(429), 30, statuses.join(' '));
  const r = await post();
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
});
