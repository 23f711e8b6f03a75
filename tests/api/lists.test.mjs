// Lists a dashboard builds on: a total of the rows matching in scope, sorting on any column
// (empty values included) with cursors that still visit every row once, ranges on numbers and
// dates, and an enterprise list narrowed to a chain's members.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { as, Client, fixture, USCC } from './lib.mjs';

const enterprises = fixture('enterprises');

async function walk(c, path) {
  const seen = [];
  let cursor = null, total = null;
  do {
    const r = await c.req('GET', path + (cursor ? `&cursor=${cursor}` : ''));
    assert.equal(r.status, 200, r.text);
    seen.push(...r.json.items);
    total = r.json.total;
    cursor = r.json.next;
  } while (cursor);
  return { seen, total };
}

test('every page carries the total of the rows matching in scope', async () => {
  const admin = await as('admin');
  const r = await admin.req('GET', '/api/v1/enterprises?limit=1');
  assert.equal(r.json.items.length, 1);
  assert.equal(r.json.total, enterprises.length);
  assert.equal(r.json.total_exact, true, 'a total below the cap is exact');
  const division = await as('division');
  const d = await division.req('GET', '/api/v1/enterprises?limit=1');
  assert.equal(d.json.total, enterprises.filter((e) => e.division === '440703').length);
  const f = await admin.req('GET', '/api/v1/enterprises?division=440704&limit=1');
  assert.equal(f.json.total, 2);
});

test('a nullable column sorts both ways, empty values at one end, and paging visits each row once', async () => {
  const c = await as('admin');
  for (const order of ['asc', 'desc']) {
    const { seen, total } = await walk(c, `/api/v1/enterprises?limit=2&sort=founded&order=${order}`);
    assert.equal(total, enterprises.length);
    assert.equal(seen.length, enterprises.length);
    assert.equal(new Set(seen.map((e) => e.uscc)).size, seen.length);
    const dates = seen.map((e) => e.founded);
    const dated = dates.filter((x) => x !== null);
    const sorted = [...dated].sort();
    assert.deepEqual(dated, order === 'asc' ? sorted : sorted.reverse());
    assert.equal(order === 'asc' ? dates[0] : dates.at(-1), null, dates.join());
  }
});

test('ranges on dates and numbers, values checked by the column', async () => {
  const c = await as('admin');
  const since = await c.req('GET', '/api/v1/enterprises?founded>=2015-03-01&sort=founded');
  assert.deepEqual(since.json.items.map((e) => e.uscc), [USCC.E1, USCC.E2]);
  assert.equal(since.json.total, 2);
  const before = await c.req('GET', '/api/v1/enterprises?founded<2015-03-01&founded>2001-01-01');
  assert.deepEqual(before.json.items.map((e) => e.founded), ['2010-01-01']);
  const small = await c.req('GET', '/api/v1/indicators?output_value<80000000&year=2023');
  assert.deepEqual(small.json.items.map((i) => i.output_value).sort(), ['30000000.00', '50000000.00']);
  const upTo = await c.req('GET', '/api/v1/indicators?output_value<=80000000&year=2023');
  assert.equal(upTo.json.total, 3);
  const bad = await c.req('GET', '/api/v1/enterprises?founded>=2015-02-30&name>x');
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(bad.json.errors.map((e) => e.field).sort(), ['founded', 'name']);
});

test('chain=CODE lists the chain\'s confirmed members', async () => {
  const c = await as('admin');
  const r = await c.req('GET', '/api/v1/enterprises?chain=battery');
  assert.deepEqual(r.json.items.map((e) => e.uscc).sort(), [USCC.E1, USCC.E2].sort());
  assert.equal(r.json.total, 2);
  const p = await c.req('PATCH', `/api/v1/memberships/${USCC.E2}/battery/anode`, { status: 'proposed' });
  assert.equal(p.status, 200, p.text);
  const after = await c.req('GET', '/api/v1/enterprises?chain=battery');
  assert.deepEqual(after.json.items.map((e) => e.uscc), [USCC.E1]);
  await c.req('PATCH', `/api/v1/memberships/${USCC.E2}/battery/anode`, { status: 'confirmed' });
  const bad = await c.req('GET', '/api/v1/enterprises?chain=a%20b');
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.json.errors[0].field, 'chain');
});

test('awards page like the other lists: limit, cursor, total, each award once', async () => {
  const c = await as('admin');
  assert.equal((await c.req('POST', '/api/v1/awards/compute', { year: 2023 })).status, 200);
  const all = await c.req('GET', '/api/v1/awards?year=2023');
  assert.equal(all.json.total, all.json.items.length);
  assert.equal(all.json.next, null);
  assert.ok(all.json.total >= 2, all.text);
  const { seen, total } = await walk(c, '/api/v1/awards?year=2023&limit=1');
  assert.equal(total, all.json.total);
  assert.deepEqual(seen.map((a) => a.id), all.json.items.map((a) => a.id));
  const first = await c.req('GET', '/api/v1/awards?year=2023&limit=1');
  assert.equal(first.json.items.length, 1);
  assert.equal((await c.req('GET', '/api/v1/awards?cursor=nope')).status, 400);
  assert.equal((await c.req('GET', '/api/v1/awards?limit=0')).status, 400);
  const ent = await as('enterprise');
  const mine = await ent.req('GET', '/api/v1/awards?limit=1');
  assert.equal(mine.json.total, (await ent.req('GET', '/api/v1/awards')).json.items.length);
});

test('the OpenAPI document gives lists their total', async () => {
  const doc = (await new Client().req('GET', '/api/v1/openapi.json')).json;
  const page = doc.paths['/api/v1/enterprises'].get.responses['200'].content['application/json'].schema;
  assert.equal(page.properties.total.type, 'integer');
  assert.equal(page.properties.total.maximum, 10000);
  assert.equal(page.properties.total_exact.type, 'boolean');
  assert.match(doc.paths['/api/v1/awards'].get.summary, /cursor/);
});

test('lists put names beside the codes a person reads', async () => {
  const c = await as('admin');
  const names = Object.fromEntries(enterprises.map((e) => [e.uscc, e.name]));
  const ind = await c.req('GET', `/api/v1/indicators?uscc=${USCC.E1}`);
  assert.ok(ind.json.items.length > 0);
  for (const i of ind.json.items) assert.equal(i.enterprise_name, names[USCC.E1]);
  const m = await c.req('GET', '/api/v1/memberships?chain=battery');
  const chains = fixture('chains');
  for (const i of m.json.items) {
    assert.equal(i.chain_name, chains.find((x) => x.code === 'battery').name, JSON.stringify(i));
    assert.equal(i.enterprise_name, names[i.uscc]);
  }
  const links = await c.req('GET', '/api/v1/supply_links');
  for (const l of links.json.items) assert.deepEqual([l.supplier_name, l.customer_name], [names[l.supplier], names[l.customer]]);
  const one = await c.req('GET', `/api/v1/indicators/${USCC.E1}/2023`);
  assert.equal(one.json.enterprise_name, undefined, 'one row keeps the export shape');
});
