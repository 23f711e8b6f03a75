// Bulk upload of spreadsheets: a file with some of a table's columns updates only those columns
// of the rows it matches; bad numbers and oversized workbooks are refused with the cell named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
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

// The smallest workbook the reader takes, written by Python's zipfile (deflate).
function workbook(sheet, sst) {
  const script = `
import io, sys, zipfile
sheet, sst = sys.argv[1], sys.argv[2]
b = io.BytesIO()
with zipfile.ZipFile(b, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('xl/workbook.xml', '<workbook><sheets><sheet name="s" r:id="rId1" xmlns:r="r"/></sheets></workbook>')
    z.writestr('xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr('xl/worksheets/sheet1.xml', sheet)
    if sst:
        z.writestr('xl/sharedStrings.xml', eval(sst))
sys.stdout.buffer.write(b.getvalue())`;
  return execFileSync('python3', ['-c', script, sheet, sst ?? ''], { maxBuffer: 1 << 26 });
}
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

test('an XLSX upload that is a zip bomb of shared strings is refused with 400, saying why', async () => {
  const c = await as('admin');
  const bomb = workbook('<worksheet><sheetData/></worksheet>', "'<sst>' + '<si><t>x</t></si>' * 3000000 + '</sst>'");
  assert.ok(bomb.length < 200000, `${bomb.length} bytes`);
  const r = await c.req('POST', '/api/v1/import/divisions', bomb, { type: xlsxType });
  assert.equal(r.status, 400, r.text);
  assert.match(r.json.errors[0].reason, /xl\/sharedStrings\.xml expands from \d+ to \d+ bytes, more than 100 times/);
});

test('an XLSX upload with 1E99999999999999 in a cell is a row error naming the cell', async () => {
  const c = await as('admin');
  const row = (r, cells) => `<row r="${r}">${cells}</row>`;
  const str = (ref, t) => `<c r="${ref}" t="inlineStr"><is><t>${t}</t></is></c>`;
  const sheet = `<worksheet><sheetData>${row(1, str('A1', 'uscc') + str('B1', 'year') + str('C1', 'output_value'))}${row(
    2, str('A2', USCC.E1) + '<c r="B2"><v>2023</v></c><c r="C2"><v>1E99999999999999</v></c>')}</sheetData></worksheet>`;
  const r = await c.req('POST', '/api/v1/import/indicators', workbook(sheet), { type: xlsxType });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(
    r.json.errors.map((e) => [e.line, e.field]),
    [[2, 'C2']],
  );
  assert.match(r.json.errors[0].reason, /beyond what a spreadsheet cell holds/);
});

test('?unit= reads an upload\'s amounts in 万元 (or its pinyin, wan), as import --unit does', async () => {
  const c = await as('admin');
  for (const [unit, id] of [['万元', 'UP-WAN-1'], ['wan', 'UP-WAN-2']]) {
    const csv = `id,uscc,date,kind,amount\n${id},${USCC.E1},2023-06-01,other,12.5\n`;
    const r = await c.req('POST', `/api/v1/import/events?unit=${encodeURIComponent(unit)}`, csv, { type: 'text/csv' });
    assert.equal(r.status, 200, r.text);
    assert.equal((await c.req('GET', `/api/v1/events/${id}`)).json.amount, '125000.00', unit);
    assert.equal((await c.req('DELETE', `/api/v1/events/${id}`)).status, 204);
  }
  const r = await c.req('POST', '/api/v1/import/events?unit=千元', `id,amount\nUP-1,1\n`, { type: 'text/csv' });
  assert.equal(r.status, 400, r.text);
  assert.ok(r.json.errors.some((e) => e.field === 'unit'), r.text);
});
