// A server of a test file's own, on a database built from the fixtures, for tests that need a
// setting of the server (one worker thread) or state (a throttle count) no other test may touch.
// Accounts get one strong password, the same for all.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { strongPassword } from './password.mjs';
import { scratchDatabase } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TABLES = ['divisions', 'clusters', 'chains', 'segments', 'enterprises', 'memberships', 'indicators', 'supply_links',
  'projects', 'persons', 'events', 'targets', 'platforms', 'appeals'];
export const PASSWORD = strongPassword();

// accounts: [[name, role, scope or null]]; serveArgs: extra `serve` options. Returns
// { url, db, stderr(), login(name, password), another(serveArgs), stop() } (db: the database, for
// the CLI; another: a second server on the same database, stopped with this one).
export async function ownServer(accounts, serveArgs = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lz-own-'));
  const scratch = scratchDatabase(dir);
  const db = scratch.db;
  // The password goes only to the command that reads it: one that exits without reading its
  // input can close the pipe before the write, which fails the run (EPIPE).
  const lz = (...args) => execFileSync(process.env.LZ, args, { encoding: 'utf8' });
  const lzWithPassword = (...args) => execFileSync(process.env.LZ, args, { encoding: 'utf8', input: PASSWORD + '\n' });
  lz('init', db);
  for (const t of TABLES) lz('import', db, t, path.join(process.env.LZ_API_FIXTURES, `${t}.csv`));
  for (const [name, role, scope] of accounts)
    lzWithPassword('user', 'add', db, name, '--role', role, ...(scope ? ['--scope', scope] : []), '--password-stdin');
  const others = [];
  const first = await serve(db, serveArgs, () => {
    for (const o of others) o.stop();
    scratch.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  first.another = async (args = []) => {
    const other = await serve(db, args, () => {});
    others.push(other);
    return other;
  };
  return first;
}

// `lianzhang serve db` on a port of its own, and the client side of it; cleanup runs after stop.
async function serve(db, serveArgs, cleanup) {
  const server = spawn(process.env.LZ, ['serve', db, '--listen', '127.0.0.1:0', '--access-log', 'none',
    '--policies', path.join(ROOT, 'policies/jiangmen'), ...serveArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
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
  return {
    url,
    db,
    stderr: () => err,
    running: () => server.exitCode === null,
    attempt: (name, password) => fetch(url + '/api/v1/session', { method: 'POST',
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) }),
    login: (name, password = PASSWORD) => signIn(url, name, password),
    stop: () => {
      server.kill('SIGTERM');
      cleanup();
    },
  };
}

// Signs in at the server (or proxy) at url: a client of that session.
export async function signIn(url, name, password = PASSWORD) {
  const res = await fetch(url + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }) });
  const json = await res.json();
  assert.equal(res.status, 200, JSON.stringify(json));
  return client(url, res.headers.get('set-cookie').split(';')[0], json.csrf);
}

// A signed-in client of the server at url; at(other) is the same session sent to another server.
function client(url, cookie, csrf) {
  return {
    at: (other) => client(other, cookie, csrf),
    get: async (p) => {
      const r = await fetch(url + p, { headers: { cookie } });
      return { status: r.status, json: await r.json().catch(() => null) };
    },
    // any method; a string body goes as it is, with its content type (default JSON)
    req: async (method, p, body, { type = 'application/json' } = {}) => {
      const r = await fetch(url + p, { method, body: typeof body === 'string' ? body : JSON.stringify(body),
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': type } });
      const text = await r.text();
      let parsed = null;
      try { parsed = JSON.parse(text); } catch { /* not JSON */ }
      return { status: r.status, text, json: parsed };
    },
    post: async (p, body) => {
      const r = await fetch(url + p, { method: 'POST', body: JSON.stringify(body),
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' } });
      return { status: r.status, text: await r.text() };
    },
  };
}
