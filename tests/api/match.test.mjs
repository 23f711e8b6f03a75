// What an enterprise could get and the awards nobody has recorded, over the API: the CLI's `match`
// document, an enterprise account reading its own USCC only, the unclaimed list a bureau's
// department's policies only (tests/api/run.sh: bureau = 市工信局, enterprise = E1).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { as, lz, USCC } from './lib.mjs';
import { ownServer } from './own_server.mjs';

const POL = fileURLToPath(new URL('../../policies/jiangmen', import.meta.url));
const cli = (...args) => JSON.parse(lz('match', process.env.LZ_API_DB, ...args, '--dir', POL));
const clients = {};

before(async () => {
  for (const role of ['admin', 'bureau', 'chain', 'enterprise']) clients[role] = await as(role);
});

test('matches: an enterprise reads its own, the CLI\'s document', async () => {
  const r = await clients.enterprise.req('GET', `/api/v1/enterprises/${USCC.E1}/matches?year=2024&lang=en`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, cli('--year', '2024', '--enterprise', USCC.E1, '--lang', 'en'));
  assert.deepEqual(r.json.pending.map((p) => [p.policy, p.subject_id]), [['miit.chain_master', 'V1']]);
  assert.deepEqual(Object.keys(r.json), ['year', 'uscc', 'name', 'eligible', 'pending', 'undetermined', 'near_misses']);
});

test('matches: never another enterprise\'s', async () => {
  const r = await clients.enterprise.req('GET', `/api/v1/enterprises/${USCC.E2}/matches?year=2024`);
  assert.equal(r.status, 403, r.text);
  assert.equal((await clients.admin.req('GET', `/api/v1/enterprises/${USCC.E2}/matches?year=2024`)).status, 200);
  assert.equal((await clients.admin.req('GET', `/api/v1/enterprises/${USCC.E1}/matches`)).status, 400, 'the year is required');
  assert.equal((await clients.admin.req('GET', '/api/v1/enterprises/91440000000000000X/matches?year=2024')).status, 404, 'no such enterprise');
  assert.equal((await clients.enterprise.req('GET', '/api/v1/enterprises/91440000000000000X/matches?year=2024')).status, 403,
    'an enterprise account learns nothing of other USCCs');
});

// On a server of its own: the shared one's ledger is filled by the awards tests, and an award
// recorded is no longer unclaimed.
test('unclaimed: a bureau sees its department\'s policies, an admin every one', async () => {
  const own = await ownServer([['admin', 'admin'], ['bureau', 'bureau', '市工信局']]);
  try {
    const b = await (await own.login('bureau')).get('/api/v1/analysis/unclaimed?year=2023');
    assert.equal(b.status, 200, JSON.stringify(b.json));
    assert.deepEqual(b.json.unclaimed.map((u) => [u.policy, u.subject_id, u.department]), [['miit.tech_upgrade', 'P2', '市工信局']]);
    assert.equal(b.json.department, '市工信局');
    const a = await (await own.login('admin')).get('/api/v1/analysis/unclaimed?year=2023');
    assert.ok(a.json.unclaimed.length > b.json.unclaimed.length, 'other departments\' results too');
  } finally {
    own.stop();
  }
  const shared = await clients.admin.req('GET', '/api/v1/analysis/unclaimed?year=2023');
  assert.deepEqual(shared.json, cli('--year', '2023', '--unclaimed'), 'the CLI\'s document');
  for (const role of ['chain', 'enterprise'])
    assert.equal((await clients[role].req('GET', '/api/v1/analysis/unclaimed?year=2023')).status, 403, role);
});

test('overview: the CLI\'s document for an admin; a chain account sees its chain', async () => {
  const a = await clients.admin.req('GET', '/api/v1/analysis/overview?year=2023&date=2024-03-31');
  assert.equal(a.status, 200, a.text);
  assert.deepEqual(Object.keys(a.json), ['year', 'date', 'clusters', 'chains', 'projects', 'targets', 'appeals', 'awards', 'departments']);
  const cli_doc = JSON.parse(lz('overview', process.env.LZ_API_DB, '--year', '2023', '--date', '2024-03-31', '--dir', POL));
  assert.deepEqual(a.json, cli_doc);
  assert.deepEqual(Object.keys(a.json.projects), ['green', 'yellow', 'red', 'cannot_tell']);
  assert.ok(a.json.chains.length > 1, 'every chain for an admin');
  const c = await clients.chain.req('GET', '/api/v1/analysis/overview?year=2023&date=2024-03-31');
  assert.equal(c.status, 200, c.text);
  assert.deepEqual(c.json.chains.map((x) => x.code), ['battery']);
  assert.deepEqual(c.json.clusters.flatMap((x) => x.chains.map((y) => y.code)), ['battery']);
  assert.ok(c.json.appeals.open <= a.json.appeals.open, 'its chain\'s appeals only');
  const cliChain = JSON.parse(lz('overview', process.env.LZ_API_DB, '--year', '2023', '--date', '2024-03-31', '--dir', POL,
    '--chain', 'battery'));
  assert.deepEqual([c.json.awards, c.json.departments], [cliChain.awards, cliChain.departments], 'its chain\'s members\' awards');
  const text = JSON.stringify(c.json);
  for (const id of Object.values(USCC)) assert.ok(!text.includes(id), `no enterprise is named (${id})`);
  assert.equal((await clients.enterprise.req('GET', '/api/v1/analysis/overview?year=2023')).status, 403);
  assert.equal((await clients.admin.req('GET', '/api/v1/analysis/overview?year=2023&date=31.03.2024')).status, 400);
});
