// GET /api/v1/chains/{code}/masters: the same JSON as `lianzhang masters evaluate`, readable by
// every official role, a chain account its own chain only (tests/api/run.sh: chain = battery), and
// refused to enterprise accounts.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { as, lz, USCC } from './lib.mjs';

const clients = {};
const OFFICIALS = ['admin', 'bureau', 'chain', 'division'];
// The criteria the launcher's server reads beside its policies (--policies policies/jiangmen).
const CRITERIA = fileURLToPath(new URL('../../policies/jiangmen/masters.criteria', import.meta.url));

before(async () => {
  for (const role of [...OFFICIALS, 'enterprise']) clients[role] = await as(role);
});

test('masters: the CLI\'s document, read by every official role', async () => {
  const expected = JSON.parse(lz('masters', 'evaluate', process.env.LZ_API_DB, '--year', '2023', '--chain', 'battery',
    '--format', 'json', '--criteria', CRITERIA));
  for (const role of OFFICIALS) {
    const r = await clients[role].req('GET', '/api/v1/chains/battery/masters?year=2023');
    assert.equal(r.status, 200, `${role}: ${r.text}`);
    assert.deepEqual(r.json, expected, role);
  }
  const c = expected.chains[0];
  assert.equal(c.code, 'battery');
  assert.ok(c.candidates.some((k) => k.uscc === USCC.E1), 'E1, a confirmed member, is a candidate');
  assert.deepEqual(expected.criteria['weight.revenue'], { value: '0.2000', source: 'assumed' });
});

test('masters: a chain account cannot read another chain, an enterprise none', async () => {
  assert.equal((await clients.chain.req('GET', '/api/v1/chains/appliance/masters?year=2023')).status, 403);
  assert.equal((await clients.admin.req('GET', '/api/v1/chains/appliance/masters?year=2023')).status, 200);
  assert.equal((await clients.enterprise.req('GET', '/api/v1/chains/battery/masters?year=2023')).status, 403);
  assert.equal((await clients.admin.req('GET', '/api/v1/chains/nope/masters?year=2023')).status, 404);
  const bad = await clients.admin.req('GET', '/api/v1/chains/battery/masters?year=23');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.errors[0].field, 'year');
});
