// The overview route against a running server, one request at a time on one keep-alive
// connection: the same document ROUNDS times after WARMUP requests, so that every worker thread
// has computed and kept it (the answer cache, src/http/cache.h) and the figure is what an
// official waits for once the server is warm. Prints p50, p99 and the worst in milliseconds and
// exits 1 when the p99 exceeds LIMIT_MS or an answer is not the overview.
// Usage: node bench/analysis.mjs URL COOKIE YEAR DATE ROUNDS LIMIT_MS
const [url, cookie, year, date, roundsText, limitText] = process.argv.slice(2);
const rounds = Number(roundsText);
const limitMs = Number(limitText);
const WARMUP = 32; // more than the server's worker threads: each keeps its own answers
const path = `/api/v1/analysis/overview?year=${year}&date=${date}`;

async function get(p = path) {
  const t0 = process.hrtime.bigint();
  const r = await fetch(url + p, { headers: { Cookie: cookie } });
  if (p !== path) {
    await r.text();
    return Number(process.hrtime.bigint() - t0) / 1e6;
  }
  const body = await r.json();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 200 || !Array.isArray(body.chains) || body.chains.length === 0)
    throw new Error(`${path}: ${r.status} ${JSON.stringify(body).slice(0, 200)}`);
  return ms;
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const first = await get();
for (let i = 1; i < WARMUP; i++) await get();
const times = [];
for (let i = 0; i < rounds; i++) times.push(await get());
times.sort((a, b) => a - b);
const p99 = pct(times, 99);
const fail = p99 > limitMs;
// The same loop on the health route, which reads nothing: the floor that the machine's other
// jobs put under every figure above.
const floor = [];
for (let i = 0; i < rounds; i++) floor.push(await get('/healthz'));
floor.sort((a, b) => a - b);
console.log(`analysis: overview API, first (cold) ${first.toFixed(0)} ms; warm p50 ${pct(times, 50).toFixed(1)} ms  p99 ${p99.toFixed(1)} ms  max ${times[times.length - 1].toFixed(1)} ms  (${rounds} requests; goal p99 < ${limitMs} ms)${fail ? '  FAIL' : ''}`);
console.log(`analysis: /healthz on the same connection (nothing read), p50 ${pct(floor, 50).toFixed(1)} ms  p99 ${pct(floor, 99).toFixed(1)} ms`);
process.exit(fail ? 1 : 0);
