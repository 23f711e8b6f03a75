// A body with several bad fields is answered once, naming every one of them with its reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { as, USCC } from './lib.mjs';

function fields(r) {
  assert.equal(r.status, 400, r.text);
  return r.json.errors.map((e) => e.field).sort();
}

test('POST names every bad field: types, unknown names, values, the key', async () => {
  const c = await as('admin');
  const r = await c.req('POST', '/api/v1/enterprises',
    { uscc: '91440703MA4UB00019', name: 'x', division: '99', founded: '2015-02-30', local: 'x', colour: 1 });
  assert.deepEqual(fields(r), ['colour', 'division', 'founded', 'local', 'uscc']);
  assert.ok(r.json.errors.find((e) => e.field === 'founded').reason.includes('2015-02-30'), r.text);
  const none = await c.req('POST', '/api/v1/indicators', { output_value: '1.234', employees: 'many' });
  assert.deepEqual(fields(none), ['employees', 'output_value', 'uscc', 'year']);
});

test('PATCH names every bad field', async () => {
  const c = await as('admin');
  const r = await c.req('PATCH', `/api/v1/enterprises/${USCC.E5}`, { division: '99', industry_code: 'abc', founded: '2015-13-01' });
  assert.deepEqual(fields(r), ['division', 'founded', 'industry_code']);
});
