// Account self-service on a server of its own (failed sign-ins spend the address's attempts):
// changing one's own password ends the account's other sessions and keeps this one on a fresh
// token; an admin lifts the throttle of an account locked by failed sign-ins. Both are audited.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ownServer, PASSWORD } from './own_server.mjs';
import { strongPassword } from './password.mjs';

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

test('an admin creates an account with the checks of user add, each fault by its field; audited, no password kept', async () => {
  const admin = await session('admin');
  const pw = strongPassword();
  const create = (body, s = admin) => post(server.url, '/api/v1/accounts', body, s);
  const chain = await session('mia', NEW);
  assert.equal((await create({ name: 'nora', role: 'chain', scope: 'battery', password: pw }, chain)).status, 403, 'admin only');
  const noCsrf = await fetch(server.url + '/api/v1/accounts', { method: 'POST', headers: { cookie: admin.cookie,
    'content-type': 'application/json' }, body: JSON.stringify({ name: 'nora', role: 'admin', password: pw }) });
  assert.equal(noCsrf.status, 403, 'a write needs the CSRF token');
  const bad = await create({ name: 'no ra', role: 'bureau', scope: '市工信', password: 'aaaaaaaaaa' });
  assert.equal(bad.status, 400);
  const by = Object.fromEntries(bad.json.errors.map((e) => [e.field, e.reason]));
  assert.deepEqual(Object.keys(by).sort(), ['name', 'password', 'scope'], JSON.stringify(bad.json));
  assert.match(by.password, /palindrome/, 'the quality check says why');
  assert.match(by.scope, /no such department.*市工信局/, 'the bureau check lists the departments');
  const scopes = await create({ name: 'nora', role: 'chain', scope: 'nochain', password: pw });
  assert.deepEqual(scopes.json.errors.map((e) => e.field), ['scope'], 'a chain that does not exist');
  assert.equal((await create({ name: 'nora', role: 'root', password: pw })).json.errors[0].field, 'role');
  assert.equal((await create({ name: 'nora', role: 'chain', scope: 'battery', password: pw, admin: true })).status, 400,
    'an unknown field');
  assert.equal((await server.attempt('nora', pw)).status, 401, 'nothing refused was created');
  const ok = await create({ name: 'nora', role: 'bureau', scope: '市人才工作局', password: pw });
  assert.equal(ok.status, 201, JSON.stringify(ok.json));
  assert.deepEqual(ok.json, { name: 'nora', role: 'bureau', scope: '市人才工作局', lang: null, disabled: false },
    'a department only a policy file names is a bureau scope');
  const dup = await create({ name: 'nora', role: 'admin', password: strongPassword() });
  assert.equal(dup.status, 409);
  assert.deepEqual(dup.json.errors.map((e) => e.field), ['name']);
  const signIn = await server.attempt('nora', pw);
  assert.equal(signIn.status, 200, 'the new account signs in with its password');
  assert.deepEqual((await signIn.json()).account, { name: 'nora', role: 'bureau', scope: '市人才工作局', lang: null });
  const log = await (await server.login('admin')).get('/api/v1/audit?target=accounts/nora');
  assert.equal(log.json.items.length, 1, 'one entry: the creation');
  assert.equal(log.json.items[0].via, 'POST /api/v1/accounts');
  assert.equal(log.json.items[0].before, null);
  assert.ok(!JSON.stringify(log.json).includes(pw), 'no password in the log');
});

test('an admin disables an account (its sessions end, it cannot sign in) and enables it again; not its own', async () => {
  const admin = await session('admin');
  const pw = strongPassword();
  assert.equal((await post(server.url, '/api/v1/accounts', { name: 'otto', role: 'chain', scope: 'battery', password: pw }, admin)).status, 201);
  const otto = await session('otto', pw);
  assert.equal((await post(server.url, '/api/v1/accounts/admin/disable', undefined, otto)).status, 403, 'admin only');
  const off = await post(server.url, '/api/v1/accounts/otto/disable', undefined, admin);
  assert.equal(off.status, 200, JSON.stringify(off.json));
  assert.equal(off.json.disabled, true);
  assert.equal(await me(otto), 401, 'its session ended');
  assert.equal((await server.attempt('otto', pw)).status, 401, 'it cannot sign in');
  assert.equal((await post(server.url, '/api/v1/accounts/admin/disable', undefined, admin)).status, 409, 'not one\'s own');
  assert.equal((await post(server.url, '/api/v1/accounts/nobody/disable', undefined, admin)).status, 404);
  const on = await post(server.url, '/api/v1/accounts/otto/enable', undefined, admin);
  assert.equal(on.json.disabled, false);
  assert.equal((await server.attempt('otto', pw)).status, 200, 'it signs in again');
  const log = await (await server.login('admin')).get('/api/v1/audit?target=accounts/otto');
  const moves = log.json.items.filter((e) => e.via.endsWith('/disable') || e.via.endsWith('/enable'));
  assert.deepEqual(moves.map((e) => [e.before.disabled, e.after.disabled]), [[true, false], [false, true]], 'newest first, state before and after');
});

test('an admin sets another account\'s password, given or generated; its sessions end; not its own; audited without it', async () => {
  const admin = await session('admin');
  const pw = strongPassword();
  assert.equal((await post(server.url, '/api/v1/accounts', { name: 'pia', role: 'chain', scope: 'battery', password: pw }, admin)).status, 201);
  const pia = await session('pia', pw);
  assert.equal((await post(server.url, '/api/v1/accounts/admin/password', {}, pia)).status, 403, 'admin only');
  const generated = await post(server.url, '/api/v1/accounts/pia/password', {}, admin);
  assert.equal(generated.status, 200, JSON.stringify(generated.json));
  assert.equal(generated.json.generated, true);
  assert.ok(generated.json.password.length >= 20, 'a generated password, answered this once');
  assert.equal(await me(pia), 401, 'its session ended');
  assert.equal((await server.attempt('pia', generated.json.password)).status, 200, 'it signs in with the new one');
  const weak = await post(server.url, '/api/v1/accounts/pia/password', { password: 'password' }, admin);
  assert.equal(weak.status, 400);
  assert.equal(weak.json.errors[0].field, 'password', 'a weak one is refused by its field');
  const chosen = strongPassword();
  const given = await post(server.url, '/api/v1/accounts/pia/password', { password: chosen }, admin);
  assert.deepEqual(given.json, { name: 'pia', generated: false, password: null }, 'a given password is not echoed');
  assert.equal((await server.attempt('pia', chosen)).status, 200);
  assert.equal((await post(server.url, '/api/v1/accounts/admin/password', {}, admin)).status, 409, 'its own: with the current one');
  assert.equal((await post(server.url, '/api/v1/accounts/nobody/password', {}, admin)).status, 404);
  assert.equal((await post(server.url, '/api/v1/accounts/pia/password', { pass: 'x' }, admin)).status, 400, 'an unknown field');
  const log = await (await server.login('admin')).get('/api/v1/audit?target=accounts/pia');
  const resets = log.json.items.filter((e) => e.via === 'POST /api/v1/accounts/{name}/password');
  assert.deepEqual(resets.map((e) => e.after.generated), [false, true], 'two resets, newest first');
  const text = JSON.stringify(log.json);
  assert.ok(!text.includes(generated.json.password) && !text.includes(chosen), 'no password in the log');
});
