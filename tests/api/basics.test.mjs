// Sessions, CSRF, throttling, error classes (problem+json with the field named), size limits,
// all-or-nothing writes, pagination, import/export, the OpenAPI document against the real routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { as, Client, BASE, ACCOUNTS, USCC, lz } from './lib.mjs';

const problem = (r, status, field) => {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(r.json.status, status);
  if (field) assert.ok(r.json.errors?.some((e) => e.field === field), `no error on ${field}: ${r.text}`);
};

test('health answers without a session, with the version', async () => {
  const r = await new Client().req('GET', '/healthz');
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'ok');
  assert.match(r.json.version, /^\d+\.\d+\.\d+$/);
});

test('a route without a session is 401', async () => {
  problem(await new Client().req('GET', '/api/v1/enterprises'), 401);
});

test('sign-in sets an HttpOnly SameSite=Strict cookie and returns a CSRF token', async () => {
  const c = new Client();
  const r = await c.login('admin');
  assert.equal(r.status, 200);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.equal(typeof r.json.csrf, 'string');
  assert.equal(r.json.account.role, 'admin');
  const me = await c.req('GET', '/api/v1/session');
  assert.equal(me.json.name, 'admin');
});

test('a wrong password is 401 and says nothing about which part was wrong', async () => {
  const a = await new Client().login('admin', 'not the password');
  const b = await new Client().login('nobody-here', 'not the password');
  problem(a, 401);
  problem(b, 401);
  assert.equal(a.json.detail, b.json.detail);
});

test('a disabled account cannot sign in', async () => {
  problem(await new Client().login('disabled'), 401);
});

test('failed sign-ins are throttled per account: the sixth try is 429 even with the right password', async () => {
  for (let i = 0; i < 5; i++) problem(await new Client().login('throttled', 'wrong password ' + i), 401);
  const r = await new Client().login('throttled');
  problem(r, 429);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
});

test('a write without the CSRF token is 403 and writes nothing', async () => {
  const c = await as('admin');
  problem(await c.req('POST', '/api/v1/divisions', { code: '440785', name: '恩平市' }, { csrf: false }), 403);
  assert.equal((await c.req('GET', '/api/v1/divisions/440785')).status, 404);
});

test('after sign-out the session no longer works', async () => {
  const c = await as('admin');
  assert.equal((await c.req('DELETE', '/api/v1/session')).status, 204);
  problem(await c.req('GET', '/api/v1/enterprises'), 401);
});

test('a forged session cookie is 401', async () => {
  const c = new Client();
  c.cookie = 'lz_session=' + 'A'.repeat(43);
  problem(await c.req('GET', '/api/v1/enterprises'), 401);
});

test('unknown route is 404, wrong method 405 with Allow', async () => {
  const c = await as('admin');
  problem(await c.req('GET', '/api/v1/nothing'), 404);
  const r = await c.req('PUT', '/api/v1/divisions');
  problem(r, 405);
  assert.match(r.headers.get('allow'), /GET/);
});

test('bad JSON is 400 naming the body with line and column', async () => {
  const c = await as('admin');
  const r = await c.req('POST', '/api/v1/divisions', '{"code": "440785", "name": }');
  problem(r, 400, 'body');
  assert.match(r.json.detail, /line 1, column/);
});

test('invalid UTF-8 in a body is 400', async () => {
  const c = await as('admin');
  const bytes = Buffer.concat([Buffer.from('{"code":"440785","name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
  problem(await c.req('POST', '/api/v1/divisions', bytes), 400, 'body');
});

test('invalid UTF-8 in a query is 400 naming the parameter', async () => {
  const c = await as('admin');
  problem(await c.req('GET', '/api/v1/enterprises?q=%FF'), 400, 'q');
});

test('duplicate keys, unknown fields and wrong types are 400 naming each field', async () => {
  const c = await as('admin');
  problem(await c.req('POST', '/api/v1/divisions', '{"code":"440785","code":"440785","name":"x"}'), 400, 'body');
  const r = await c.req('POST', '/api/v1/indicators', { uscc: USCC.E1, year: '2030x', revenue: 12.5, colour: 'red' });
  problem(r, 400);
  const fields = r.json.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ['colour', 'revenue', 'year']);
});

test('a field that fails validation is named with the reason', async () => {
  const c = await as('admin');
  const r = await c.req('POST', '/api/v1/enterprises', { uscc: USCC.E1.slice(0, 17) + 'X', name: 'x' });
  problem(r, 400, 'uscc');
  assert.match(r.json.errors[0].reason, /check character/);
});

test('a reference to a missing row is 400 naming the column', async () => {
  const c = await as('admin');
  problem(await c.req('POST', '/api/v1/memberships', { uscc: USCC.E5, chain: 'battery', segment: 'nosuch', role: 'member' }),
    400, 'segment');
});

test('a non-JSON content type is 415', async () => {
  const c = await as('admin');
  problem(await c.req('POST', '/api/v1/divisions', 'code=1', { type: 'application/x-www-form-urlencoded' }), 415);
});

test('a body over the limit is 413', async () => {
  const c = await as('admin');
  const big = JSON.stringify({ code: '440785', name: 'x'.repeat(200 << 10) });
  problem(await c.req('POST', '/api/v1/divisions', big), 413);
});

test('bad list parameters are 400 naming each', async () => {
  const c = await as('admin');
  const r = await c.req('GET', '/api/v1/enterprises?limit=0&sort=nosuch&colour=red&listing_board=x');
  problem(r, 400);
  assert.deepEqual(r.json.errors.map((e) => e.field).sort(), ['colour', 'limit', 'listing_board', 'sort']);
  problem(await c.req('GET', '/api/v1/enterprises?cursor=garbage'), 400, 'cursor');
});

test('no bad input makes a 500', async () => {
  const c = await as('admin');
  const bodies = ['', 'null', '[]', '"x"', '{"code": null}', '{"code": {}}', '{"code": []}', '{"\u0000": 1}',
    '{"name": "a\\u0000b", "code": "440785"}', '{"code": 1e999}', '9'.repeat(5000)];
  for (const b of bodies) {
    for (const p of ['/api/v1/divisions', '/api/v1/projects', '/api/v1/session']) {
      const r = await c.req('POST', p, b);
      assert.ok(r.status >= 400 && r.status < 500, `${p} ${b}: ${r.status} ${r.text}`);
    }
    const r = await c.req('PATCH', `/api/v1/enterprises/${USCC.E5}`, b);
    assert.ok(r.status >= 400 && r.status < 500, `PATCH ${b}: ${r.status} ${r.text}`);
  }
  for (const p of ['/api/v1/enterprises/x', '/api/v1/indicators/x/y', '/api/v1/indicators/1/2/3', '/api/v1/segments/a',
    '/api/v1/chains/none/map', '/api/v1/enterprises?sort=colour', '/api/v1/indicators?q=x', '/api/v1/export/divisions?format=pdf']) {
    const r = await c.req('GET', p);
    assert.ok(r.status >= 400 && r.status < 500, `${p}: ${r.status} ${r.text}`);
  }
});

test('create, update, delete a row; each write is in the audit log', async () => {
  const c = await as('admin');
  const head = lz('audit', 'head', process.env.LZ_API_DB).trim();
  const created = await c.req('POST', '/api/v1/divisions', { code: '440783', name: '开平市' });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.headers.get('location'), '/api/v1/divisions/440783');
  problem(await c.req('POST', '/api/v1/divisions', { code: '440783', name: '开平市' }), 409);
  const upd = await c.req('PATCH', '/api/v1/divisions/440783', { name: '开平' });
  assert.equal(upd.json.name, '开平');
  problem(await c.req('PATCH', '/api/v1/divisions/440783', { code: '440784' }), 400, 'code');
  assert.equal((await c.req('DELETE', '/api/v1/divisions/440783')).status, 204);
  assert.equal((await c.req('GET', '/api/v1/divisions/440783')).status, 404);
  const verify = lz('audit', 'verify', process.env.LZ_API_DB, '--head', head);
  assert.match(verify, /intact/);
  const entries = Number(verify.match(/(\d+) entries/)[1]);
  const before = Number(lz('audit', 'verify', process.env.LZ_API_DB).match(/(\d+) entries/)[1]);
  assert.equal(entries, before);
});

test('deleting a row that others reference is 409 and keeps it', async () => {
  const c = await as('admin');
  problem(await c.req('DELETE', '/api/v1/divisions/440703'), 409);
  assert.equal((await c.req('GET', '/api/v1/divisions/440703')).status, 200);
});

test('cursor pagination visits every row exactly once, in either order', async () => {
  const c = await as('admin');
  const all = (await c.req('GET', '/api/v1/enterprises?limit=1000')).json.items.map((e) => e.uscc);
  for (const order of ['asc', 'desc']) {
    const seen = [];
    let cursor = null;
    do {
      const q = `/api/v1/enterprises?limit=2&sort=name&order=${order}` + (cursor ? `&cursor=${cursor}` : '');
      const r = await c.req('GET', q);
      assert.equal(r.status, 200, r.text);
      seen.push(...r.json.items.map((e) => e.uscc));
      cursor = r.json.next;
    } while (cursor);
    assert.deepEqual([...seen].sort(), [...all].sort());
    assert.equal(new Set(seen).size, seen.length);
  }
});

test('filters and search narrow a list', async () => {
  const c = await as('admin');
  const r = await c.req('GET', '/api/v1/enterprises?division=440703&division=440705&q=' + encodeURIComponent('整机'));
  assert.deepEqual(r.json.items.map((e) => e.uscc), [USCC.E4]);
});

test('CSV upload with one bad row writes nothing and lists the error with line and column', async () => {
  const c = await as('admin');
  const csv = 'code,name\n440785,恩平市\n44078,坏代码\n';
  const r = await c.req('POST', '/api/v1/import/divisions', csv, { type: 'text/csv' });
  problem(r, 400, 'code');
  assert.equal(r.json.errors[0].line, 3);
  assert.equal((await c.req('GET', '/api/v1/divisions/440785')).status, 404);
});

test('CSV export and upload round-trip', async () => {
  const c = await as('admin');
  const csv = (await c.req('GET', '/api/v1/export/segments')).text;
  const r = await c.req('POST', '/api/v1/import/segments', csv, { type: 'text/csv' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.updated, 6);
  assert.equal(r.json.inserted, 0);
  const x = await c.req('GET', '/api/v1/export/segments?format=xlsx');
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-disposition'), /segments\.xlsx/);
  assert.equal((await c.req('GET', '/api/v1/export/segments?format=xlsx&lang=en')).status, 200);
  problem(await c.req('GET', '/api/v1/export/segments?format=xlsx&lang=fr'), 400);
});

test('bulk upload needs write access to the whole table', async () => {
  const c = await as('enterprise');
  problem(await c.req('POST', '/api/v1/import/indicators', 'uscc,year\n', { type: 'text/csv' }), 403);
});

test('the OpenAPI document lists exactly the routes the server answers', async () => {
  const c = await as('admin');
  const doc = (await new Client().req('GET', '/api/v1/openapi.json')).json;
  assert.equal(doc.openapi, '3.1.0');
  const sample = { uscc: USCC.E1, chain: 'battery', code: 'battery', segment: 'cathode', year: '2023', id: 'P1', supplier: USCC.E2,
    customer: USCC.E1, table: 'divisions' };
  let n = 0;
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item)) {
      const p = path.replace(/\{(\w+)\}/g, (_, k) => sample[k] ?? 'x');
      // A documented route answers with anything but "no such route" / "method not allowed".
      const r = await c.req(method.toUpperCase(), p + (method === 'get' ? '' : '?probe'), method === 'get' ? undefined : 'x',
        { csrf: false });
      assert.notEqual(r.json?.detail, 'no such route', `${method} ${path}`);
      assert.notEqual(r.status, 405, `${method} ${path}`);
      n++;
    }
  }
  assert.ok(n > 80, `only ${n} operations documented`);
  // And an undocumented path is not served.
  problem(await c.req('GET', '/api/v1/sessions'), 404); // an internal table, no route
});
