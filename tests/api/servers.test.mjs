// Two servers on one database behind nginx (Debian's, round robin), as a deployment with several
// server processes runs: nothing a request needs lives in one process. A session made through one
// server is valid on the other and ends on both; a write through one is read through the other on
// the very next request (each server's answer cache follows the database's version); the sign-in
// throttle counts the failures made on both; and writes sent to both at once leave one audit chain
// that verifies, every write on it once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { lz, USCC } from './lib.mjs';
import { ownServer, signIn, PASSWORD } from './own_server.mjs';

let a, b, proxy, nginx, dir;

async function freePort() {
  const srv = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => srv.on('listening', resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

// nginx in front of both servers, as docs/deploy.md configures it for one.
async function startNginx(upstreams) {
  const bin = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));
  assert.ok(bin, 'nginx is needed for this test (Debian package nginx-light; scripts/deps.sh installs it)');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lz-nginx-'));
  fs.chmodSync(dir, 0o755); // started by root, nginx's workers run as an unprivileged user
  const port = await freePort();
  const tmp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `${k}_temp_path ${dir};`).join(' ');
  fs.writeFileSync(path.join(dir, 'nginx.conf'), `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 256; }
http {
  access_log off;
  ${tmp}
  upstream lianzhang { ${upstreams.map((u) => `server ${u.replace('http://', '')};`).join(' ')} }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://lianzhang;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
`);
  nginx = spawn(bin, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (await fetch(url + '/healthz').then((r) => r.ok, () => false)) return url;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nginx did not answer: ${fs.readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
}

before(async () => {
  a = await ownServer([['admin', 'admin'], ['t1', 'admin']], ['--behind-proxy']);
  b = await a.another(['--behind-proxy']);
  proxy = await startNginx([a.url, b.url]);
});

after(() => {
  nginx?.kill('SIGTERM');
  a?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('a session made through the proxy holds on both servers and ends on both', async () => {
  const admin = await signIn(proxy, 'admin');
  for (const url of [a.url, b.url]) {
    const me = await admin.at(url).get('/api/v1/session');
    assert.equal(me.status, 200, url);
    assert.equal(me.json.name, 'admin');
  }
  assert.equal((await admin.at(a.url).req('DELETE', '/api/v1/session')).status, 204);
  for (const url of [a.url, b.url, proxy])
    assert.equal((await admin.at(url).get('/api/v1/session')).status, 401, `${url}: signed out through the other`);
});

test('a write through one server is what the other reads next, its cache warm or not', async () => {
  const admin = await a.login('admin');
  const path_ = `/api/v1/enterprises/${USCC.E1}`;
  const before_ = (await admin.at(b.url).get(path_)).json.name;
  await admin.at(b.url).get(path_); // b answers from its cache now
  for (const [writer, reader, name] of [[a.url, b.url, '甲公司（经A）'], [b.url, a.url, '甲公司（经B）']]) {
    const w = await admin.at(writer).req('PATCH', path_, { name });
    assert.equal(w.status, 200, w.text);
    assert.equal((await admin.at(reader).get(path_)).json.name, name, `${reader} reads what ${writer} wrote`);
  }
  assert.notEqual(before_, '甲公司（经B）');
});

test('the sign-in throttle counts failures made on either server', async () => {
  for (const [i, s] of [a, b, a, b, a].entries())
    assert.equal((await s.attempt('t1', `wrong-password-${i}`)).status, 401, `failure ${i + 1}`);
  assert.equal((await b.attempt('t1', PASSWORD)).status, 429, 'five failures on the two: refused on b');
  assert.equal((await a.attempt('t1', PASSWORD)).status, 429, 'and on a');
});

test('writes sent to both at once leave one audit chain with every write on it once', async () => {
  const admin = await a.login('admin');
  const log = () => JSON.parse(lz('audit', 'list', a.db, '--format', 'json')).sort((x, y) => x.seq - y.seq);
  const head = Math.max(0, ...log().map((e) => e.seq));
  const targets = [a.url, b.url, proxy];
  const writes = Array.from({ length: 30 }, (_, i) => admin.at(targets[i % 3])
    .req('PATCH', `/api/v1/enterprises/${USCC.E1}`, { name: `并发写入${i}` }));
  const statuses = (await Promise.all(writes)).map((r) => r.status);
  assert.deepEqual(statuses, Array(30).fill(200), statuses.join(' '));
  execFileSync(process.env.LZ, ['audit', 'verify', a.db], { encoding: 'utf8' }); // throws unless it verifies
  const entries = log().filter((e) => e.seq > head);
  const names = entries.filter((e) => e.target === `enterprises/${USCC.E1}`).map((e) => e.after?.name);
  assert.deepEqual([...names].sort(), Array.from({ length: 30 }, (_, i) => `并发写入${i}`).sort(), 'each write audited once');
  assert.deepEqual(entries.map((e) => e.seq), entries.map((_, i) => head + 1 + i), 'one line, no gap');
});
