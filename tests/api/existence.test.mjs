// A write never tells a scoped account whether an enterprise outside its scope exists: a create or
// a change whose scoping reference (the USCC an enterprise account writes for, the enterprise a
// division or chain row belongs to) names another enterprise gets the very same problem document
// whether that enterprise exists or not. The scope is checked before any reference is looked up.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { as, USCC } from './lib.mjs';

const NOBODY = '91440703MA4UB00091'; // a valid USCC that no enterprise has
const clients = {};
before(async () => { for (const role of ['division', 'chain', 'enterprise']) clients[role] = await as(role); });

// The request with `uscc` once naming an existing enterprise outside the scope and once nobody.
async function sameAnswer(role, method, path, body, field, outside) {
  const c = clients[role];
  const a = await c.req(method, path, { ...body, [field]: outside });
  const b = await c.req(method, path, { ...body, [field]: NOBODY });
  assert.equal(a.status, 403, `${outside}: ${a.text}`);
  assert.equal(b.status, a.status, `nobody: ${b.text}`);
  assert.equal(b.text, a.text, 'byte-identical problem documents');
  assert.equal(a.headers.get('content-type'), 'application/problem+json');
  assert.equal(b.headers.get('content-type'), a.headers.get('content-type'));
}

const creates = [
  // division 440703: E2 and E5 are in 440704, E4 in 440705
  ['division', 'indicators', 'uscc', USCC.E2, { year: 2024, revenue: '1.00' }],
  ['division', 'persons', 'uscc', USCC.E5, { id: 'XN1', year: 2024, role: 'other' }],
  ['division', 'supply_links', 'customer', USCC.E4, { supplier: USCC.E1, year: 2024, amount: '1.00' }],
  // chain battery: members E1 and E2
  ['chain', 'supply_links', 'customer', USCC.E3, { supplier: USCC.E1, year: 2024, amount: '1.00' }],
  ['chain', 'enterprises', 'uscc', USCC.E3, { name: '某公司', division: '440703' }],
  // enterprise E1
  ['enterprise', 'indicators', 'uscc', USCC.E2, { year: 2024, revenue: '1.00' }],
  ['enterprise', 'persons', 'uscc', USCC.E2, { id: 'XN2', year: 2024, role: 'other' }],
  ['enterprise', 'supply_links', 'customer', USCC.E2, { supplier: USCC.E1, year: 2024, amount: '1.00' }],
  ['enterprise', 'appeals', 'uscc', USCC.E2, { id: 'XN3', chain: 'battery', category: 'land', summary: 's' }],
];
for (const [role, table, field, outside, body] of creates) {
  test(`${role}: creating ${table} for another enterprise answers the same whether it exists or not`, async () => {
    await sameAnswer(role, 'POST', `/api/v1/${table}`, body, field, outside);
  });
}

const changes = [
  ['division', 'projects/P2', 'uscc', USCC.E2], // P2 belongs to E3, in 440703
  ['enterprise', 'persons/X1/2023', 'uscc', USCC.E2], // X1 belongs to E1
  ['enterprise', 'appeals/A1', 'uscc', USCC.E2], // A1 was raised by E1
];
for (const [role, path, field, outside] of changes) {
  test(`${role}: moving ${path} to another enterprise answers the same whether it exists or not`, async () => {
    await sameAnswer(role, 'PATCH', `/api/v1/${path}`, {}, field, outside);
    const still = await clients[role].req('GET', `/api/v1/${path}`);
    assert.equal(still.status, 200, 'the row stays where it was');
  });
}
