// GET /api/v1/chains/{code}/masters: the same JSON as `lianzhang masters evaluate`, readable by
// every official role, a chain account its own chain only (tests/api/run.sh: chain = battery), and
// refused to enterprise accounts.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { as, lz, USCC } from './lib.mjs';
import { ownServer } from './own_server.mjs';

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

test('masters: ?top lists the head of the order and whoever holds a place, as --top does', async () => {
  const expected = JSON.parse(lz('masters', 'evaluate', process.env.LZ_API_DB, '--year', '2023', '--chain', 'battery',
    '--format', 'json', '--criteria', CRITERIA, '--top', '0'));
  const r = await clients.admin.req('GET', '/api/v1/chains/battery/masters?year=2023&top=0');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, expected);
  const c = r.json.chains[0];
  const placed = new Set([...c.masters, ...c.reserve_masters, ...c.proposed, ...c.reserves, ...c.pending.map((p) => p.uscc)]);
  assert.deepEqual(c.candidates.map((k) => k.uscc).sort(), [...placed].sort(), 'top=0: only those holding a place');
  const all = await clients.admin.req('GET', '/api/v1/chains/battery/masters?year=2023&top=all');
  assert.equal(all.json.chains[0].candidates.length, c.candidates_total, 'top=all: every candidate');
  const bad = await clients.admin.req('GET', '/api/v1/chains/battery/masters?year=2023&top=-1');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.errors[0].field, 'top');
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

// The designation decision on a server of its own (it changes the chain): proposed by the chain's
// account, refused to decide by its proposer, approved by the bureau that leads the chain; then
// the membership, event and directory rows and their audit entries are there and the log holds.
test('masters decisions: proposed, four eyes, approved by the lead bureau, audited', async () => {
  const srv = await ownServer([['chief', 'chain', 'battery'], ['lead', 'bureau', '市工信局'], ['other', 'chain', 'appliance'],
    ['trade', 'bureau', '商务局'], ['firm', 'enterprise', USCC.E2], ['root', 'admin', null]]);
  try {
    const [chief, lead, other, trade, firm, root] = await Promise.all(['chief', 'lead', 'other', 'trade', 'firm', 'root']
      .map((n) => srv.login(n)));
    const path = '/api/v1/chains/battery/masters/decisions';
    const body = { enterprise: USCC.E2, kind: 'master', batch: '第二批链主企业', date: '2024-05-20', year: 2023, reason: 'anode' };
    assert.equal((await firm.req('POST', path, body)).status, 403, 'an enterprise never proposes');
    assert.equal((await other.req('POST', path, body)).status, 403, 'another chain\'s account is out of scope');
    assert.equal((await trade.req('POST', path, body)).status, 403, 'a bureau that does not lead the chain');
    const badKind = await chief.req('POST', path, { ...body, kind: 'boss' });
    assert.equal(badKind.status, 400);
    assert.equal(badKind.json.errors[0].field, 'kind');
    const notMember = await chief.req('POST', path, { ...body, enterprise: USCC.E5 });
    assert.equal(notMember.status, 400, notMember.text);
    assert.equal(notMember.json.errors[0].field, 'enterprise');
    const already = await chief.req('POST', path, { ...body, enterprise: USCC.E1 });
    assert.equal(already.status, 409, 'E1 is the chain\'s master already');

    const p = await chief.req('POST', path, body);
    assert.equal(p.status, 201, p.text);
    assert.equal(p.json.status, 'proposed');
    assert.equal(p.json.proposed_by, 'chief');
    assert.equal(p.json.rank, 2, 'E2 ranks behind E1 in the 2023 evaluation');
    assert.match(p.json.score, /^[01]\.\d{4}$/);
    assert.equal((await chief.req('POST', path, body)).status, 409, 'one pending decision per enterprise');

    const move = `/api/v1/masters/decisions/${p.json.id}/transition`;
    const self = await chief.req('POST', move, { to: 'approved' });
    assert.equal(self.status, 403, 'the proposer does not approve');
    assert.match(self.json.detail, /four eyes/);
    assert.equal((await other.req('POST', move, { to: 'approved' })).status, 403, 'out of scope');
    assert.equal((await firm.req('POST', move, { to: 'approved' })).status, 403);
    const noReason = await lead.req('POST', move, { to: 'rejected' });
    assert.equal(noReason.status, 400);
    assert.equal(noReason.json.errors[0].field, 'reason');
    const ok = await lead.req('POST', move, { to: 'approved' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.status, 'approved');
    assert.equal(ok.json.decided_by, 'lead');
    assert.equal((await root.req('POST', move, { to: 'rejected', reason: 'late' })).status, 409, 'decided already');

    const list = await chief.get(path);
    assert.deepEqual(list.json.items.map((d) => [d.id, d.status]), [[p.json.id, 'approved']]);
    assert.equal((await other.get(path)).status, 403);
    assert.equal((await root.get(`${path}?status=done`)).json.errors[0].field, 'status');
    assert.equal((await root.get('/api/v1/chains/nope/masters/decisions')).status, 404);
    const m = await root.get(`/api/v1/memberships/${USCC.E2}/battery/anode`);
    assert.equal(m.json.role, 'chain_master');
    const ev = await root.get(`/api/v1/events/designation-${p.json.id}`);
    assert.deepEqual([ev.json.kind, ev.json.chain, ev.json.detail, ev.json.date],
      ['chain_master_designated', 'battery', '第二批链主企业', '2024-05-20']);
    const dir = await root.get(`/api/v1/key_enterprises/${USCC.E2}/battery`);
    assert.deepEqual([dir.json.since, dir.json.decided_by], ['2024-05-20', '市工信局']);
    const audit = await root.get('/api/v1/audit?limit=10');
    const targets = audit.json.items.map((e) => `${e.actor} ${e.target}`);
    for (const t of [`lead master_decisions/${p.json.id}`, `lead memberships/${USCC.E2}/battery/anode`,
      `lead events/designation-${p.json.id}`, `lead key_enterprises/${USCC.E2}/battery`, `chief master_decisions/${p.json.id}`])
      assert.ok(targets.includes(t), `audit has ${t}: ${targets}`);
    const verify = execFileSync(process.env.LZ, ['audit', 'verify', srv.db], { encoding: 'utf8' });
    assert.match(verify, /intact/);
  } finally {
    srv.stop();
  }
});
