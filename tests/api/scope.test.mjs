// A write never enlarges the writer's scope, and personal data stays with the enterprise, the
// talent bureau and an admin. Each test acts as one role the way an outside reviewer did: a chain
// taking an enterprise in by creating a membership, chain and division accounts creating or moving
// projects to enterprises outside their scope, appeals raised in another enterprise's name or
// rewritten, official appeal fields rewritten by the enterprise, approved amounts entered by the
// wrong department. Every test leaves the fixture rows as it found them.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { strongPassword } from './password.mjs';
import { as, Client, USCC, sqlRows } from './lib.mjs';

const NOBODY = '91440703MA4UB00091'; // a valid USCC that no enterprise has
const clients = {};

// Accounts beyond the launcher's, added to the running server's database.
function addAccount(name, role, scope) {
  const pw = strongPassword();
  execFileSync(process.env.LZ, ['user', 'add', process.env.LZ_API_DB, name, '--role', role, '--scope', scope, '--password-stdin'],
    { input: `${pw}\n`, encoding: 'utf8' });
  return pw;
}

before(async () => {
  for (const role of ['admin', 'bureau', 'chain', 'division', 'enterprise']) clients[role] = await as(role);
  for (const [name, scope] of [['talent', '市人才工作局'], ['tech', '市科技局']]) {
    const account = `${name}${process.pid}`;
    clients[name] = new Client();
    const r = await clients[name].login(account, addAccount(account, 'bureau', scope));
    assert.equal(r.status, 200, r.text);
  }
});

const MEMBERSHIP = `memberships/${USCC.E3}/battery/cell`;

test('chain: a membership it creates is only proposed and gives it nothing over the enterprise', async () => {
  const c = clients.chain;
  const r = await c.req('POST', '/api/v1/memberships', { uscc: USCC.E3, chain: 'battery', segment: 'cell', role: 'member' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'proposed');
  try {
    assert.equal((await c.req('GET', `/api/v1/enterprises/${USCC.E3}`)).status, 404, 'profile');
    assert.equal((await c.req('GET', `/api/v1/indicators/${USCC.E3}/2023`)).status, 404, 'indicators');
    assert.equal((await c.req('PATCH', `/api/v1/enterprises/${USCC.E3}`, { name: '改名' })).status, 404, 'rename');
    const list = await c.req('GET', '/api/v1/enterprises?limit=1000');
    assert.ok(!list.json.items.some((e) => e.uscc === USCC.E3), 'listed');
    const map = await c.req('GET', '/api/v1/chains/battery/map');
    assert.deepEqual(map.json.segments.find((s) => s.code === 'cell').enterprises, [], 'placed on the map');
    const confirm = await c.req('PATCH', `/api/v1/${MEMBERSHIP}`, { status: 'confirmed' });
    assert.equal(confirm.status, 400, confirm.text);
    assert.equal(confirm.json.errors[0].field, 'status');
    const stillProposed = await clients.admin.req('GET', `/api/v1/${MEMBERSHIP}`);
    assert.equal(stillProposed.json.status, 'proposed');
  } finally {
    await clients.admin.req('DELETE', `/api/v1/${MEMBERSHIP}`);
  }
});

test('chain: a membership cannot be created already confirmed', async () => {
  const r = await clients.chain.req('POST', '/api/v1/memberships',
    { uscc: USCC.E3, chain: 'battery', segment: 'cell', role: 'member', status: 'confirmed' });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.errors[0].field, 'status');
  assert.equal((await clients.admin.req('GET', `/api/v1/${MEMBERSHIP}`)).status, 404);
});

test('a proposal confirmed by the enterprise\'s division puts it in the chain\'s scope, persons excepted', async () => {
  const c = clients.chain;
  assert.equal((await c.req('POST', '/api/v1/memberships',
    { uscc: USCC.E3, chain: 'battery', segment: 'cell', role: 'member' })).status, 201);
  try {
    const other = await clients.enterprise.req('PATCH', `/api/v1/${MEMBERSHIP}`, { status: 'confirmed' });
    assert.equal(other.status, 404, 'another enterprise does not even see the proposal');
    const ok = await clients.division.req('PATCH', `/api/v1/${MEMBERSHIP}`, { status: 'confirmed' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.status, 'confirmed');
    assert.equal((await c.req('GET', `/api/v1/enterprises/${USCC.E3}`)).status, 200);
    assert.equal((await c.req('GET', '/api/v1/persons/X3/2023')).status, 404, 'personal data stays out of reach');
  } finally {
    await clients.admin.req('DELETE', `/api/v1/${MEMBERSHIP}`);
  }
});

test('an enterprise sees the proposals made to it and may decline one', async () => {
  const path = `memberships/${USCC.E1}/battery/pack`;
  assert.equal((await clients.chain.req('POST', '/api/v1/memberships',
    { uscc: USCC.E1, chain: 'battery', segment: 'pack', role: 'member' })).status, 201);
  const listed = await clients.enterprise.req('GET', '/api/v1/memberships');
  assert.deepEqual(listed.json.items.filter((m) => m.status === 'proposed').map((m) => `${m.uscc}/${m.chain}/${m.segment}`),
    [`${USCC.E1}/battery/pack`]);
  assert.equal((await clients.enterprise.req('PATCH', `/api/v1/${path}`, { role: 'chain_master' })).status, 400, 'not its role');
  assert.equal((await clients.enterprise.req('DELETE', `/api/v1/${path}`)).status, 204);
  assert.equal((await clients.admin.req('GET', `/api/v1/${path}`)).status, 404);
});

test('personal data: only the enterprise itself, the talent bureau and an admin read persons', async () => {
  for (const role of ['chain', 'division', 'bureau']) {
    const c = clients[role];
    assert.equal((await c.req('GET', '/api/v1/persons')).status, 403, `${role} list`);
    assert.equal((await c.req('GET', '/api/v1/export/persons?format=json')).status, 403, `${role} export`);
    for (const key of ['X1/2023', 'X3/2023']) assert.equal((await c.req('GET', `/api/v1/persons/${key}`)).status, 404, `${role} ${key}`);
  }
  assert.equal((await clients.division.req('PATCH', '/api/v1/persons/X3/2023', {})).status, 403, 'division writes');
  const talent = await clients.talent.req('GET', '/api/v1/persons?limit=1000');
  assert.equal(talent.status, 200, talent.text);
  assert.deepEqual(talent.json.items.map((p) => p.id).filter((id) => /^X\d$/.test(id)).sort(), ['X1', 'X2', 'X3']);
  assert.equal((await clients.tech.req('GET', '/api/v1/persons')).status, 403, 'another bureau');
  assert.equal((await clients.enterprise.req('GET', '/api/v1/persons/X1/2023')).status, 200);
});

const project = (id, uscc, extra) => ({ id, uscc, name: '越权项目', kind: 'other', stage: 'planned', ...extra });

test('chain and division: a project for an enterprise outside their scope is refused', async () => {
  const cases = [
    ['chain', project('SP1', USCC.E3, { chain: 'battery' })], // E3 is no member of battery
    ['division', project('SP2', USCC.E2, { division: '440703' })], // E2 is in 440704
  ];
  for (const [role, body] of cases) {
    const r = await clients[role].req('POST', '/api/v1/projects', body);
    assert.equal(r.status, 403, `${role}: ${r.text}`);
    assert.equal((await clients.admin.req('GET', `/api/v1/projects/${body.id}`)).status, 404, `${role}: nothing written`);
  }
});

test('chain and division: moving a project to an enterprise outside their scope is refused', async () => {
  for (const [role, id, to] of [['chain', 'P1', USCC.E3], ['division', 'P2', USCC.E4]]) {
    const before = await clients.admin.req('GET', `/api/v1/projects/${id}`);
    const r = await clients[role].req('PATCH', `/api/v1/projects/${id}`, { uscc: to });
    assert.equal(r.status, 403, `${role}: ${r.text}`);
    assert.equal((await clients.admin.req('GET', `/api/v1/projects/${id}`)).json.uscc, before.json.uscc, `${role}: unchanged`);
  }
});

test('chain: a project naming an enterprise outside its scope answers the same whether it exists or not', async () => {
  const a = await clients.chain.req('POST', '/api/v1/projects', project('SP3', USCC.E3, { chain: 'battery' }));
  const b = await clients.chain.req('POST', '/api/v1/projects', project('SP3', NOBODY, { chain: 'battery' }));
  assert.equal(a.status, 403, a.text);
  assert.equal(b.status, a.status);
  assert.equal(b.text, a.text, 'byte-identical problem documents');
});

test('chain: a target cannot be credited to an enterprise outside the chain', async () => {
  const r = await clients.chain.req('PATCH', '/api/v1/targets/T1', { recommended_by: USCC.E3 });
  assert.equal(r.status, 403, r.text);
  assert.equal((await clients.admin.req('GET', '/api/v1/targets/T1')).json.recommended_by, USCC.E1);
});

test('a supply link still names any supplier: buying from an enterprise gives nothing over it', async () => {
  const r = await clients.chain.req('POST', '/api/v1/supply_links', { supplier: USCC.E4, customer: USCC.E1, year: 2025, amount: '1.00' });
  assert.equal(r.status, 201, r.text);
  assert.equal((await clients.admin.req('DELETE', `/api/v1/supply_links/${USCC.E4}/${USCC.E1}/2025`)).status, 204);
  assert.equal((await clients.chain.req('GET', `/api/v1/enterprises/${USCC.E4}`)).status, 404);
});

const appeal = (id, uscc, extra) => ({ id, uscc, chain: 'battery', category: 'land', summary: '代为提出', ...extra });

test('chain and bureau: an appeal cannot be raised in an enterprise\'s name', async () => {
  const cases = [
    ['chain', appeal('SA1', USCC.E3)],
    ['chain', appeal('SA2', USCC.E1)],
    ['bureau', appeal('SA3', USCC.E2, { department: '市工信局' })],
  ];
  for (const [role, body] of cases) {
    const r = await clients[role].req('POST', '/api/v1/appeals', body);
    assert.ok(r.status === 400 || r.status === 403, `${role} ${body.id}: ${r.status} ${r.text}`);
    assert.equal((await clients.admin.req('GET', `/api/v1/appeals/${body.id}`)).status, 404, `${role}: nothing written`);
  }
});

test('chain and bureau: an appeal is neither moved to another enterprise nor rewritten', async () => {
  const before = (await clients.admin.req('GET', '/api/v1/appeals/A3')).json;
  for (const [role, change] of [['chain', { uscc: USCC.E4 }], ['chain', { summary: '改写' }], ['bureau', { uscc: USCC.E3 }],
    ['bureau', { summary: '改写' }]]) {
    const r = await clients[role].req('PATCH', '/api/v1/appeals/A3', change);
    assert.ok(r.status === 400 || r.status === 403, `${role} ${JSON.stringify(change)}: ${r.status} ${r.text}`);
  }
  assert.deepEqual((await clients.admin.req('GET', '/api/v1/appeals/A3')).json, before);
});

test('an enterprise cannot choose the opening date of its appeal: it is the server\'s', async () => {
  const ent = clients.enterprise;
  const r = await ent.req('POST', '/api/v1/appeals', appeal(`SO${process.pid}`, USCC.E1, { opened: '2020-01-06' }));
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.errors[0].field, 'opened');
  const ok = await ent.req('POST', '/api/v1/appeals', appeal(`SP${process.pid}`, USCC.E1));
  assert.equal(ok.status, 201, ok.text);
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10); // city time
  assert.equal(ok.json.opened, today);
  assert.equal(ok.json.status, 'open');
  assert.ok(ok.json.due > today, 'due after opening');
});

test('an enterprise rewrites neither the official fields of its appeal nor its words once resolved', async () => {
  const ent = clients.enterprise;
  const id = `SR${process.pid}`;
  assert.equal((await ent.req('POST', '/api/v1/appeals', appeal(id, USCC.E1))).status, 201);
  for (const [field, value] of [['department', '商务局'], ['outcome', '已解决']]) {
    const r = await ent.req('PATCH', `/api/v1/appeals/${id}`, { [field]: value });
    assert.equal(r.status, 400, `${field}: ${r.text}`);
    assert.equal(r.json.errors[0].field, field);
  }
  assert.equal((await ent.req('PATCH', `/api/v1/appeals/${id}`, { uscc: USCC.E2 })).status, 403, 'moved to another enterprise');
  const routed = await clients.chain.req('PATCH', `/api/v1/appeals/${id}`, { department: '市工信局' });
  assert.equal(routed.status, 200, routed.text);
  const off = clients.bureau;
  for (const to of ['accepted', 'in_progress']) {
    assert.equal((await off.req('POST', `/api/v1/appeals/${id}/transition`, { to })).status, 200, to);
  }
  assert.equal((await ent.req('PATCH', `/api/v1/appeals/${id}`, { summary: '改写' })).status, 400, 'in progress');
  const done = await off.req('POST', `/api/v1/appeals/${id}/transition`, { to: 'resolved', outcome: '已协调' });
  assert.equal(done.status, 200, done.text);
  for (const [field, value] of [['summary', '其实没解决'], ['outcome', '未解决'], ['department', '商务局']]) {
    const r = await ent.req('PATCH', `/api/v1/appeals/${id}`, { [field]: value });
    assert.equal(r.status, 400, `${field}: ${r.text}`);
    assert.equal(r.json.errors[0].field, field);
  }
  const after = (await ent.req('GET', `/api/v1/appeals/${id}`)).json;
  assert.equal(after.outcome, '已协调');
  assert.equal(after.department, '市工信局');
});

test('a deadline for a category no appeal uses is refused, naming the field', async () => {
  const r = await clients.admin.req('PUT', '/api/v1/appeal-deadlines/no_such_category', { working_days: 5 });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.errors[0].field, 'category');
  const list = await clients.admin.req('GET', '/api/v1/appeal-deadlines');
  assert.ok(!list.json.items.some((d) => d.category === 'no_such_category'));
  assert.equal((await clients.admin.req('PUT', '/api/v1/appeal-deadlines/land', { working_days: 5 })).status, 200, 'a category in use');
});

test('lists honour order=desc, through every page', async () => {
  const c = clients.admin;
  const asc = (await c.req('GET', '/api/v1/enterprises?sort=name&limit=1000')).json.items.map((e) => e.uscc);
  const desc = (await c.req('GET', '/api/v1/enterprises?sort=name&order=desc&limit=1000')).json.items.map((e) => e.uscc);
  assert.ok(asc.length >= 5);
  assert.deepEqual(desc, [...asc].reverse());
  const pages = [];
  let next = null;
  do {
    const r = await c.req('GET', `/api/v1/divisions?order=desc&limit=1${next ? `&cursor=${next}` : ''}`);
    assert.equal(r.status, 200, r.text);
    pages.push(...r.json.items.map((d) => d.code));
    next = r.json.next;
  } while (next && pages.length < 10);
  assert.deepEqual(pages, ['440705', '440704', '440703']);
});

// V3: a 2023 competition prize of E3 with an approved 500000.00, paid by tech.competition (市科技局).
const lastAudit = (target) => sqlRows(`SELECT actor, before, after FROM audit_log WHERE target = '${target}' ORDER BY seq DESC LIMIT 1`);

test('approved amounts: only the department whose policy pays them, or an admin, enters or changes them', async () => {
  const other = clients.bureau; // 市工信局 does not own tech.competition
  const r = await other.req('PATCH', '/api/v1/events/V3', { amount: '3000000.00' });
  assert.equal(r.status, 403, r.text);
  assert.equal((await other.req('PATCH', '/api/v1/events/V3', { amount: null })).status, 403, 'nor removes them');
  assert.equal((await other.req('PATCH', '/api/v1/events/V3', { date: '2023-09-02' })).status, 403, 'nor moves the event');
  assert.equal((await other.req('DELETE', '/api/v1/events/V3')).status, 403, 'nor deletes it');
  assert.equal((await clients.admin.req('GET', '/api/v1/events/V3')).json.amount, '500000.00');
  const owner = await clients.tech.req('PATCH', '/api/v1/events/V3', { amount: '600000.00' });
  assert.equal(owner.status, 200, owner.text);
  const [entry] = lastAudit('events/V3');
  assert.equal(entry.actor, `tech${process.pid}`);
  assert.equal(JSON.parse(entry.before).amount, '500000.00');
  assert.equal(JSON.parse(entry.after).amount, '600000.00');
  assert.equal((await clients.admin.req('PATCH', '/api/v1/events/V3', { amount: '500000.00' })).status, 200);
});

test('approved amounts: a new event carries one only from the owning department', async () => {
  const ev = (id, extra) => ({ id, uscc: USCC.E1, date: '2023-05-01', kind: 'competition_prize', ...extra });
  const id = `SV${process.pid}`;
  const r = await clients.bureau.req('POST', '/api/v1/events', ev(id, { amount: '3000000.00' }));
  assert.equal(r.status, 403, r.text);
  assert.equal((await clients.admin.req('GET', `/api/v1/events/${id}`)).status, 404, 'nothing written');
  assert.equal((await clients.bureau.req('POST', '/api/v1/events', ev(id))).status, 201, 'the event itself, without an amount');
  assert.equal((await clients.bureau.req('PATCH', `/api/v1/events/${id}`, { amount: '1.00' })).status, 403);
  assert.equal((await clients.tech.req('PATCH', `/api/v1/events/${id}`, { amount: '1.00' })).status, 200);
  const own = await clients.bureau.req('POST', '/api/v1/events',
    ev(`SW${process.pid}`, { kind: 'chain_master_designated', amount: '1.00' }));
  assert.equal(own.status, 201, `miit.chain_master is 市工信局's: ${own.text}`);
  for (const e of [id, `SW${process.pid}`]) assert.equal((await clients.admin.req('DELETE', `/api/v1/events/${e}`)).status, 204);
});

test('approved amounts: a bureau cannot bulk-upload events past the row rules', async () => {
  const csv = `id,uscc,date,kind,amount\nSX${process.pid},${USCC.E1},2023-05-01,competition_prize,3000000.00\n`;
  const r = await clients.bureau.req('POST', '/api/v1/import/events', csv, { type: 'text/csv' });
  assert.equal(r.status, 403, r.text);
  assert.equal((await clients.admin.req('GET', `/api/v1/events/SX${process.pid}`)).status, 404);
});

test('personal data: an award to a person is not shown to chain or division accounts', async () => {
  const year = 2024; // decided on the 2023 persons of the fixture
  const policy = 'talent.executive_iit';
  const r = await clients.admin.req('POST', '/api/v1/awards/compute', { year, policy });
  assert.equal(r.status, 200, r.text);
  const all = (await clients.admin.req('GET', `/api/v1/awards?year=${year}&policy=${policy}`)).json.items;
  // X2 is E2's (a member of chain battery), X3 is E3's (in division 440703)
  assert.deepEqual(all.map((a) => a.subject_id).sort(), ['X2', 'X3']);
  for (const role of ['chain', 'division']) {
    const seen = await clients[role].req('GET', `/api/v1/awards?year=${year}&policy=${policy}`);
    assert.deepEqual(seen.json.items, [], role);
    for (const a of all) assert.equal((await clients[role].req('GET', `/api/v1/awards/${a.id}`)).status, 404, `${role}: ${a.subject_id}`);
  }
  const talent = await clients.talent.req('GET', `/api/v1/awards/${all[0].id}`);
  assert.equal(talent.status, 200, 'the owning talent bureau sees it');
});
