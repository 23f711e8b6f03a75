// The access matrix: every role x every table x every route that reads or changes a row, on rows
// inside and outside the account's scope. The oracle below restates the access rules from the
// domain (who is responsible for what) independently of the server's rule table.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { as, fixture, USCC } from './lib.mjs';

const KEYS = {
  divisions: ['code'], clusters: ['code'], chains: ['code'], segments: ['chain', 'code'], enterprises: ['uscc'],
  memberships: ['uscc', 'chain', 'segment'], indicators: ['uscc', 'year'], supply_links: ['supplier', 'customer', 'year'],
  projects: ['id'], persons: ['id', 'year'], events: ['id'], targets: ['id'], platforms: ['id'], appeals: ['id'],
  key_enterprises: ['uscc', 'chain'],
};
const ROLES = ['admin', 'bureau', 'chain', 'division', 'enterprise'];
// The accounts' scopes (tests/api/run.sh): bureau 市工信局, chain battery, division 440703, enterprise E1.
const members = { battery: [USCC.E1, USCC.E2], appliance: [USCC.E3, USCC.E4] };
const divisionOf = Object.fromEntries(fixture('enterprises').map((e) => [e.uscc, e.division]));

function enterpriseVisible(role, uscc) {
  switch (role) {
    case 'admin': case 'bureau': return true;
    case 'chain': return members.battery.includes(uscc);
    case 'division': return divisionOf[uscc] === '440703';
    default: return uscc === USCC.E1;
  }
}

function readable(role, table, r) {
  if (['divisions', 'clusters', 'chains', 'segments'].includes(table)) return true;
  if (role === 'admin') return true;
  switch (table) {
    case 'enterprises': case 'indicators': case 'events': return enterpriseVisible(role, r.uscc);
    // personal data: the enterprise itself and the talent bureau (市人才工作局), never a chain or division
    case 'persons': return role === 'enterprise' && r.uscc === USCC.E1;
    case 'memberships': case 'key_enterprises':
      return role === 'chain' ? r.chain === 'battery' : enterpriseVisible(role, r.uscc);
    case 'supply_links': return enterpriseVisible(role, r.customer);
    case 'platforms': return enterpriseVisible(role, r.host_uscc);
    case 'projects':
      return { bureau: true, chain: r.chain === 'battery', division: r.division === '440703', enterprise: r.uscc === USCC.E1 }[role];
    case 'targets': return role === 'bureau' || (role === 'chain' && r.chain === 'battery');
    case 'appeals':
      return { bureau: r.department === '市工信局', chain: r.chain === 'battery', division: enterpriseVisible(role, r.uscc),
        enterprise: r.uscc === USCC.E1 }[role];
    default: throw new Error(table);
  }
}

function writable(role, table, r) {
  if (role === 'admin') return true;
  const own = { chain: 'battery', enterprise: USCC.E1 }[role];
  switch (role) {
    case 'bureau': // an event with an approved amount only for the department whose policy pays it (V3: 市科技局's)
      return ['platforms', 'memberships', 'key_enterprises'].includes(table) || (table === 'events' && r.amount === '')
        || (table === 'appeals' && r.department === '市工信局');
    case 'chain':
      return ({ chains: r.code === own, segments: r.chain === own, enterprises: members.battery.includes(r.uscc),
        memberships: r.chain === own, supply_links: members.battery.includes(r.customer), projects: r.chain === own,
        targets: r.chain === own, appeals: r.chain === own, key_enterprises: r.chain === own })[table] ?? false;
    case 'division':
      return ({ enterprises: divisionOf[r.uscc] === '440703', indicators: divisionOf[r.uscc] === '440703',
        memberships: divisionOf[r.uscc] === '440703', supply_links: divisionOf[r.customer] === '440703',
        projects: r.division === '440703' })[table] ?? false;
    default:
      return ({ enterprises: r.uscc === own, indicators: r.uscc === own, persons: r.uscc === own,
        memberships: r.uscc === own, supply_links: r.customer === own, appeals: r.uscc === own })[table] ?? false;
  }
}

// Tables a role may change at all: on any other table a write is refused before any row is looked
// at (403), which tells nothing about which rows exist. Memberships: a chain proposes them, the
// enterprise, its division or a bureau confirms them.
const WRITES = {
  bureau: ['events', 'platforms', 'appeals', 'memberships', 'key_enterprises'],
  chain: ['chains', 'segments', 'enterprises', 'memberships', 'supply_links', 'projects', 'targets', 'appeals', 'key_enterprises'],
  division: ['enterprises', 'indicators', 'memberships', 'supply_links', 'projects'],
  enterprise: ['enterprises', 'indicators', 'persons', 'memberships', 'supply_links', 'appeals'],
};
const writesTable = (role, table) => role === 'admin' || WRITES[role].includes(table);

const keyOf = (table, r) => KEYS[table].map((k) => r[k]).join('/');
const clients = {};
before(async () => { for (const role of ROLES) clients[role] = await as(role); });

for (const role of ROLES) {
  for (const table of Object.keys(KEYS)) {
    const rows = fixture(table);
    const visible = rows.filter((r) => readable(role, table, r)).map((r) => keyOf(table, r)).sort();

    test(`${role}: list ${table} shows exactly the rows in scope`, async () => {
      const r = await clients[role].req('GET', `/api/v1/${table}?limit=1000`);
      if (visible.length === 0) return assert.equal(r.status, 403, r.text);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.items.map((x) => keyOf(table, Object.fromEntries(
        Object.entries(x).map(([k, v]) => [k, String(v)])))).sort(), visible);
    });

    test(`${role}: export ${table} holds exactly the rows in scope`, async () => {
      const r = await clients[role].req('GET', `/api/v1/export/${table}?format=json`);
      if (visible.length === 0) return assert.equal(r.status, 403, r.text);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.map((x) => keyOf(table, Object.fromEntries(
        Object.entries(x).map(([k, v]) => [k, String(v)])))).sort(), visible);
    });

    for (const row of rows) {
      const key = keyOf(table, row);
      const mine = readable(role, table, row);
      test(`${role}: get ${table}/${key} (${mine ? 'in' : 'out of'} scope)`, async () => {
        const r = await clients[role].req('GET', `/api/v1/${table}/${key}`);
        assert.equal(r.status, mine ? 200 : 404, r.text);
      });
      const canWrite = mine && writable(role, table, row);
      test(`${role}: patch ${table}/${key} (${canWrite ? 'may' : 'may not'} write)`, async () => {
        const r = await clients[role].req('PATCH', `/api/v1/${table}/${key}`, {});
        assert.equal(r.status, !writesTable(role, table) ? 403 : !mine ? 404 : canWrite ? 200 : 403, r.text);
      });
    }
  }
}

test('enterprise: search cannot find another enterprise by name', async () => {
  const r = await clients.enterprise.req('GET', `/api/v1/enterprises?q=${encodeURIComponent('负极')}`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.items, []);
});

test('enterprise: filtering on another USCC returns nothing', async () => {
  const r = await clients.enterprise.req('GET', `/api/v1/indicators?uscc=${USCC.E2}`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.items, []);
});

test('enterprise: the chain map lists only itself among enterprises', async () => {
  const r = await clients.enterprise.req('GET', '/api/v1/chains/battery/map');
  assert.equal(r.status, 200);
  const listed = r.json.segments.flatMap((s) => s.enterprises.map((e) => e.uscc));
  assert.deepEqual(listed, [USCC.E1]);
});

test('chain: the chain map places both member enterprises on their segments', async () => {
  const r = await clients.chain.req('GET', '/api/v1/chains/battery/map');
  assert.equal(r.status, 200);
  const bySeg = Object.fromEntries(r.json.segments.map((s) => [s.code, s.enterprises.map((e) => e.role)]));
  assert.deepEqual(bySeg, { anode: ['backbone'], cathode: ['chain_master'], cell: [], pack: [] });
  assert.deepEqual(r.json.segments.filter((s) => s.gap).map((s) => s.code), ['cell', 'pack']);
  assert.equal(r.json.edges.length, 3);
});

test('enterprise: creating indicators for another enterprise is refused, for itself accepted', async () => {
  const c = clients.enterprise;
  const other = await c.req('POST', '/api/v1/indicators', { uscc: USCC.E2, year: 2024, revenue: '1.00' });
  assert.equal(other.status, 403, other.text);
  const mine = await c.req('POST', '/api/v1/indicators', { uscc: USCC.E1, year: 2024, revenue: '1.00' });
  assert.equal(mine.status, 201, mine.text);
  assert.equal(mine.json.revenue, '1.00');
  const gone = await clients.admin.req('GET', `/api/v1/indicators/${USCC.E2}/2024`);
  assert.equal(gone.status, 404, 'the refused row must not have been written');
});

test('division: moving an enterprise out of its division is refused and changes nothing', async () => {
  const r = await clients.division.req('PATCH', `/api/v1/enterprises/${USCC.E3}`, { division: '440705' });
  assert.equal(r.status, 403, r.text);
  const after = await clients.admin.req('GET', `/api/v1/enterprises/${USCC.E3}`);
  assert.equal(after.json.division, '440703');
});

test('enterprise: a create aimed at another enterprise is 403 whether or not that row or USCC exists', async () => {
  const c = clients.enterprise;
  for (const body of [
    { uscc: USCC.E2, year: 2023, revenue: '1.00' },      // exists
    { uscc: USCC.E5, year: 2023, revenue: '1.00' },      // enterprise exists, row does not
    { uscc: '91440703MA4UB00091', year: 2023 },          // no such enterprise (valid code)
  ]) {
    const r = await c.req('POST', '/api/v1/indicators', body);
    assert.equal(r.status, 403, `${JSON.stringify(body)}: ${r.text}`);
  }
});

test('chain: creating a row that exists outside its scope is 403, not a conflict', async () => {
  const r = await clients.chain.req('POST', '/api/v1/projects', { id: 'P2', uscc: USCC.E3, name: 'x', kind: 'other',
    stage: 'planned', chain: 'battery' });
  assert.equal(r.status, 403, r.text);
});
