// The sign-in throttle under parallel attempts: the check and the count are one step, so 20
// wrong passwords sent at once are 5 attempts counted (401) and 15 refused (429), never 6 to 10
// counted; the right password is then refused too, until the window passes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ownServer, PASSWORD } from './own_server.mjs';

let server = null;
after(() => server?.stop());

test('20 parallel wrong sign-ins count exactly 5; the right password is refused after them', async () => {
  const targets = ['t1', 't2', 't3']; // three bursts: a lost race shows in one of them at least
  server = await ownServer([['admin', 'admin'], ...targets.map((t) => [t, 'admin'])], ['--threads', '8']);
  for (const name of targets) {
    const statuses = (await Promise.all(Array.from({ length: 20 }, () => server.attempt(name, 'wrong-password-x'))))
      .map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 401).length, 5, `${name}: ${statuses.join(' ')}`);
    assert.equal(statuses.filter((s) => s === 429).length, 15, `${name}: ${statuses.join(' ')}`);
    const right = await server.attempt(name, PASSWORD);
    assert.equal(right.status, 429, `${name}: the right password after 5 failures`);
    assert.ok(Number(right.headers.get('retry-after')) > 0, 'with Retry-After');
  }
  // 15 failures of the address's 20 are spent; a success gives its attempt back, so the address
  // is not throttled by accounts that sign in.
  for (let i = 0; i < 10; i++) await server.login('admin');
});
