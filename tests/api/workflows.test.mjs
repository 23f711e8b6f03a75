// The appeal and investment-target workflows: legal moves only, who makes which move, due dates
// from category deadlines, escalation of overdue appeals to the chain leader, ratings, the
// contact log of targets, and the audit trail of each step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { as, USCC } from './lib.mjs';

let seq = 0;
// The enterprise raises an appeal (dated by the server); its chain hands it to a department.
async function newAppeal(c, extra = {}) {
  const id = `W${process.pid}_${++seq}`;
  const r = await c.req('POST', '/api/v1/appeals', { id, uscc: USCC.E1, chain: 'battery', category: 'land',
    summary: '测试诉求', ...extra });
  assert.equal(r.status, 201, r.text);
  const routed = await (await as('chain')).req('PATCH', `/api/v1/appeals/${id}`, { department: '市工信局' });
  assert.equal(routed.status, 200, routed.text);
  return routed.json;
}

// The city's date (UTC+8) n working days after today, as the server counts them.
function workingDaysFromToday(n) {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  d.setUTCHours(0, 0, 0, 0);
  while (n > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) n--;
  }
  return d.toISOString().slice(0, 10);
}

test('fixture appeals already past due were escalated at start, naming the chain leader', async () => {
  const c = await as('chain');
  const r = await c.req('GET', '/api/v1/appeals/A1/history');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.appeal.status, 'escalated');
  const last = r.json.history.at(-1);
  assert.equal(last.to, 'escalated');
  assert.equal(last.actor, 'system');
  assert.match(last.note, /示例链长/);
  const listed = await c.req('GET', '/api/v1/appeals?status=escalated');
  assert.ok(listed.json.items.some((a) => a.id === 'A1'));
});

test('a new appeal is open with its due date from the category deadline in working days', async () => {
  const admin = await as('admin');
  assert.equal((await admin.req('PUT', '/api/v1/appeal-deadlines/land', { working_days: 5 })).status, 200);
  const ent = await as('enterprise');
  const a = await newAppeal(ent);
  assert.equal(a.status, 'open');
  assert.equal(a.due, workingDaysFromToday(5));
  const d = await ent.req('GET', '/api/v1/appeal-deadlines');
  assert.deepEqual(d.json.items, [{ category: 'land', working_days: 5 }]);
});

test('an enterprise cannot set its own due date, status or outcome', async () => {
  const ent = await as('enterprise');
  for (const [field, value] of [['due', '2099-01-01'], ['status', 'closed'], ['outcome', 'done']]) {
    const r = await ent.req('POST', '/api/v1/appeals', { id: `X${field}`, uscc: USCC.E1, summary: 's', [field]: value });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.errors[0].field, field);
  }
});

test('the full path: accepted, in progress, resolved with an outcome, rated, closed', async () => {
  const ent = await as('enterprise');
  const off = await as('bureau');
  const a = await newAppeal(ent);
  const move = (c, to, extra = {}) => c.req('POST', `/api/v1/appeals/${a.id}/transition`, { to, ...extra });
  assert.equal((await move(ent, 'accepted')).status, 403, 'the enterprise does not accept its own appeal');
  assert.equal((await move(off, 'resolved', { outcome: 'x' })).status, 409, 'open cannot jump to resolved');
  assert.equal((await move(off, 'accepted', { note: '收到' })).status, 200);
  assert.equal((await move(off, 'in_progress')).status, 200);
  const noOutcome = await move(off, 'resolved');
  assert.equal(noOutcome.status, 400);
  assert.equal(noOutcome.json.errors[0].field, 'outcome');
  assert.equal((await ent.req('POST', `/api/v1/appeals/${a.id}/rating`, { rating: 5 })).status, 409, 'not resolved yet');
  const resolved = await move(off, 'resolved', { outcome: '已协调用地指标' });
  assert.equal(resolved.status, 200, resolved.text);
  assert.match(resolved.json.resolved, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal((await off.req('POST', `/api/v1/appeals/${a.id}/rating`, { rating: 5 })).status, 403, 'officials do not rate');
  assert.equal((await ent.req('POST', `/api/v1/appeals/${a.id}/rating`, { rating: 6 })).status, 400);
  assert.equal((await ent.req('POST', `/api/v1/appeals/${a.id}/rating`, { rating: 4, comment: '满意' })).status, 201);
  assert.equal((await ent.req('POST', `/api/v1/appeals/${a.id}/rating`, { rating: 1 })).status, 409, 'rated once');
  assert.equal((await move(ent, 'closed')).status, 200);
  assert.equal((await move(off, 'in_progress')).status, 409, 'closed is final');
  const h = await ent.req('GET', `/api/v1/appeals/${a.id}/history`);
  assert.deepEqual(h.json.history.map((e) => e.to), ['accepted', 'in_progress', 'resolved', 'closed']);
  assert.equal(h.json.rating.rating, 4);
  assert.equal(h.json.history[0].note, '收到');
});

test('status, due and resolved cannot be changed through a plain update', async () => {
  const ent = await as('enterprise');
  const a = await newAppeal(ent);
  const admin = await as('admin');
  for (const [field, value] of [['status', 'closed'], ['due', '2031-01-01'], ['resolved', '2030-03-02']]) {
    const r = await admin.req('PATCH', `/api/v1/appeals/${a.id}`, { [field]: value });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.errors[0].field, field);
  }
  const ok = await ent.req('PATCH', `/api/v1/appeals/${a.id}`, { summary: '补充说明' });
  assert.equal(ok.status, 200, ok.text);
});

test('another enterprise\'s appeal cannot be moved, rated or read', async () => {
  const ent = await as('enterprise');
  assert.equal((await ent.req('POST', '/api/v1/appeals/A2/transition', { to: 'closed' })).status, 404);
  assert.equal((await ent.req('POST', '/api/v1/appeals/A2/rating', { rating: 1 })).status, 404);
  assert.equal((await ent.req('GET', '/api/v1/appeals/A2/history')).status, 404);
});

test('an overdue appeal is escalated by the sweep and its chain leader sees it', async () => {
  const admin = await as('admin');
  // an appeal raised years ago, loaded by an admin's bulk upload (the only way to give `opened`)
  const a = { id: `W${process.pid}_old` };
  const up = await admin.req('POST', '/api/v1/import/appeals',
    `id,uscc,chain,category,summary,department,opened,due\n${a.id},${USCC.E1},battery,land,旧诉求,市工信局,2020-01-06,2020-01-10\n`,
    { type: 'text/csv' });
  assert.equal(up.status, 200, up.text);
  const r = await admin.req('POST', '/api/v1/appeals/escalate');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.escalated.includes(a.id));
  const chain = await as('chain');
  const seen = await chain.req('GET', `/api/v1/appeals/${a.id}`);
  assert.equal(seen.json.status, 'escalated');
  const again = await admin.req('POST', '/api/v1/appeals/escalate');
  assert.ok(!again.json.escalated.includes(a.id), 'escalated once');
  assert.equal((await (await as('enterprise')).req('POST', '/api/v1/appeals/escalate')).status, 403);
});

test('a target moves forward by recorded contacts; each is logged with who and when', async () => {
  const chain = await as('chain');
  const r1 = await chain.req('POST', '/api/v1/targets/T1/contacts', { date: '2024-02-01', stage: 'visited', note: '实地考察' });
  assert.equal(r1.status, 201, r1.text);
  assert.equal(r1.json.stage, 'visited');
  assert.equal(r1.json.updated, '2024-02-01');
  const back = await chain.req('POST', '/api/v1/targets/T1/contacts', { stage: 'contacted', note: '回退' });
  assert.equal(back.status, 409, 'a stage does not move back');
  const same = await chain.req('POST', '/api/v1/targets/T1/contacts', { date: '2024-02-15', note: '电话跟进' });
  assert.equal(same.status, 201);
  const log = await chain.req('GET', '/api/v1/targets/T1/contacts');
  assert.deepEqual(log.json.contacts.map((c) => [c.from, c.to, c.actor]),
    [['contacted', 'visited', 'chain'], ['visited', 'visited', 'chain']]);
  const patch = await chain.req('PATCH', '/api/v1/targets/T1', { stage: 'signed' });
  assert.equal(patch.status, 400, 'the stage moves only by a contact');
  assert.equal((await chain.req('POST', '/api/v1/targets/T2/contacts', { note: 'x' })).status, 404, 'other chain');
  assert.equal((await (await as('enterprise')).req('GET', '/api/v1/targets/T1/contacts')).status, 404);
});

test('a lost target is final', async () => {
  const chain = await as('chain');
  await chain.req('POST', '/api/v1/targets/T1/contacts', { stage: 'lost', note: '落户外市' });
  const r = await chain.req('POST', '/api/v1/targets/T1/contacts', { stage: 'negotiating', note: '重启' });
  assert.equal(r.status, 409);
});

test('appeals and targets are never deleted: their history stays', async () => {
  const admin = await as('admin');
  assert.equal((await admin.req('DELETE', '/api/v1/appeals/A2')).status, 409);
  assert.equal((await admin.req('GET', '/api/v1/appeals/A2')).status, 200);
  assert.equal((await admin.req('DELETE', '/api/v1/targets/T2')).status, 409);
  assert.equal((await admin.req('GET', '/api/v1/targets/T2')).status, 200);
});
