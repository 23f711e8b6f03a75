// Whom a chain should bring in: GET /api/v1/chains/{code}/recommendations returns the CLI's
// document (`lianzhang targets recommend`), to admin, bureau and the chain's own account only.
// On a server of its own: the test adds two outside suppliers of the battery chain's master E1
// and backbone E2 (one placed on the missing segment pack, one on no segment) through the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ownServer } from './own_server.mjs';
import { as, USCC } from './lib.mjs';

const PACK = '91310000MA4UC0005R'; // outside, on battery/pack (no local firm there: missing)
const TRADER = '91310000MA4UC00083'; // outside, on no segment of battery
let srv;
const c = {};

before(async () => {
  srv = await ownServer([['adm', 'admin', null], ['bur', 'bureau', '市工信局'], ['bat', 'chain', 'battery'],
    ['app', 'chain', 'appliance'], ['div', 'division', '440703'], ['ent', 'enterprise', USCC.E1]]);
  for (const n of ['adm', 'bur', 'bat', 'app', 'div', 'ent']) c[n] = await srv.login(n);
  const rows = [
    ['enterprises', { uscc: PACK, name: '外地电池包', local: false }],
    ['enterprises', { uscc: TRADER, name: '外地贸易', local: false }],
    ['memberships', { uscc: PACK, chain: 'battery', segment: 'pack', role: 'member', status: 'confirmed' }],
    ['supply_links', { supplier: PACK, customer: USCC.E1, year: 2023, amount: '300.00' }],
    ['supply_links', { supplier: TRADER, customer: USCC.E2, year: 2023, amount: '1000.00' }],
  ];
  for (const [t, row] of rows) {
    const r = await c.adm.req('POST', `/api/v1/${t}`, row);
    assert.equal(r.status, 201, `${t}: ${r.text}`);
  }
});
after(() => srv && srv.stop());

const URL_2023 = '/api/v1/chains/battery/recommendations?year=2023&date=2023-09-01';

test('recommendations: ranked by the segment filled before the amount, with reasons and figures', async () => {
  const r = await c.adm.get(URL_2023);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.deepEqual(r.json.candidates.map((x) => [x.rank, x.uscc, x.amount, x.segments.map((s) => s.label), x.recommended_by.uscc]),
    [[1, PACK, '300.00', ['missing'], USCC.E1], [2, TRADER, '1000.00', [], USCC.E2]]);
  assert.equal(r.json.candidates[0].recommended_by.role, 'chain_master');
  assert.deepEqual(r.json.candidates[0].reasons, ['位于本链电池包环节（缺失）', `链主${r.json.candidates[0].buyers[0].name}于2023年向其采购300.00元`]);
  const en = await c.adm.get(URL_2023 + '&lang=en');
  assert.equal(en.json.candidates[1].reasons[0], "on no segment of the chain's map");
});

test('recommendations: the same document as the CLI, on the shared server', async () => {
  const admin = await as('admin');
  const r = await admin.req('GET', URL_2023);
  assert.equal(r.status, 200, r.text);
  const cli = JSON.parse(execFileSync(process.env.LZ, ['targets', 'recommend', process.env.LZ_API_DB, '--year', '2023',
    '--chain', 'battery', '--date', '2023-09-01'], { encoding: 'utf8' }));
  assert.deepEqual(r.json, cli);
  assert.deepEqual(cli.stale_targets.map((t) => t.id), ['T1']);
});

test('recommendations: a target idle over 90 days is stale, at 90 not yet', async () => {
  // T1 was updated 2023-06-01
  const at92 = await c.adm.get(URL_2023);
  assert.deepEqual(at92.json.stale_targets.map((t) => [t.id, t.days_idle]), [['T1', 92]]);
  const at90 = await c.adm.get('/api/v1/chains/battery/recommendations?year=2023&date=2023-08-30');
  assert.deepEqual(at90.json.stale_targets, []);
});

test('recommendations: admin, bureau and the chain itself; not another chain, a division or an enterprise', async () => {
  assert.equal((await c.bat.get(URL_2023)).status, 200);
  for (const n of ['app', 'div', 'ent']) assert.equal((await c[n].get(URL_2023)).status, 403, n);
  assert.equal((await c.adm.get('/api/v1/chains/nope/recommendations?year=2023')).status, 404);
  const bad = await c.adm.get('/api/v1/chains/battery/recommendations');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.errors[0].field, 'year');
  assert.equal((await c.adm.get(URL_2023 + '&lang=fr')).status, 400);
  assert.equal((await c.adm.get('/api/v1/chains/battery/recommendations?year=2023&date=2023-02-30')).status, 400);
});

const ACCEPT = '/api/v1/chains/battery/recommendations/accept';

test('accept: creates a target recommended by the chain master, audited; the same supplier again is 409', async () => {
  const r = await c.adm.req('POST', ACCEPT, { year: 2023, supplier: PACK });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.id, r.json.name, r.json.chain, r.json.segment, r.json.recommended_by, r.json.stage],
    [`battery-${PACK}`, '外地电池包', 'battery', 'pack', USCC.E1, 'lead']);
  const got = await c.adm.get(`/api/v1/targets/battery-${PACK}`);
  assert.equal(got.status, 200);
  assert.equal(got.json.recommended_by, USCC.E1);
  const again = await c.adm.req('POST', ACCEPT, { year: 2023, supplier: '外地电池包' });
  assert.equal(again.status, 409, again.text);
  const audit = await c.adm.get('/api/v1/audit?target=' + encodeURIComponent(`targets/battery-${PACK}`));
  assert.equal(audit.status, 200, JSON.stringify(audit.json));
  assert.deepEqual(audit.json.items.map((e) => [e.target, e.actor.includes('adm'), e.before, e.after && e.after.recommended_by]),
    [[`targets/battery-${PACK}`, true, null, USCC.E1]], JSON.stringify(audit.json));
});

test('accept: by the chain account, by name, on a segment it names; other accounts refused', async () => {
  // scope.c: a bureau reads targets but writes none
  for (const n of ['bur', 'app', 'div', 'ent']) assert.equal((await c[n].req('POST', ACCEPT, { year: 2023, supplier: TRADER })).status, 403, n);
  const r = await c.bat.req('POST', ACCEPT, { year: 2023, supplier: '外地贸易', segment: 'cell' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.segment, r.json.recommended_by], ['cell', USCC.E2]);
  assert.equal((await c.adm.req('POST', ACCEPT, { year: 2023, supplier: 'nobody' })).status, 404);
  assert.equal((await c.adm.req('POST', ACCEPT, { year: 2022, supplier: PACK })).status, 404);
  const bad = await c.adm.req('POST', ACCEPT, { supplier: PACK });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.errors[0].field, 'year');
});
