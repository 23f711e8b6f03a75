// The OpenAPI document against the tools of the ecosystem and against the real answers: Redocly's
// recommended rules pass; every answer has what its schema declares (required fields, types,
// choices, no undeclared field); and a client typed with openapi-typescript's output compiles
// with the real answers as typed values, then runs against this server.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { as, BASE, Client } from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.join(HERE, 'node_modules/.bin');
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'lz-openapi-'));
const DOC = path.join(DIR, 'openapi.json');
after(() => fs.rmSync(DIR, { recursive: true, force: true }));
const quiet = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true', NO_COLOR: '1' };

function tool(name, args) { // -> { code, out }
  try {
    return { code: 0, out: execFileSync(path.join(BIN, name), args, { env: quiet, encoding: 'utf8', stdio: 'pipe' }) };
  } catch (e) {
    return { code: e.status ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const doc = await (await fetch(`${BASE}/api/v1/openapi.json`)).json();
fs.writeFileSync(DOC, JSON.stringify(doc));

const resolve = (s) => (s.$ref ? resolve(doc.components.schemas[s.$ref.split('/').pop()]) : s);
const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

// Where value v breaks schema s: wrong type, a choice not listed, a required field missing, a
// field not declared where none may be added. One line per problem.
function problems(s, v, at) {
  s = resolve(s);
  const types = [s.type ?? []].flat(), t = typeOf(v);
  if (types.length && !types.includes(t) && !(t === 'integer' && types.includes('number'))) return [`${at}: ${t}, expected ${types}`];
  if (s.enum && !s.enum.includes(v)) return [`${at}: ${JSON.stringify(v)} is not one of ${s.enum}`];
  if (t === 'array' && s.items) return v.flatMap((x, i) => problems(s.items, x, `${at}[${i}]`));
  if (t !== 'object') return [];
  const props = s.properties ?? {};
  return [
    ...(s.required ?? []).filter((k) => !(k in v)).map((k) => `${at}: no ${k}, which the schema requires`),
    ...Object.keys(v).filter((k) => !(k in props) && s.additionalProperties === false).map((k) => `${at}: ${k} is not declared`),
    ...Object.keys(v).filter((k) => k in props).flatMap((k) => problems(props[k], v[k], `${at}.${k}`)),
  ];
}

const ok200 = (p) => doc.paths[p].get?.responses?.['200']?.content?.['application/json']?.schema;

// Every JSON GET without parameters (the lists among them), then each route under a list's path
// with the first item's fields for its parameters (the row by its key, its history, ...).
async function answers(c) {
  const got = [];
  const fetched = async (p, concrete = p) => {
    const r = await c.req('GET', concrete);
    assert.equal(r.status, 200, `GET ${concrete}: ${r.text}`);
    got.push({ path: p, concrete, body: r.json });
    return r.json;
  };
  for (const p of Object.keys(doc.paths).filter((p) => !p.includes('{') && ok200(p))) {
    const row = (await fetched(p)).items?.[0];
    const under = Object.keys(doc.paths).filter((q) => q.startsWith(`${p}/{`) && ok200(q));
    for (const q of row ? under : []) await fetched(q, q.replace(/\{(\w+)\}/g, (_, k) => encodeURIComponent(row[k])));
  }
  return got;
}

let real;

test('the served OpenAPI document passes Redocly CLI lint with the recommended rules', () => {
  const r = tool('redocly', ['lint', DOC, '--extends', 'recommended', '--format', 'stylish']);
  assert.equal(r.code, 0, r.out);
  assert.equal(doc.openapi, '3.1.0');
});

test('every JSON answer has the fields, types and choices its schema declares', async () => {
  real = await answers(await as('admin'));
  const lists = real.filter((a) => a.body?.items);
  assert.ok(lists.length >= 17 && real.length - lists.length >= 17, `${lists.length} lists, ${real.length} answers`);
  const found = real.flatMap((a) => problems(ok200(a.path), a.body, a.concrete));
  const c = new Client();
  const signIn = await c.login('admin');
  found.push(...problems(doc.paths['/api/v1/session'].post.responses['200'].content['application/json'].schema, signIn.json, 'sign-in'));
  assert.deepEqual(found, []);
  const members = real.find((a) => a.path === '/api/v1/memberships').body;
  assert.ok(members.items.some((m) => m.enterprise_name && m.chain_name), 'lists name the enterprise and chain');
  assert.equal(typeof members.total, 'number');
});

test('the check of answers against the schema finds a missing, a mistyped and an undeclared field', () => {
  const { path: p, body } = real.find((a) => a.path === '/api/v1/memberships');
  const row = body.items[0];
  const { chain, ...without } = row;
  const broken = { ...body, items: [without, { ...row, chain: 7 }, { ...row, extra: 1 }] };
  assert.equal(problems(ok200(p), broken, 'page').length, 3, chain);
  assert.ok(problems(ok200(p), { items: [], next: null }, 'page')[0].includes('no total'));
});

test('a client typed with openapi-typescript compiles with the real answers and runs against the server', async () => {
  const gen = tool('openapi-typescript', [DOC, '--output', path.join(DIR, 'openapi.d.ts')]);
  assert.equal(gen.code, 0, gen.out);
  fs.copyFileSync(path.join(HERE, 'typed/client.mts'), path.join(DIR, 'client.mts'));
  // The answers as typed constants: tsc refuses a missing field, a wrong type, an undeclared one.
  const lines = real.map((a, i) => `export const a${i}: Answer<${JSON.stringify(a.path)}> = ${JSON.stringify(a.body)};`);
  fs.writeFileSync(path.join(DIR, 'answers.mts'), `import type { Answer } from './client.mjs';\n${lines.join('\n')}\n`);
  const files = ['client.mts', 'answers.mts'].map((f) => path.join(DIR, f));
  const opts = ['--strict', '--target', 'es2022', '--module', 'nodenext', '--lib', 'es2022,dom'];
  const check = tool('tsc', ['--noEmit', ...opts, ...files]);
  assert.equal(check.code, 0, check.out.split('\n').slice(0, 20).join('\n'));
  const build = tool('tsc', [...opts, '--outDir', path.join(DIR, 'js'), files[0]]);
  assert.equal(build.code, 0, build.out);
  const client = await import(pathToFileURL(path.join(DIR, 'js/client.mjs')));
  const c = await as('admin');
  const m = await client.memberships(BASE, c.cookie);
  assert.equal(m.total, real.find((a) => a.path === '/api/v1/memberships').body.total);
  assert.ok(m.lines.length > 0 && !m.lines[0].includes('undefined'), m.lines[0]);
});
