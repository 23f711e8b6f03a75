// Shared helpers of the API tests: a small client that keeps one session (cookie + CSRF token),
// the accounts the launcher created, and the fixture rows read back from the CSV files.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

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
