// Bulk upload of spreadsheets: a file with some of a table's columns updates only those columns
// of the rows it matches; bad numbers and oversized workbooks are refused with the cell named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { as, USCC } from './lib.mjs';

test('an upload with some columns changes only those columns of the matched rows', async () => {
  const c = await as('admin');
  const full = `id,uscc,date,kind,amount,detail,flags\nUP-1,${USCC.E1},2023-06-01,other,10000000.00,核定说明,a;b\n`;
  let r = await c.req('POST', '/api/v1/import/events', full, { type: 'text/csv' });
  assert.equal(r.status, 200, r.text);
  r = await c.req('POST', '/api/v1/import/events', 'id,amount\nUP-1,1.00\n', { type: 'text/csv' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.updated, 1);
  const row = (await c.req('GET', '/api/v1/events/UP-1')).json;
  assert.equal(row.amount, '1.00');
  assert.equal(row.detail, '核定说明');
  assert.deepEqual(row.flags, ['a', 'b']);
  assert.equal(row.kind, 'other');
  assert.equal((await c.req('DELETE', '/api/v1/events/UP-1')).status, 204); /* other files count the fixture's rows */
});

test('an upload of a new row without a required column names the row and the column', async () => {
  const c = await as('admin');
  const r = await c.req('POST', '/api/v1/import/events', 'id,amount\nUP-NEW,1.00\n', { type: 'text/csv' });
  assert.equal(r.status, 400, r.text);
  assert.ok(r.json.errors.some((e) => e.field === 'uscc' && e.line === 2), r.text);
});
