// Account self-service on a server of its own (failed sign-ins spend the address's attempts):
// changing one's own password ends the account's other sessions and keeps this one on a fresh
// token; an admin lifts the throttle of an account locked by failed sign-ins. Both are audited.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ownServer, PASSWORD } from './own_server.mjs';

let server = null;
after(() => server?.stop());
const NEW = 'Brand-new pass 7Q!x9z';

async function post(url, p, body, s) {
  const r = await fetch(url + p, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body),
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' } });
  return { status: r.status, headers: r.headers, json: await r.json().catch(() => null) };
}

async function session(name, password = PASSWORD) {
  const r = await server.attempt(name, password);
  assert.equal(r.status, 200);
  return { cookie: r.headers.get('set-cookie').split(';')[0], csrf: (await r.json()).csrf };
}

const me = (s) => fetch(server.url + '/api/v1/session', { headers: { cookie: s.cookie } }).then((r) => r.status);

test('changing one\'s own password: current checked, new one quality-checked, other sessions end', async () => {
  server = await ownServer([['admin', 'admin'], ['mia', 'chain', 'battery'], ['locked', 'chain', 'battery']]);
  const here = await session('mia'), there = await session('mia');
  const wrong = await post(server.url, '/api/v1/session/password', { current: 'not it at all', new: NEW }, here);
  assert.equal(wrong.status, 400);
  assert.equal(wrong.json.errors[0].field, 'current');
  const weak = await post(server.url, '/api/v1/session/password', { current: PASSWORD, new: 'password' }, here);
  assert.equal(weak.status, 400);
  assert.equal(weak.json.errors[0].field, 'new');
  assert.equal(await me(there), 200, 'a refused change ends nothing');
  const ok = await post(server.url, '/api/v1/session/password', { current: PASSWORD, new: NEW }, here);
  assert.equal(ok.status, 200, JSON.stringify(ok.json));
  const fresh = { cookie: ok.headers.get('set-cookie').split(';')[0], csrf: ok.json.csrf };
  assert.equal(await me(fresh), 200, 'this client stays signed in');
  assert.equal(await me(there), 401, 'the other session ended');
  assert.equal((await server.attempt('mia', PASSWORD)).status, 401);
  assert.equal((await server.attempt('mia', NEW)).status, 200);
  const admin = await server.login('admin');
  const log = await admin.get('/api/v1/audit?target=accounts/mia');
  assert.ok(log.json.items.some((e) => e.via === 'POST /api/v1/session/password' && e.actor === 'mia'), JSON.stringify(log.json));
  assert.ok(!JSON.stringify(log.json).includes(NEW), 'no password in the log');
});

test('an admin unlocks an account throttled by failed sign-ins', async () => {
  for (let i = 0; i < 5; i++) assert.equal((await server.attempt('locked', 'wrong-password-x')).status, 401);
  assert.equal((await server.attempt('locked', PASSWORD)).status, 429, 'locked out');
  const mia = await session('mia', NEW);
  assert.equal((await post(server.url, '/api/v1/accounts/locked/unlock', undefined, mia)).status, 403);
  const admin = await session('admin');
  assert.equal((await post(server.url, '/api/v1/accounts/nobody/unlock', undefined, admin)).status, 404);
  assert.equal((await post(server.url, '/api/v1/accounts/locked/unlock', undefined, admin)).status, 204);
  assert.equal((await server.attempt('locked', PASSWORD)).status, 200, 'signs in again');
  const log = await (await server.login('admin')).get('/api/v1/audit?target=accounts/locked&actor=admin');
  assert.equal(log.json.items[0].via, 'POST /api/v1/accounts/{name}/unlock');
});

test('the UI language follows the account to another browser; only the three languages are taken', async () => {
  const admin = await session('admin');
  const put = (body, s = admin) => fetch(server.url + '/api/v1/session/lang', { method: 'PUT', body: JSON.stringify(body),
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' } })
    .then(async (r) => ({ status: r.status, json: await r.json().catch(() => null) }));
  const read = (s) => fetch(server.url + '/api/v1/session', { headers: { cookie: s.cookie } }).then((r) => r.json());
  assert.equal((await read(admin)).lang, null, 'none chosen yet');
  const ok = await put({ lang: 'zh-TW' });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.lang, 'zh-TW');
  assert.equal((await read(admin)).lang, 'zh-TW', 'the same session reads it');
  const elsewhere = await session('admin');
  assert.equal((await read(elsewhere)).lang, 'zh-TW', 'a new sign-in brings it');
  assert.equal((await read(admin)).name, 'admin', 'no session ended');
  const bad = await put({ lang: 'fr' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.errors[0].field, 'lang');
  assert.equal((await put({ language: 'en' })).status, 400, 'an unknown field');
  const noCsrf = await fetch(server.url + '/api/v1/session/lang', { method: 'PUT', body: '{"lang":"en"}',
    headers: { cookie: admin.cookie, 'content-type': 'application/json' } });
  assert.equal(noCsrf.status, 403, 'a write needs the CSRF token');
  assert.equal((await read(admin)).lang, 'zh-TW', 'nothing changed by the refused writes');
});

test('an admin lists the accounts: role, scope, language, disabled; no password; others are refused', async () => {
  const admin = await session('admin');
  const r = await fetch(server.url + '/api/v1/accounts', { headers: { cookie: admin.cookie } });
  assert.equal(r.status, 200);
  const { items } = await r.json();
  assert.deepEqual(items.map((a) => a.name), ['admin', 'locked', 'mia'], 'every account, by name');
  const mia = items.find((a) => a.name === 'mia');
  assert.deepEqual([mia.role, mia.scope, mia.disabled], ['chain', 'battery', false]);
  assert.ok(!JSON.stringify(items).toLowerCase().includes('hash'), 'no password hash');
  const chain = await session('mia', NEW);
  assert.equal((await fetch(server.url + '/api/v1/accounts', { headers: { cookie: chain.cookie } })).status, 403);
  assert.equal((await fetch(server.url + '/api/v1/accounts')).status, 401);
});
