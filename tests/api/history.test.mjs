// An award's history (every move, seen by whoever sees the award) and the audit log an admin reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { as } from './lib.mjs';

const YEAR = 2022;

test('an award\'s history lists each move with who, when and the note; scoped like the award', async () => {
  const admin = await as('admin');
  assert.equal((await admin.req('POST', '/api/v1/awards/compute', { year: YEAR })).status, 200);
  const list = await admin.req('GET', `/api/v1/awards?year=${YEAR}&status=computed`);
  const award = list.json.items[0];
  assert.ok(award, list.text);
  const reviewer = await as('reviewer');
  const moved = await reviewer.req('POST', `/api/v1/awards/${award.id}/transition`, { to: 'rejected', reason: '材料不全' });
  assert.equal(moved.status, 200, moved.text);
  const h = await admin.req('GET', `/api/v1/awards/${award.id}/history`);
  assert.equal(h.status, 200, h.text);
  const last = h.json.items.at(-1);
  assert.deepEqual([last.from, last.to, last.actor, last.note], ['computed', 'rejected', 'reviewer', '材料不全']);
  assert.match(last.at, /^\d{4}-\d\d-\d\dT/);
  const ent = await as('enterprise'); // a rejected award is never an enterprise's to see
  assert.equal((await ent.req('GET', `/api/v1/awards/${award.id}/history`)).status, 404);
  assert.equal((await admin.req('GET', '/api/v1/awards/999999/history')).status, 404);
});

test('the audit log: admin only, filtered by actor, target and dates, paged newest first', async () => {
  const admin = await as('admin');
  assert.equal((await (await as('bureau')).req('GET', '/api/v1/audit')).status, 403);
  const r = await admin.req('GET', '/api/v1/audit?actor=reviewer&limit=1');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.length, 1);
  assert.equal(r.json.items[0].actor, 'reviewer');
  const all = [];
  let cursor = null;
  do {
    const p = await admin.req('GET', '/api/v1/audit?actor=reviewer&limit=1' + (cursor ? `&cursor=${cursor}` : ''));
    all.push(...p.json.items);
    cursor = p.json.next;
  } while (cursor);
  assert.ok(all.every((e) => e.actor === 'reviewer'));
  const seqs = all.map((e) => e.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a));
  assert.equal(new Set(seqs).size, seqs.length);
  const target = all[0].target;
  const t = await admin.req('GET', `/api/v1/audit?target=${encodeURIComponent(target)}`);
  assert.ok(t.json.items.length >= 1 && t.json.items.every((e) => e.target === target));
  const today = new Date().toISOString().slice(0, 10);
  assert.ok((await admin.req('GET', `/api/v1/audit?since=${today}&until=${today}&actor=reviewer`)).json.items.length >= 1);
  assert.equal((await admin.req('GET', '/api/v1/audit?until=2000-01-01')).json.items.length, 0);
  const bad = await admin.req('GET', '/api/v1/audit?since=2015-1-1&colour=red');
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json.errors.map((e) => e.field).sort(), ['colour', 'since']);
});
