// Memory safety over the API, on a server of its own with one worker thread, so that every
// request shares one connection and its statement cache: list queries enough to fill the cache,
// then an award list whose visibility check (per row, another query) needs a statement while
// the list's own is still being stepped. A statement finalized under its caller was a
// heap-use-after-free under ASan (after 91 list queries) and wrong rows or none without it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = process.env.LZ_API_FIXTURES;
const TABLES = ['divisions', 'clusters', 'chains', 'segments', 'enterprises', 'memberships', 'indicators', 'supply_links',
  'projects', 'persons', 'events', 'targets', 'platforms', 'appeals'];
const YEAR = 2023;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lz-memory-'));
const db = path.join(dir, 'memory.db');
const password = 'Qz7!' + Math.random().toString(36).slice(2, 12) + 'vK';
let server = null;

after(() => {
  server?.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
});

function lz(...args) {
  return execFileSync(process.env.LZ, args, { encoding: 'utf8', input: password + '\n' });
}

async function start() {
  lz('init', db);
  for (const t of TABLES) lz('import', db, t, path.join(FIXTURES, `${t}.csv`));
  lz('user', 'add', db, 'admin', '--role', 'admin', '--password-stdin');
  lz('user', 'add', db, 'chain', '--role', 'chain', '--scope', 'battery', '--password-stdin');
  server = spawn(process.env.LZ, ['serve', db, '--listen', '127.0.0.1:0', '--threads', '1', '--access-log', 'none',
    '--policies', path.join(ROOT, 'policies/jiangmen')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  server.stderr.on('data', (d) => { err += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/[0-9.:]+/);
      if (m) resolve(m[0]);
    });
    server.on('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
  return { url, stderr: () => err };
}

// A session on this server (lib's Client talks to the shared one).
async function login(base, name) {
  const res = await fetch(base + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }) });
  const json = await res.json();
  assert.equal(res.status, 200, JSON.stringify(json));
  const cookie = res.headers.get('set-cookie').split(';')[0];
  return {
    get: async (p) => {
      const r = await fetch(base + p, { headers: { cookie } });
      return { status: r.status, json: await r.json().catch(() => null) };
    },
    post: async (p, body) => {
      const r = await fetch(base + p, { method: 'POST', body: JSON.stringify(body),
        headers: { cookie, 'x-csrf-token': json.csrf, 'content-type': 'application/json' } });
      return { status: r.status, text: await r.text() };
    },
  };
}

test('an award list survives a full statement cache on a one-thread server', async () => {
  const { url, stderr } = await start();
  const admin = await login(url, 'admin');
  const computed = await admin.post('/api/v1/awards/compute', { year: YEAR });
  assert.equal(computed.status, 200, computed.text);
  const chain = await login(url, 'chain');
  const mine = (await chain.get('/api/v1/enterprises?limit=1000')).json.items.map((e) => e.uscc);
  // The row callback's statements (an enterprise by key, the chain's scope) are cached just
  // before the award list's own, so the cache evicts them just before it.
  assert.equal((await chain.get(`/api/v1/enterprises/${mine[0]}`)).status, 200);
  const first = await chain.get(`/api/v1/awards?year=${YEAR}`);
  assert.equal(first.status, 200);
  const all = (await admin.get(`/api/v1/awards?year=${YEAR}`)).json.items;
  const expected = all.filter((a) => mine.includes(a.uscc)).map((a) => a.id).sort();
  assert.ok(expected.length > 1, 'the chain has awards to list');
  assert.deepEqual(first.json.items.map((a) => a.id).sort(), expected);
  // Rounds of 1, 2, 3, ... list queries of new SQL text (every limit is one), each round then
  // listing the awards: the cache's eviction point moves by every length in turn, until a round
  // ends with the callback's statements evicted and the list's own next in line.
  let limit = 0;
  for (let run = 1; run <= 40; run++) {
    for (let i = 0; i < run; i++)
      assert.equal((await chain.get(`/api/v1/enterprises?limit=${++limit}`)).status, 200, stderr());
    const seen = await chain.get(`/api/v1/awards?year=${YEAR}`).catch((e) => ({ status: 0, error: e }));
    assert.equal(seen.status, 200, `after ${limit} list queries: ${seen.error ?? ''} ${stderr()}`);
    assert.deepEqual(seen.json.items.map((a) => a.id).sort(), expected, `after ${limit} list queries`);
  }
  assert.equal(server.exitCode, null, stderr());
});
