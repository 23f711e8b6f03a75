// Memory safety over the API, on a server of its own with one worker thread, so that every
// request shares one connection and its statement cache: list queries enough to fill the cache,
// then an award list whose visibility check (per row, another query) needs a statement while
// the list's own is still being stepped. A statement finalized under its caller was a
// heap-use-after-free under ASan (after 91 list queries) and wrong rows or none without it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ownServer } from './own_server.mjs';

const YEAR = 2023;
let server = null;
after(() => server?.stop());

test('an award list survives a full statement cache on a one-thread server', async () => {
  server = await ownServer([['admin', 'admin'], ['chain', 'chain', 'battery']], ['--threads', '1']);
  const stderr = server.stderr;
  const admin = await server.login('admin');
  const computed = await admin.post('/api/v1/awards/compute', { year: YEAR });
  assert.equal(computed.status, 200, computed.text);
  const chain = await server.login('chain');
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
  assert.ok(server.running(), stderr());
});
