// Awards over the API: the catalogue, computing a year into the ledger, the four-eyes sign-off
// (reviewer is not the computer, approver is neither), enterprises seeing only approved awards,
// the explanation of an award, and the what-if calculator that stores nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { as, USCC, lz } from './lib.mjs';

const YEAR = 2023; // P2 (E3's tech upgrade) completed in 2022: decided in 2023

test('the catalogue lists policies with parameters and their source', async () => {
  const c = await as('enterprise');
  const r = await c.req('GET', '/api/v1/policies');
  assert.equal(r.status, 200, r.text);
  const tu = r.json.items.find((p) => p.id === 'miit.tech_upgrade');
  assert.ok(tu, 'miit.tech_upgrade listed');
  assert.equal(tu.department, '市工信局');
  assert.ok(tu.parameters.length > 0);
  assert.ok(tu.parameters.every((p) => ['article', 'assumed', 'confirmed'].includes(p.source)));
  assert.equal(tu.parameters.find((p) => p.name === 'rate').maximum, true, '不超過10% is a maximum');
  const confirmed = tu.parameters.filter((p) => p.source === 'confirmed');
  assert.equal(tu.valid_source.source, 'assumed', 'the award years 2021-2025 are not in the article');
  assert.ok(confirmed.length > 0 && confirmed.every((p) => p.document && /^\d{4}-\d{2}-\d{2}$/.test(p.document_date)),
    'a confirmed parameter names its document and date');
  assert.deepEqual(tu.parameters.find((p) => p.name === 'rate').label,
    { 'zh-CN': '奖补比例', 'zh-TW': '獎補比例', en: 'award rate' }, 'a parameter by its label in each language');
  assert.equal(tu.grant, null, 'money, not an entitlement');
  const lease = r.json.items.find((p) => p.id === 'land.lease_first');
  assert.match(lease.grant['zh-CN'], /^“先租后让”/, 'what an entitlement allows, in each language');
  assert.match(lease.grant['zh-TW'], /^“先租後讓”/);
  assert.match(lease.grant.en, /^land leased first/);
});

test('only an admin or the owning bureau computes; the result lands in the ledger as computed', async () => {
  assert.equal((await (await as('chain')).req('POST', '/api/v1/awards/compute', { year: YEAR })).status, 403);
  assert.equal((await (await as('bureau')).req('POST', '/api/v1/awards/compute', { year: YEAR })).status, 403,
    'a bureau computes one of its own policies, not the whole year');
  const bad = await (await as('admin')).req('POST', '/api/v1/awards/compute', { year: 'x' });
  assert.equal(bad.status, 400);
  const r = await (await as('admin')).req('POST', '/api/v1/awards/compute', { year: YEAR });
  assert.equal(r.status, 200, r.text);
  const list = await (await as('admin')).req('GET', `/api/v1/awards?year=${YEAR}&policy=miit.tech_upgrade`);
  const p2 = list.json.items.find((a) => a.subject_id === 'P2');
  assert.ok(p2, list.text);
  assert.equal(p2.status, 'computed');
  assert.equal(p2.amount, '300000.00');
  assert.equal(p2.uscc, USCC.E3);
});

test('four eyes: the computer cannot review, the reviewer cannot approve, a third account can', async () => {
  const admin = await as('admin');
  const reviewer = await as('reviewer');
  const approver = await as('approver');
  const list = await admin.req('GET', `/api/v1/awards?year=${YEAR}&policy=miit.tech_upgrade`);
  const id = list.json.items.find((a) => a.subject_id === 'P2').id;
  const move = (c, to, extra = {}) => c.req('POST', `/api/v1/awards/${id}/transition`, { to, ...extra });
  assert.equal((await move(admin, 'reviewed')).status, 403, 'computer reviews');
  assert.equal((await move(reviewer, 'approved')).status, 409, 'computed cannot jump to approved');
  assert.equal((await move(reviewer, 'reviewed')).status, 200);
  assert.equal((await move(reviewer, 'approved')).status, 403, 'reviewer approves');
  assert.equal((await move(admin, 'approved')).status, 403, 'computer approves');
  const ent = await as('division'); // E3 lies in the division: it sees the award at any status
  assert.ok((await ent.req('GET', `/api/v1/awards?year=${YEAR}`)).json.items.some((a) => a.id === id));
  const ok = await move(approver, 'approved');
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.status, 'approved');
  assert.equal(ok.json.updated_by, 'approver');
  assert.equal((await move(approver, 'paid')).status, 200);
  assert.equal((await move(approver, 'rejected', { reason: 'x' })).status, 409, 'paid is final');
});

test('an enterprise sees its own award only once approved, never another one\'s', async () => {
  const admin = await as('admin');
  const ent = await as('enterprise'); // E1
  const all = (await admin.req('GET', `/api/v1/awards?year=${YEAR}`)).json.items;
  const seen = (await ent.req('GET', `/api/v1/awards?year=${YEAR}`)).json.items;
  const expected = all.filter((a) => a.uscc === USCC.E1 && (a.status === 'approved' || a.status === 'paid'));
  assert.deepEqual(seen.map((a) => a.id).sort(), expected.map((a) => a.id).sort());
  for (const a of all.filter((x) => x.uscc !== USCC.E1 || !['approved', 'paid'].includes(x.status)))
    assert.equal((await ent.req('GET', `/api/v1/awards/${a.id}`)).status, 404);
});

test('one award comes with its explanation', async () => {
  const admin = await as('admin');
  const list = await admin.req('GET', `/api/v1/awards?year=${YEAR}&policy=miit.tech_upgrade`);
  const id = list.json.items.find((a) => a.subject_id === 'P2').id;
  const r = await admin.req('GET', `/api/v1/awards/${id}`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.json.explanation, /300,000\.00|300000\.00/);
});

test('what-if computes from posted facts and stores nothing', async () => {
  const c = await as('enterprise');
  const head = lz('audit', 'head', process.env.LZ_API_DB).trim();
  const facts = {
    enterprise: { uscc: USCC.E1, indicators: { 2021: { new_fixed_asset_investment: '100000000.00' } } },
    persons: [{ id: 'H2', years: { 2021: { role: 'executive', wage_income: '300000.01', iit_paid: '100000.00' } } }],
  };
  const r = await c.req('POST', '/api/v1/whatif?year=2022&policy=talent.executive_iit', facts);
  assert.equal(r.status, 200, r.text);
  const q1 = r.json.results.find((x) => x.subject_id === 'H2');
  assert.equal(q1.status, 'eligible');
  assert.equal(q1.amount, '200000.00');
  assert.ok(q1.explanation.length > 0);
  const tw = await c.req('POST', '/api/v1/whatif?year=2022&policy=talent.executive_iit&lang=zh-TW', facts);
  assert.match(tw.json.results.find((x) => x.subject_id === 'H2').explanation, /結論：符合條件/, 'the what-if follows ?lang=');
  assert.equal(lz('audit', 'head', process.env.LZ_API_DB).trim(), head, 'nothing written');
  const bad = await c.req('POST', '/api/v1/whatif?year=2022', '{"projects": [}');
  assert.equal(bad.status, 400);
  const float = await c.req('POST', '/api/v1/whatif?year=2022',
    { enterprise: { uscc: USCC.E1, indicators: { 2021: { revenue: 1.5 } } } });
  assert.equal(float.status, 400, float.text);
  assert.equal(float.json.errors[0].field, 'enterprise.indicators.2021.revenue');
});
