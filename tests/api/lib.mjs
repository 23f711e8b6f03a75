// Shared helpers of the API tests: a small client that keeps one session (cookie + CSRF token),
// the accounts the launcher created, and the fixture rows read back from the CSV files.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';

export const BASE = process.env.LZ_API_URL;
export const ACCOUNTS = JSON.parse(fs.readFileSync(process.env.LZ_API_ACCOUNTS, 'utf8'));
export const USCC = JSON.parse(fs.readFileSync(path.join(process.env.LZ_API_FIXTURES, 'usccs.json'), 'utf8'));

export class Client {
  constructor() { this.cookie = null; this.csrf = null; }

  async login(name, password = ACCOUNTS[name].password) {
    const r = await this.req('POST', '/api/v1/session', { name, password });
    if (r.status === 200) {
      this.cookie = r.headers.get('set-cookie').split(';')[0];
      this.csrf = r.json.csrf;
    }
    return r;
  }

  // method, path, body (object -> JSON, string/Buffer -> as is), options {type, csrf: false}
  async req(method, p, body, opts = {}) {
    const headers = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && opts.csrf !== false) headers['x-csrf-token'] = this.csrf;
    let data;
    if (body !== undefined) {
      const raw = typeof body === 'string' || Buffer.isBuffer(body);
      data = raw ? body : JSON.stringify(body);
      headers['content-type'] = opts.type ?? 'application/json';
    }
    Object.assign(headers, opts.headers ?? {});
    const res = await fetch(BASE + p, { method, headers, body: data });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, headers: res.headers, text, json };
  }
}

export async function as(name) {
  const c = new Client();
  const r = await c.login(name);
  if (r.status !== 200) throw new Error(`login ${name}: ${r.status} ${r.text}`);
  return c;
}

// Fixture rows by table: arrays of objects keyed by column (fixtures hold no quoted commas).
export function fixture(table) {
  const lines = fs.readFileSync(path.join(process.env.LZ_API_FIXTURES, `${table}.csv`), 'utf8').trim().split('\n');
  const cols = lines[0].split(',');
  return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

export function lz(...args) {
  return execFileSync(process.env.LZ, args, { encoding: 'utf8' });
}

// The test database is a SQLite file, or a PostgreSQL database (make test-pg): a URL or a libpq
// connection string, anything with '=' in it, as the program tells them apart.
export const POSTGRES = /^postgres(ql)?:\/\/|=/.test(process.env.LZ_API_DB);

// The rows of a query on the test database, as objects keyed by column (sqlite3 -json, or psql
// with json_agg: text columns as strings on both).
export function sqlRows(query) {
  const db = process.env.LZ_API_DB;
  const out = POSTGRES
    ? execFileSync('psql', ['-XAtq', '-d', db, '-c', `SELECT coalesce(json_agg(q), '[]') FROM (${query}) q`], { encoding: 'utf8' })
    : execFileSync('sqlite3', ['-json', db, query], { encoding: 'utf8' });
  return out.trim() ? JSON.parse(out) : [];
}

// Another process holding the database's write lock until release(): SQLite's file lock, or on
// PostgreSQL the advisory lock every Lianzhang writer takes first (src/store/store_pg.c).
export async function holdWriteLock() {
  const db = process.env.LZ_API_DB;
  const locker = POSTGRES ? spawn('psql', ['-Xq', '-d', db], { stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn('sqlite3', [db], { stdio: ['pipe', 'pipe', 'pipe'] });
  locker.stdin.write(POSTGRES ? 'BEGIN;\nSELECT pg_advisory_xact_lock(7235134087130447872);\nSELECT \'locked\';\n'
    : 'BEGIN IMMEDIATE;\nSELECT \'locked\';\n');
  await new Promise((resolve, reject) => {
    locker.stdout.on('data', (d) => String(d).includes('locked') && resolve());
    locker.on('exit', (code) => reject(new Error(`the locker exited (${code})`)));
  });
  return {
    async release() {
      locker.stdin.end('ROLLBACK;\n');
      await new Promise((resolve) => locker.on('exit', resolve));
    },
  };
}

// A new empty database for a test's own server, and how to remove it: a file in dir, or on
// PostgreSQL a database beside the test database (LZ_API_DB then a keyword=value connection
// string, whose last dbname wins).
let scratches = 0;
export function scratchDatabase(dir) {
  if (!POSTGRES) return { db: path.join(dir, 'own.db'), drop() {} };
  const name = `lz_scratch_${process.pid}_${++scratches}`;
  const psql = (sql) => execFileSync('psql', ['-XAtq', '-d', process.env.LZ_API_DB, '-c', sql], { encoding: 'utf8' });
  psql(`CREATE DATABASE ${name}`);
  return { db: `${process.env.LZ_API_DB} dbname=${name}`, drop() { psql(`DROP DATABASE ${name} WITH (FORCE)`); } };
}
