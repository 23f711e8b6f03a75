// The read cache (src/http/cache.h): every worker thread keeps answers to data reads and resolved
// sessions for as long as the database does not change. These tests fill it, change the data
// through the API, through the CLI (another process) and through accounts, and check that the very
// next read answers from the new data, and that accounts of other roles or scopes never share an
// answer. Each test puts back what it changed: the fixture rows stay as the other files expect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { as, fixture, lz, Client, USCC } from './lib.mjs';

const DB = process.env.LZ_API_DB;

// Several reads at once open several connections, so that every worker thread answers some (and
// caches its answer); all of them must agree.
async function readAll(c, p, n = 8) {
  const rs = await Promise.all(Array.from({ length: n }, () => c.req('GET', p)));
  for (const r of rs) assert.equal(r.text, rs[0].text, `${p}: every thread gives the same answer`);
  return rs[0];
}

function importRows(table, rows) {
  const cols = Object.keys(rows[0]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lz-cache-')), `${table}.csv`);
  fs.writeFileSync(file, [cols.join(','), ...rows.map((r) => cols.map((k) => r[k]).join(','))].join('\n') + '\n');
  lz('import', DB, table, file);
}

test('a write through the API shows in the next read of the row, of lists and of the enterprise', async () => {
  const admin = await as('admin');
  const reads = [`/api/v1/indicators/${USCC.E1}/2022`, `/api/v1/indicators?uscc=${USCC.E1}`, `/api/v1/enterprises/${USCC.E1}`];
  const revenueIn = (r) => JSON.stringify(r.json).match(/"revenue":"(\d+\.\d\d)"/g);
  const before = [];
  for (const p of reads) before.push(await readAll(admin, p));
  assert.equal(before[0].json.revenue, '90000000.00');
  for (const revenue of ['90000001.00', '90000000.00']) { // change, then put back
    const w = await admin.req('PATCH', `/api/v1/indicators/${USCC.E1}/2022`, { revenue });
    assert.equal(w.status, 200, w.text);
    assert.equal((await readAll(admin, reads[0])).json.revenue, revenue);
    for (const p of reads.slice(1)) assert.ok(revenueIn(await readAll(admin, p)).includes(`"revenue":"${revenue}"`), p);
  }
  for (let i = 0; i < reads.length; i++) assert.equal((await readAll(admin, reads[i])).text, before[i].text);
});

test('a row deleted through the API is gone from the next read', async () => {
  const admin = await as('admin');
  const row = { uscc: USCC.E1, year: 2019, revenue: '5.00' };
  assert.equal((await admin.req('POST', '/api/v1/indicators', row)).status, 201);
  assert.equal((await readAll(admin, `/api/v1/indicators/${USCC.E1}/2019`)).status, 200);
  assert.equal((await admin.req('DELETE', `/api/v1/indicators/${USCC.E1}/2019`)).status, 204);
  assert.equal((await readAll(admin, `/api/v1/indicators/${USCC.E1}/2019`)).status, 404);
  const list = await readAll(admin, `/api/v1/indicators?uscc=${USCC.E1}`);
  assert.ok(!list.json.items.some((i) => i.year === 2019));
});

test('a write by another process (the CLI) shows in the next read', async () => {
  const admin = await as('admin');
  const e1 = fixture('enterprises').find((e) => e.uscc === USCC.E1);
  const p = `/api/v1/enterprises/${USCC.E1}`;
  assert.equal((await readAll(admin, p)).json.name, e1.name);
  const listed = async () => (await readAll(admin, '/api/v1/enterprises?limit=1000')).json.items.find((e) => e.uscc === USCC.E1).name;
  assert.equal(await listed(), e1.name);
  importRows('enterprises', [{ ...e1, name: '江门缓存测试改名有限公司' }]);
  assert.equal((await readAll(admin, p)).json.name, '江门缓存测试改名有限公司');
  assert.equal(await listed(), '江门缓存测试改名有限公司');
  importRows('enterprises', [e1]);
  assert.equal((await readAll(admin, p)).json.name, e1.name);
  assert.equal(await listed(), e1.name);
});

test('the same read by accounts of other roles or scopes never shares an answer', async () => {
  const name = `cache-e2-${process.pid}`;
  const pw = 'cache-test-password-1';
  execFileSync(process.env.LZ, ['user', 'add', DB, name, '--role', 'enterprise', '--scope', USCC.E2, '--password-stdin'],
    { input: `${pw}\n` });
  const e2 = new Client();
  assert.equal((await e2.login(name, pw)).status, 200);
  const clients = { admin: await as('admin'), division: await as('division'), enterprise: await as('enterprise'), e2 };
  const all = fixture('enterprises').map((e) => e.uscc).sort();
  const expected = {
    admin: all,
    division: fixture('enterprises').filter((e) => e.division === '440703').map((e) => e.uscc).sort(),
    enterprise: [USCC.E1],
    e2: [USCC.E2],
  };
  for (let round = 0; round < 2; round++) { // the second round is answered from the caches
    for (const [who, c] of Object.entries(clients)) {
      const r = await readAll(c, '/api/v1/enterprises?limit=1000');
      assert.deepEqual(r.json.items.map((e) => e.uscc).sort(), expected[who], who);
      const one = await readAll(c, `/api/v1/enterprises/${USCC.E2}`);
      assert.equal(one.status, expected[who].includes(USCC.E2) ? 200 : 404, `${who}: ${one.text}`);
    }
  }
  lz('user', 'disable', DB, name);
});

test('a session ended by signing out or by disabling the account is refused on the next read', async () => {
  const name = `cache-s-${process.pid}`;
  const pw = 'cache-test-password-2';
  execFileSync(process.env.LZ, ['user', 'add', DB, name, '--role', 'enterprise', '--scope', USCC.E1, '--password-stdin'],
    { input: `${pw}\n` });
  const p = `/api/v1/enterprises/${USCC.E1}`;
  const c = new Client();
  assert.equal((await c.login(name, pw)).status, 200);
  assert.equal((await readAll(c, p)).status, 200);
  assert.equal((await c.req('DELETE', '/api/v1/session')).status, 204);
  assert.equal((await readAll(c, p)).status, 401, 'signed out');

  assert.equal((await c.login(name, pw)).status, 200);
  assert.equal((await readAll(c, p)).status, 200);
  lz('user', 'disable', DB, name); // another process
  assert.equal((await readAll(c, p)).status, 401, 'disabled by the CLI');
});
