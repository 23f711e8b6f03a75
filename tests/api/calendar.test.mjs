// The official working-day calendar through the API: an admin replaces a year with the notice's
// CSV (audited), anyone signed in sees the years loaded, and a new appeal's due date skips the
// holidays it declares. The appeal is raised on a server of this file's own, so the other files'
// lists of appeals stay as the fixtures have them; the shared server's calendar is left as found.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { as, USCC } from './lib.mjs';
import { ownServer } from './own_server.mjs';

let server;
after(() => server?.stop());

function day(offset) {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + offset);
  return d;
}
const iso = (d) => d.toISOString().slice(0, 10);
const weekday = (d) => d.getUTCDay() !== 0 && d.getUTCDay() !== 6;

// The next two weekdays after today (the days this test declares holidays) and the due date of
// n working days with them off.
function plan(n) {
  const holidays = [];
  for (let i = 1; holidays.length < 2; i++) if (weekday(day(i))) holidays.push(iso(day(i)));
  let due = 0;
  for (let left = n; left > 0;) {
    due++;
    if (weekday(day(due)) && !holidays.includes(iso(day(due)))) left--;
  }
  return { holidays, due: iso(day(due)) };
}

async function upload(c, year, rows) {
  return c.req('PUT', `/api/v1/calendar/${year}`, `date,kind,name\n${rows.map((d) => `${d},holiday,测试`).join('\n')}\n`, { type: 'text/csv' });
}

test('only an admin replaces a year of the calendar, and a bad file names its line', async () => {
  const ent = await as('enterprise');
  assert.equal((await ent.req('PUT', '/api/v1/calendar/2026', 'date,kind,name\n', { type: 'text/csv' })).status, 403);
  const admin = await as('admin');
  const bad = await admin.req('PUT', '/api/v1/calendar/2026', 'date,kind,name\n2026-10-12,workday,x\n', { type: 'text/csv' });
  assert.equal(bad.status, 400, bad.text);
  assert.match(bad.text, /upload:2: 2026-10-12 is a make-up working day but already a weekday/);
  assert.equal((await admin.req('PUT', '/api/v1/calendar/20x6', 'date,kind,name\n', { type: 'text/csv' })).status, 400);
});

test("a new appeal's due date skips the holidays of the calendar", async () => {
  server = await ownServer([['admin', 'admin'], ['ent', 'enterprise', USCC.E1]]);
  const admin = await server.login('admin');
  const { holidays, due } = plan(10); // no deadline of its own: the default 10 working days
  const years = [...new Set(holidays.map((d) => d.slice(0, 4)))];
  for (const y of years) {
    const r = await upload(admin, y, holidays.filter((d) => d.startsWith(y)));
    assert.equal(r.status, 200, r.text);
  }
  const ent = await server.login('ent');
  const listed = await ent.req('GET', '/api/v1/calendar');
  assert.ok(listed.json.items.some((i) => String(i.year) === years[0] && i.holidays >= 1), listed.text);
  const r = await ent.req('POST', '/api/v1/appeals', { id: `CAL${process.pid}`, uscc: USCC.E1, summary: '日历测试' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.due, due);
  for (const y of years) assert.equal((await upload(admin, y, [])).status, 200);
  const audit = await admin.req('GET', `/api/v1/audit?target=calendar/${years[0]}`);
  assert.ok(audit.json.items.length >= 2, audit.text);
});
