// Awards over the API: the catalogue, computing a year into the ledger, the four-eyes sign-off
// (reviewer is not the computer, approver is neither), enterprises seeing only approved awards,
// the explanation of an award, the what-if calculator that stores nothing, the ledger as a file
// (the list's rows, filters and scope) and a policy's own test cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { as, Client, USCC, lz } from './lib.mjs';
import { strongPassword } from './password.mjs';

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

// ---- the ledger as a file ----

// RFC 4180 rows of a CSV text (quotes, doubled quotes, CRLF); a leading byte order mark dropped.
function csvRows(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = ''; } else field += ch;
  }
  return rows;
}

// The text of one member of a zip archive (an XLSX workbook), read by its central directory.
function zipEntry(buf, name) {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = buf.readUInt32LE(end + 16);
  for (let n = buf.readUInt16LE(end + 10); n > 0; n--) {
    const size = buf.readUInt32LE(at + 20), nameLen = buf.readUInt16LE(at + 28), local = buf.readUInt32LE(at + 42);
    const entry = buf.toString('utf8', at + 46, at + 46 + nameLen);
    at += 46 + nameLen + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    if (entry !== name) continue;
    const data = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(data, data + size);
    return (buf.readUInt16LE(local + 8) === 8 ? inflateRawSync(raw) : raw).toString('utf8');
  }
  return null;
}

async function everyAward(c, query) {
  const items = [];
  let cursor = null;
  do {
    const r = await c.req('GET', `/api/v1/awards?${new URLSearchParams({ ...query, limit: '1000', ...(cursor ? { cursor } : {}) })}`);
    assert.equal(r.status, 200, r.text);
    items.push(...r.json.items);
    cursor = r.json.next;
  } while (cursor);
  return items;
}

async function exported(c, query) {
  const r = await c.req('GET', `/api/v1/awards/export?${new URLSearchParams(query)}`);
  assert.equal(r.status, 200, r.text);
  const [head, ...rows] = csvRows(r.text);
  return { r, head, rows: rows.map((row) => Object.fromEntries(row.map((v, i) => [head[i], v]))) };
}

test('the awards export has the rows of the list on all its pages, Chinese headers, amounts exact', async () => {
  const admin = await as('admin');
  assert.equal((await admin.req('POST', '/api/v1/awards/compute', { year: 2022 })).status, 200, 'a second year in the ledger');
  const list = await everyAward(admin, { year: String(YEAR) });
  const { r, head, rows } = await exported(admin, { year: String(YEAR) });
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(r.headers.get('content-disposition'), /filename="awards-2023\.csv"/);
  const raw = await fetch(`${process.env.LZ_API_URL}/api/v1/awards/export?year=${YEAR}`, { headers: { cookie: admin.cookie } });
  assert.deepEqual([...Buffer.from(await raw.arrayBuffer()).subarray(0, 3)], [0xef, 0xbb, 0xbf],
    'a byte order mark, so that Excel reads the Chinese');
  assert.deepEqual(head.slice(0, 3), ['编号', '奖补年度', '政策编号']);
  assert.ok(head.includes('金额（元）') && head.includes('企业名称') && head.includes('主管部门'), head.join());
  assert.ok(list.length > 1);
  assert.deepEqual(rows.map((x) => Number(x['编号'])), list.map((a) => a.id), 'the same awards in the same order');
  assert.ok(rows.every((x) => x['奖补年度'] === String(YEAR)), 'only the year asked for');
  const p2 = rows.find((x) => x['对象编号'] === 'P2' && x['政策编号'] === 'miit.tech_upgrade');
  assert.equal(p2['金额（元）'], '300000.00');
  assert.equal(p2['统一社会信用代码'], USCC.E3);
  assert.equal(p2['主管部门'], '市工信局');
  assert.equal(p2['状态'], 'paid');
  assert.ok(p2['企业名称'].length > 0, 'the enterprise by its name');
  for (const a of list) assert.equal(rows.find((x) => Number(x['编号']) === a.id)['金额（元）'], a.amount, `award ${a.id}`);
  const en = await exported(admin, { year: String(YEAR), lang: 'en' });
  assert.deepEqual(en.head.slice(0, 3), ['id', 'year', 'policy'], 'lang=en: column names');
  assert.equal((await admin.req('GET', '/api/v1/awards/export?year=2023&format=pdf')).json.errors[0].field, 'format');
  assert.equal((await admin.req('GET', '/api/v1/awards/export?year=20x3')).json.errors[0].field, 'year');
  assert.equal((await admin.req('GET', '/api/v1/awards/export?limit=3')).json.errors[0].field, 'limit', 'a file has no pages');
});

test('the export takes the list\'s filters, department included, and the list filters by department alike', async () => {
  const admin = await as('admin');
  const catalogue = (await admin.req('GET', '/api/v1/policies')).json.items;
  const deptOf = Object.fromEntries(catalogue.map((p) => [p.id, p.department]));
  const all = await everyAward(admin, { year: String(YEAR) });
  const dept = '市工信局';
  const want = all.filter((a) => deptOf[a.policy] === dept);
  assert.ok(want.length > 0 && want.length < all.length, 'the filter leaves some out');
  assert.deepEqual((await everyAward(admin, { year: String(YEAR), department: dept })).map((a) => a.id), want.map((a) => a.id));
  const file = await exported(admin, { year: String(YEAR), department: dept });
  assert.deepEqual(file.rows.map((x) => Number(x['编号'])), want.map((a) => a.id));
  const paid = await exported(admin, { year: String(YEAR), status: 'paid', policy: 'miit.tech_upgrade' });
  assert.deepEqual(paid.rows.map((x) => Number(x['编号'])), all.filter((a) => a.status === 'paid' && a.policy === 'miit.tech_upgrade').map((a) => a.id));
});

test('an enterprise\'s export has its own approved awards only; a bureau\'s its department\'s', async () => {
  const admin = await as('admin');
  const pw = strongPassword();
  const made = await admin.req('POST', '/api/v1/accounts', { name: 'e3-export', role: 'enterprise', scope: USCC.E3, password: pw });
  assert.equal(made.status, 201, made.text);
  const ent = new Client();
  assert.equal((await ent.login('e3-export', pw)).status, 200);
  const all = await everyAward(admin, {});
  const mine = all.filter((a) => a.uscc === USCC.E3 && ['approved', 'paid'].includes(a.status));
  assert.ok(mine.length > 0, 'E3 has an approved award');
  assert.ok(all.some((a) => a.uscc !== USCC.E3), 'there are awards of others to leave out');
  const file = await exported(ent, {});
  assert.deepEqual(file.rows.map((x) => Number(x['编号'])), mine.map((a) => a.id), 'its own approved awards, nothing else');
  assert.ok(file.rows.every((x) => x['统一社会信用代码'] === USCC.E3));
  assert.deepEqual(file.rows.map((x) => Number(x['编号'])), (await everyAward(ent, {})).map((a) => a.id), 'what its list shows');
  const bureau = await exported(await as('bureau'), { year: String(YEAR) });
  const deptOf = Object.fromEntries((await admin.req('GET', '/api/v1/policies')).json.items.map((p) => [p.id, p.department]));
  assert.deepEqual(bureau.rows.map((x) => Number(x['编号'])),
    all.filter((a) => a.year === YEAR && deptOf[a.policy] === '市工信局').map((a) => a.id), 'a bureau: its department\'s policies');
});

test('the XLSX export: a workbook with Chinese headers, amounts as numbers, their total last', async () => {
  const admin = await as('admin');
  const r = await admin.req('GET', `/api/v1/awards/export?year=${YEAR}&format=xlsx&policy=miit.tech_upgrade`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const res = await fetch(`${process.env.LZ_API_URL}/api/v1/awards/export?year=${YEAR}&format=xlsx&policy=miit.tech_upgrade`,
    { headers: { cookie: admin.cookie } });
  const sheet = zipEntry(Buffer.from(await res.arrayBuffer()), 'xl/worksheets/sheet1.xml');
  assert.ok(sheet, 'a worksheet');
  assert.match(sheet, /<t>金额（元）<\/t>/);
  const list = await everyAward(admin, { year: String(YEAR), policy: 'miit.tech_upgrade' });
  assert.equal((sheet.match(/<row /g) ?? []).length, list.length + 2, 'the header, one row per award, the totals');
  const p2 = list.findIndex((a) => a.subject_id === 'P2');
  assert.match(sheet, new RegExp(`<c r="K${p2 + 2}"[^>]*><v>300000</v></c>`), 'the amount a number cell, not text');
  const fen = list.reduce((sum, a) => sum + BigInt(a.amount.replace('.', '')), 0n);
  const total = list.length + 2;
  assert.match(sheet, new RegExp(`<row r="${total}"[^>]*><c r="A${total}"[^>]*><is><t>合计</t></is></c>`), 'the last row: 合计');
  assert.match(sheet, new RegExp(`<c r="K${total}"[^>]*><v>${Number(fen) / 100}</v></c>`), 'under the amounts, their sum');
  assert.match(sheet, new RegExp(`<autoFilter ref="A1:P${total - 1}"/>`), 'the filter over the awards, not the totals');
});

test('a policy\'s test cases: inputs, expected results, each passing now, as `policy test` runs them', async () => {
  const c = await as('enterprise');
  const r = await c.req('GET', '/api/v1/policies/finance.listing/tests');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.policy, 'finance.listing');
  assert.equal(r.json.failed, 0);
  assert.equal(r.json.passed, r.json.items.length);
  const names = r.json.items.map((t) => t.name);
  assert.ok(names.includes('shareholding reform stage'), names.join());
  const history = r.json.items.find((t) => t.name === 'listed on the main board after the earlier stages');
  const s = history.subjects[0];
  assert.deepEqual(s.inputs.map((i) => [i.fact, i.value]),
    [['uscc', '91440700MA51B0001X'], ['kind', 'listed'], ['date', '2021-09-01'], ['detail', 'main']]);
  assert.deepEqual(s.paid, [{ year: 2020, amount: '2500000.00' }]);
  assert.deepEqual(s.expect, { status: 'eligible', amount: '2150000.00', text: null });
  assert.equal(history.year, 2022);
  const cli = lz('policy', 'test', '--dir', path.join(process.env.LZ_API_FIXTURES, '../../../policies/jiangmen'));
  const okLines = cli.split('\n').filter((l) => l.startsWith('ok - finance.listing: ')).map((l) => l.slice('ok - finance.listing: '.length));
  assert.deepEqual(okLines.sort(), names.slice().sort(), 'the cases the CLI runs, by name');
  const yearly = (await c.req('GET', '/api/v1/policies/miit.above_scale/tests')).json.items[0].subjects[0].inputs;
  assert.ok(yearly.some((i) => i.fact === 'above_scale' && i.year === 2021 && i.value === 'true'), JSON.stringify(yearly));
  assert.equal((await c.req('GET', '/api/v1/policies/no.such/tests')).status, 404);
});
