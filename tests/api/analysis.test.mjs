// The analysis routes: the same JSON as the CLI, readable by every official role, each account
// seeing what its scope allows (tests/api/run.sh: chain = battery, division = 440703), and
// refused to enterprise accounts.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { as, lz, USCC } from './lib.mjs';

const clients = {};
const OFFICIALS = ['admin', 'bureau', 'chain', 'division'];
// The thresholds the launcher's server reads beside its policies (--policies policies/jiangmen).
const CONF = fileURLToPath(new URL('../../policies/jiangmen/analysis.conf', import.meta.url));
const cli = (...args) => JSON.parse(lz(...args, '--format', 'json', '--config', CONF));

before(async () => {
  for (const role of [...OFFICIALS, 'enterprise']) clients[role] = await as(role);
});

test('diagnosis: the CLI\'s document, read by every official role', async () => {
  const expected = cli('chain', 'diagnose', process.env.LZ_API_DB, '--year', '2023', '--chain', 'battery');
  for (const role of OFFICIALS) {
    const r = await clients[role].req('GET', '/api/v1/chains/battery/diagnosis?year=2023');
    assert.equal(r.status, 200, `${role}: ${r.text}`);
    assert.deepEqual(r.json, expected, role);
  }
  const c = expected.chains[0];
  assert.deepEqual([c.purchases, c.local_purchases, c.local_supply_rate, c.output], ['5000000.00', '5000000.00', '1.0000', '170000000.00']);
  const cathode = c.segments.find((s) => s.code === 'cathode');
  assert.deepEqual([cathode.label, cathode.output_share, cathode.local_supply_rate], ['thin', '0.7059', null]);
  assert.deepEqual(c.segments.find((s) => s.code === 'pack').label, 'missing');
  assert.deepEqual(c.breaks.map((b) => `${b.from}>${b.to}`), ['anode>cell', 'cathode>cell', 'cell>pack']);
});

test('diagnosis: reasons in the language asked for', async () => {
  const en = await clients.admin.req('GET', '/api/v1/chains/battery/diagnosis?year=2023&lang=en');
  assert.deepEqual(en.json.chains[0].segments.find((s) => s.code === 'pack').reasons, ['no local enterprise on the segment']);
  const tw = await clients.admin.req('GET', '/api/v1/chains/battery/diagnosis?year=2023&lang=zh-TW');
  assert.deepEqual(tw.json.chains[0].segments.find((s) => s.code === 'pack').reasons, ['本環節沒有本地企業']);
  assert.equal((await clients.admin.req('GET', '/api/v1/chains/battery/diagnosis?year=2023&lang=fr')).status, 400);
});

test('diagnosis: a chain account cannot read another chain, an enterprise none', async () => {
  const other = await clients.chain.req('GET', '/api/v1/chains/appliance/diagnosis?year=2023');
  assert.equal(other.status, 403, other.text);
  assert.equal((await clients.admin.req('GET', '/api/v1/chains/appliance/diagnosis?year=2023')).status, 200);
  assert.equal((await clients.enterprise.req('GET', '/api/v1/chains/battery/diagnosis?year=2023')).status, 403);
  assert.equal((await clients.admin.req('GET', '/api/v1/chains/nope/diagnosis?year=2023')).status, 404);
  const bad = await clients.admin.req('GET', '/api/v1/chains/battery/diagnosis');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.errors[0].field, 'year');
});

test('diagnosis by customer: a chain\'s masters and backbone firms, for a division only those located in it', async () => {
  const rows = async (role) => (await clients[role].req('GET', '/api/v1/chains/battery/diagnosis?year=2023&by=customer'))
    .json.chains[0].customers.map((c) => [c.uscc, c.role, c.purchases, c.local_supply_rate]);
  const both = [[USCC.E2, 'backbone', '0.00', null], [USCC.E1, 'chain_master', '5000000.00', '1.0000']];
  assert.deepEqual(await rows('admin'), both);
  assert.deepEqual(await rows('chain'), both);
  assert.deepEqual(await rows('division'), [both[1]]); // E2 is in 440704
  const plain = await clients.admin.req('GET', '/api/v1/chains/battery/diagnosis?year=2023');
  assert.equal(plain.json.chains[0].customers, undefined);
  assert.equal((await clients.admin.req('GET', '/api/v1/chains/battery/diagnosis?year=2023&by=segment')).status, 400);
});

test('project lights: every project for admin and bureau, a chain its chain\'s, a division its division\'s', async () => {
  const all = cli('projects', 'lights', process.env.LZ_API_DB, '--date', '2024-03-31');
  const admin = await clients.admin.req('GET', '/api/v1/analysis/projects?date=2024-03-31');
  assert.equal(admin.status, 200, admin.text);
  assert.deepEqual(admin.json, all);
  assert.deepEqual((await clients.bureau.req('GET', '/api/v1/analysis/projects?date=2024-03-31')).json, all);
  const ids = async (role) => (await clients[role].req('GET', '/api/v1/analysis/projects?date=2024-03-31')).json.projects.map((p) => p.id);
  assert.deepEqual(await ids('chain'), ['P1', 'P3']);
  assert.deepEqual(await ids('division'), ['P1', 'P2']);
  const chain = (await clients.chain.req('GET', '/api/v1/analysis/projects?date=2024-03-31')).json;
  assert.deepEqual(chain.by_chain.map((g) => g.chain), ['battery']);
  assert.deepEqual(chain.cannot_tell.map((p) => [p.id, p.missing]), [['P3', ['start_date', 'planned_completion']]]);
  assert.equal((await clients.enterprise.req('GET', '/api/v1/analysis/projects?date=2024-03-31')).status, 403);
  const bad = await clients.admin.req('GET', '/api/v1/analysis/projects?date=2024-02-30');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.errors[0].field, 'date');
});

test('cluster progress: the CLI\'s document; a chain account sees its chain\'s cluster alone', async () => {
  const all = cli('clusters', 'progress', process.env.LZ_API_DB, '--year', '2023');
  for (const role of ['admin', 'bureau', 'division']) {
    const r = await clients[role].req('GET', '/api/v1/analysis/clusters?year=2023');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, all, role);
  }
  const nm = all.clusters.find((c) => c.code === 'new_materials');
  // 120,000,000 + 50,000,000 after 100,000,000; (100,000,000,000 / 170,000,000)^(1/2) - 1 = 23.25356...
  assert.deepEqual([nm.output, nm.prior_output, nm.growth, nm.needed_growth], ['170000000.00', '100000000.00', '0.7000', '23.2536']);
  const chain = await clients.chain.req('GET', '/api/v1/analysis/clusters?year=2023');
  assert.deepEqual(chain.json.clusters.map((c) => [c.code, c.chains.map((ch) => ch.code)]), [['new_materials', ['battery']]]);
  assert.equal((await clients.enterprise.req('GET', '/api/v1/analysis/clusters?year=2023')).status, 403);
  assert.equal((await clients.admin.req('GET', '/api/v1/analysis/clusters?year=20x3')).status, 400);
});
