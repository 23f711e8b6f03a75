// The transport under hostile clients: a request is refused on its head before any of its body is
// read; framing that a proxy could read differently is refused; connections are bounded per
// address and in time, so /healthz keeps answering others; a locked database answers 503, not 500;
// forwarded addresses are validated; targets with NUL or bad UTF-8 are refused. Raw sockets where
// fetch would hide what goes over the wire. Loopback only; 127.0.0.2 plays the hostile client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawn, execFileSync } from 'node:child_process';
import { as, Client, BASE, ACCOUNTS, USCC, holdWriteLock, sqlRows } from './lib.mjs';

const { hostname: HOST, port: PORT } = new URL(BASE);

// Sends bytes on a fresh connection and collects what comes back until the server closes or
// `wait` ms pass in silence. closed: whether the server ended the connection.
function raw(bytes, { port = PORT, wait = 1500, localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: HOST, port, localAddress });
    const chunks = [];
    let timer;
    const done = (closed) => { clearTimeout(timer); s.destroy(); resolve({ text: Buffer.concat(chunks).toString('latin1'), closed }); };
    const arm = () => { clearTimeout(timer); timer = setTimeout(() => done(false), wait); };
    s.on('connect', () => { s.write(bytes); arm(); });
    s.on('data', (d) => { chunks.push(d); arm(); });
    s.on('end', () => done(true));
    s.on('error', (e) => (chunks.length ? done(true) : reject(e)));
  });
}

const statuses = (text) => [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]));
const head = (lines) => Buffer.from(lines.join('\r\n') + '\r\n\r\n');

// A server of our own with some options, on a free port; stop() ends it and says how it exited.
async function server(args) {
  const p = spawn(process.env.LZ, ['serve', process.env.LZ_API_DB, '--listen', '127.0.0.1:0', '--access-log', 'none', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d) => { err += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    p.stdout.on('data', (d) => { out += d; const m = out.match(/http:\/\/[0-9.:]+/); if (m) resolve(m[0]); });
    p.on('exit', (code) => reject(new Error(`serve ${args.join(' ')} exited ${code}: ${err}`)));
  });
  return {
    url, port: Number(new URL(url).port),
    stop: () => new Promise((resolve) => { p.removeAllListeners('exit'); p.on('exit', (code) => resolve({ code, err })); p.kill('SIGTERM'); }),
  };
}

async function timedHealth(url = BASE) {
  const t0 = Date.now();
  const r = await fetch(url + '/healthz', { signal: AbortSignal.timeout(3000) }).catch((e) => ({ status: e.name }));
  return { status: r.status, ms: Date.now() - t0 };
}

test('a body larger than the route takes is refused with 413 before any of it is sent', async () => {
  const r = await raw(head(['POST /api/v1/session HTTP/1.1', `Host: ${HOST}`, 'Content-Type: application/json',
    'Content-Length: 60000000']));
  assert.deepEqual(statuses(r.text), [413], r.text);
  assert.ok(r.closed, 'the connection is closed after the refusal');
});

test('a large body for a route that needs a session is refused with 401 before it is sent', async () => {
  const r = await raw(head(['POST /api/v1/import/divisions HTTP/1.1', `Host: ${HOST}`, 'Content-Type: text/csv',
    'Content-Length: 50000000']));
  assert.deepEqual(statuses(r.text), [401], r.text);
  assert.ok(r.closed);
});

test('a large body to an unknown route is 404, to a wrong method 405, to a bodiless route 413, all unsent', async () => {
  for (const [line, status] of [['POST /api/v1/nothing HTTP/1.1', 404], ['PUT /healthz HTTP/1.1', 405],
    ['GET /healthz HTTP/1.1', 413]]) {
    const r = await raw(head([line, `Host: ${HOST}`, 'Content-Length: 5000000']));
    assert.deepEqual(statuses(r.text), [status], `${line}: ${r.text}`);
    assert.ok(r.closed, line);
  }
});

test('a refused body up to 4 MiB is read and dropped, so that a client still sending gets the answer', async () => {
  // Closing with unread data makes TCP reset the connection, and a client still writing its body
  // then loses the answer (before: most of these ended in "fetch failed" instead of a 413).
  const c = await as('admin');
  const body = JSON.stringify({ code: '440785', name: 'x'.repeat(3000000) });
  for (let i = 0; i < 20; i++) {
    const r = await c.req('POST', '/api/v1/divisions', body);
    assert.equal(r.status, 413, r.text);
  }
});

test('each route has its own limit: a row create takes 64 KiB, not a megabyte', async () => {
  const c = await as('admin');
  const r = await c.req('POST', '/api/v1/divisions', JSON.stringify({ code: '440785', name: 'x'.repeat(100 << 10) }));
  assert.equal(r.status, 413, r.text);
  assert.match(r.json.detail, /65536 bytes/);
});

test('a chunked body is cut at the route limit as it arrives', async () => {
  const chunk = 'x'.repeat(70000);
  const r = await raw(Buffer.concat([head(['POST /api/v1/session HTTP/1.1', `Host: ${HOST}`, 'Content-Type: application/json',
    'Transfer-Encoding: chunked']), Buffer.from(`${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`)]));
  assert.deepEqual(statuses(r.text), [413], r.text);
});

test('Content-Length with Transfer-Encoding, or twice, is 400 and the smuggled request never runs', async () => {
  const smuggled = `GET /healthz HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`;
  const both = await raw(Buffer.from(`POST /api/v1/session HTTP/1.1\r\nHost: ${HOST}\r\nContent-Type: application/json\r\n` +
    `Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`));
  assert.deepEqual(statuses(both.text), [400], both.text);
  assert.match(both.text, /"field":"Transfer-Encoding"/);
  assert.ok(both.closed);
  const twice = await raw(Buffer.from(`POST /api/v1/session HTTP/1.1\r\nHost: ${HOST}\r\nContent-Type: application/json\r\n` +
    `Content-Length: 2\r\nContent-Length: ${2 + smuggled.length}\r\n\r\n{}${smuggled}`));
  assert.deepEqual(statuses(twice.text), [400], twice.text);
  assert.match(twice.text, /"field":"Content-Length"/);
  assert.ok(twice.closed);
  const coding = await raw(head(['POST /api/v1/session HTTP/1.1', `Host: ${HOST}`, 'Transfer-Encoding: gzip, chunked']));
  assert.deepEqual(statuses(coding.text), [400], coding.text);
});

test('HTTP/1.1 without Host is 400; HTTP/1.0 needs none', async () => {
  const r = await raw(head(['GET /healthz HTTP/1.1']));
  assert.deepEqual(statuses(r.text), [400], r.text);
  assert.match(r.text, /"field":"Host"/);
  const old = await raw(head(['GET /healthz HTTP/1.0']));
  assert.match(old.text, /^HTTP\/1\.[01] 200/);
});

test('HEAD answers wherever GET does, with the same headers and no body', async () => {
  const c = await as('admin');
  for (const p of ['/healthz', `/api/v1/enterprises/${USCC.E1}`, '/api/v1/enterprises?limit=2']) {
    const g = await c.req('GET', p);
    const h = await c.req('HEAD', p);
    assert.equal(h.status, g.status, p);
    assert.equal(h.text, '', p);
    for (const k of ['content-type', 'content-length', 'cache-control']) assert.equal(h.headers.get(k), g.headers.get(k), `${p} ${k}`);
  }
  const r = await c.req('PUT', '/healthz');
  assert.equal(r.headers.get('allow'), 'GET, HEAD');
});

test('a NUL or bad UTF-8 in the path or the query is 400 naming where, and nothing is written', async () => {
  const c = await as('admin');
  const before = (await c.req('GET', '/api/v1/appeal-deadlines')).text;
  const r = await c.req('PUT', '/api/v1/appeal-deadlines/land%00ignored', { working_days: 3 });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.errors[0].field, 'path');
  assert.equal((await c.req('GET', '/api/v1/appeal-deadlines')).text, before);
  for (const [p, field] of [['/api/v1/enterprises?q=a%00b', 'q'], ['/api/v1/enterprises?q=ok&division=%C0%AF', 'division'],
    ['/api/v1/enterprises/%FF', 'path'], ['/api/v1/enterprises?a%00=1', 'query']]) {
    const x = await c.req('GET', p);
    assert.equal(x.status, 400, `${p}: ${x.text}`);
    assert.equal(x.json.errors[0].field, field, p);
  }
});

test('an upload media type must match exactly; parameters are allowed', async () => {
  const c = await as('admin');
  const csv = (await c.req('GET', '/api/v1/export/divisions')).text;
  assert.equal((await c.req('POST', '/api/v1/import/divisions', csv, { type: 'text/csvx' })).status, 415);
  assert.equal((await c.req('POST', '/api/v1/import/divisions', csv, { type: 'text/csv; charset=utf-8' })).status, 200);
  assert.equal((await c.req('POST', '/api/v1/import/divisions', csv, { type: 'TEXT/CSV' })).status, 200);
  const row = JSON.stringify({ code: '440785', name: 'x' });
  assert.equal((await c.req('POST', '/api/v1/divisions', row, { type: 'application/jsonp' })).status, 415);
  assert.equal((await c.req('POST', '/api/v1/divisions', row, { type: 'application/json-patch+json' })).status, 415);
  const ok = await c.req('POST', '/api/v1/divisions', row, { type: 'application/json; charset=utf-8' });
  assert.equal(ok.status, 201, ok.text);
  assert.equal((await c.req('DELETE', '/api/v1/divisions/440785')).status, 204);
});

// Holds n connections from addr, each having sent part of a request head.
async function hold(n, addr, port = PORT) {
  const socks = [];
  for (let i = 0; i < n; i++) {
    const s = net.connect({ host: HOST, port, localAddress: addr });
    s.on('error', () => {});
    s.on('connect', () => s.write('GET /healthz HTTP/1.1\r\nX-Slow: '));
    socks.push(s);
    if (i % 200 === 199) await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 1500)); // the server has taken in what it takes
  return socks;
}

test('4,200 half-open connections from one address do not starve /healthz for others', async () => {
  const socks = await hold(4200, '127.0.0.2');
  try {
    const h = await timedHealth();
    assert.equal(h.status, 200);
    assert.ok(h.ms < 1000, `/healthz took ${h.ms} ms`);
    const open = socks.filter((s) => !s.destroyed && s.readyState === 'open').length;
    assert.ok(open <= 128, `${open} connections from one address stayed open`);
  } finally {
    for (const s of socks) s.destroy();
  }
});

test('a head or a body trickling in is cut at its deadline', { timeout: 30000 }, async () => {
  const srv = await server(['--header-timeout', '2', '--body-timeout', '2', '--idle-timeout', '30']);
  try {
    const trickle = (prefix) => new Promise((resolve) => {
      const s = net.connect({ host: HOST, port: srv.port });
      const t0 = Date.now();
      let timer;
      s.on('connect', () => {
        s.write(prefix);
        timer = setInterval(() => s.write('a'), 300); // always under the idle timeout
      });
      const end = () => { clearInterval(timer); s.destroy(); resolve(Date.now() - t0); };
      s.on('close', end);
      s.on('error', end);
      setTimeout(end, 10000);
    });
    const headMs = await trickle('GET /healthz HTTP/1.1\r\nX-Slow: ');
    assert.ok(headMs >= 1500 && headMs < 5000, `head cut after ${headMs} ms`);
    const bodyMs = await trickle(`POST /api/v1/session HTTP/1.1\r\nHost: ${HOST}\r\nContent-Type: application/json\r\n` +
      'Content-Length: 60000\r\n\r\n');
    assert.ok(bodyMs >= 1500 && bodyMs < 5000, `body cut after ${bodyMs} ms`);
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
});

test('the connection limits are serve options: in all and per address', { timeout: 30000 }, async () => {
  const srv = await server(['--max-connections', '300', '--max-per-address', '20']);
  try {
    const a = await hold(50, '127.0.0.3', srv.port);
    const b = await hold(50, '127.0.0.4', srv.port);
    const open = (ss) => ss.filter((s) => !s.destroyed && s.readyState === 'open').length;
    assert.ok(open(a) <= 20 && open(b) <= 20, `${open(a)} and ${open(b)} open`);
    assert.equal((await timedHealth(srv.url)).status, 200);
    for (const s of [...a, ...b]) s.destroy();
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
});

test('while another process holds the write lock, a write waits briefly, then answers 503 with Retry-After', { timeout: 30000 },
  async () => {
    const c = await as('admin');
    const lock = await holdWriteLock();
    try {
      const t0 = Date.now();
      const w = await c.req('POST', '/api/v1/divisions', { code: '440785', name: 'x' });
      const ms = Date.now() - t0;
      assert.equal(w.status, 503, w.text);
      assert.equal(w.headers.get('retry-after'), '1');
      assert.ok(ms >= 200 && ms < 3000, `answered after ${ms} ms`);
      const s = await new Client().login('admin');
      assert.equal(s.status, 503, s.text);
      assert.equal((await c.req('GET', '/api/v1/divisions/440703')).status, 200, 'reads go on');
    } finally {
      await lock.release();
    }
    assert.equal((await new Client().login('admin')).status, 200);
  });

test('behind a proxy, X-Forwarded-For must end in an address, which the audit log records escaped', { timeout: 30000 },
  async () => {
    const srv = await server(['--behind-proxy']);
    try {
      const login = (xff) => fetch(srv.url + '/api/v1/session', {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': xff },
        body: JSON.stringify({ name: 'admin', password: ACCOUNTS.admin.password }),
      });
      for (const bad of ['10.0.0.1, 1.2.3.4","role":"admin', 'unknown', '10.0.0.1, 999.1.1.1', '10.0.0.1,']) {
        const r = await login(bad);
        assert.equal(r.status, 400, bad);
        assert.equal((await r.json()).errors[0].field, 'X-Forwarded-For');
      }
      assert.equal((await login('"x", 2001:DB8:0::1')).status, 200);
      const [last] = sqlRows("SELECT after FROM audit_log WHERE target = 'sessions' ORDER BY seq DESC LIMIT 1");
      assert.deepEqual(JSON.parse(last.after), { account: 'admin', address: '2001:db8::1' });
    } finally {
      assert.equal((await srv.stop()).code, 0);
    }
  });

test('behind a proxy, rotating IPv6 addresses within one /64 does not escape the sign-in throttle', { timeout: 60000 },
  async () => {
    const srv = await server(['--behind-proxy']);
    try {
      const login = (addr, password) => fetch(srv.url + '/api/v1/session', {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': addr },
        body: JSON.stringify({ name: `ghost-${addr}`, password }),
      }).then((r) => r.status);
      for (let i = 1; i <= 20; i++) assert.equal(await login(`2001:db8:7:7::${i.toString(16)}`, 'wrong'), 401);
      assert.equal(await login('2001:db8:7:7:abcd::99', 'wrong'), 429, 'the same /64 is throttled');
      assert.equal(await login('2001:db8:7:8::1', 'wrong'), 401, 'another /64 is not');
    } finally {
      assert.equal((await srv.stop()).code, 0);
    }
  });

test('policy answers name rule files within their directory, never a server path', async () => {
  const c = await as('admin');
  const r = await c.req('GET', '/api/v1/policies');
  assert.equal(r.status, 200);
  for (const p of r.json.items ?? r.json) assert.match(p.file, /^[\w.-]+\.policy$/, p.file);
});

test('a limit option out of range is a usage error naming the option', () => {
  for (const [opt, value] of [['--max-connections', '0'], ['--header-timeout', '10s'], ['--max-per-address', '-1']]) {
    let r;
    try {
      execFileSync(process.env.LZ, ['serve', process.env.LZ_API_DB, opt, value], { stdio: 'pipe' });
    } catch (e) { r = e; }
    assert.equal(r?.status, 2, `${opt} ${value}`);
    assert.match(String(r.stderr), new RegExp(`${opt} '${value}': expected a whole number`));
  }
});
