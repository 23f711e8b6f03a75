// The dashboard's list queries against a running server, one request at a time on one keep-alive
// connection: each kind of page ROUNDS times, every request a different one (another filter value
// or the next page by its cursor), so the server's answer cache never answers and every figure is
// the database's work plus the JSON, after a warm-up of WARMUP pages per kind. Prints p50, p99 and the worst per kind, in milliseconds, and
// exits 1 when a p99 exceeds LIMIT_MS or an answer is not a full page.
// Usage: node bench/lists.mjs URL COOKIE DIVISIONS(comma-separated) ROUNDS LIMIT_MS
const [url, cookie, divisionList, roundsText, limitText] = process.argv.slice(2);
const rounds = Number(roundsText);
const limitMs = Number(limitText);
const divisions = divisionList.split(',');
const WARMUP = 20; // pages per kind first, not timed: SQLite's page cache fills as on a server in use

async function page(path) {
  const t0 = process.hrtime.bigint();
  const r = await fetch(url + path, { headers: { Cookie: cookie } });
  const body = await r.json();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 200 || body.items.length === 0 || typeof body.total !== 'number')
    throw new Error(`${path}: ${r.status} ${JSON.stringify(body).slice(0, 200)}`);
  return { ms, next: body.next };
}

// The date n days after 2000-01-01: a different founding date for each first page.
function day(n) {
  return new Date(Date.UTC(2000, 0, 1) + n * 86400000).toISOString().slice(0, 10);
}

// A kind of page: first(i) is the i-th first page; a page with a cursor continues where it ended.
const kinds = [
  { name: 'enterprises founded>=D, sort=founded', first: (i) => `/api/v1/enterprises?founded%3E=${day(i * 37)}&sort=founded&limit=50` },
  { name: 'enterprises sort=name, next pages', first: () => '/api/v1/enterprises?sort=name&limit=50', walk: true },
  { name: 'enterprises sort=name order=desc', first: () => '/api/v1/enterprises?sort=name&order=desc&limit=50', walk: true },
  { name: 'enterprises division=X, sort=founded', first: (i) => `/api/v1/enterprises?division=${divisions[i % divisions.length]}&sort=founded&limit=50&order=${i % 2 ? 'desc' : 'asc'}`, walkEvery: divisions.length * 2 },
  { name: 'enterprises division=X, sort=name', first: (i) => `/api/v1/enterprises?division=${divisions[i % divisions.length]}&sort=name&limit=50`, walkEvery: divisions.length },
  { name: 'indicators year=Y, sort=output_value desc', first: (i) => `/api/v1/indicators?year=${2019 + (i % 6)}&sort=output_value&order=desc&limit=50`, walkEvery: 6 },
];

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

let failed = false;
for (const k of kinds) {
  const times = [];
  const cursors = new Map(); // first page -> the cursor to continue it with
  for (let i = 0; i < WARMUP + rounds; i++) {
    const first = k.first(i);
    const seen = k.walk || (k.walkEvery && i >= k.walkEvery);
    const path = seen && cursors.has(first) ? `${first}&cursor=${cursors.get(first)}` : first;
    const { ms, next } = await page(path);
    if (i >= WARMUP) times.push(ms);
    if (next) cursors.set(first, next);
  }
  times.sort((a, b) => a - b);
  const p99 = pct(times, 99);
  if (p99 > limitMs) failed = true;
  console.log(`lists: ${k.name.padEnd(44)} p50 ${pct(times, 50).toFixed(1).padStart(6)} ms  p99 ${p99.toFixed(1).padStart(6)} ms  max ${times[times.length - 1].toFixed(1).padStart(6)} ms  (${rounds} pages)${p99 > limitMs ? '  FAIL' : ''}`);
}
console.log(`lists: ${failed ? 'FAIL' : 'ok'}: goal p99 < ${limitMs} ms per kind`);
process.exit(failed ? 1 : 0);
