// A small client of the API, typed with what openapi-typescript generates from the served document
// (openapi.d.ts beside this file, written there by openapi.test.mjs). The test compiles it with
// tsc and runs it against the test server: if the document stops declaring what this client reads
// (a page's rows and total, the names beside the codes), it no longer compiles.
import type { paths } from './openapi.js';

// The paths whose GET answers JSON.
type JsonGet = {
  [P in keyof paths]: paths[P] extends { get: { responses: { 200: { content: { 'application/json': unknown } } } } } ? P : never;
}[keyof paths];
export type Answer<P extends JsonGet> = paths[P]['get']['responses'][200]['content']['application/json'];

export async function get<P extends JsonGet>(base: string, cookie: string, path: P): Promise<Answer<P>> {
  const res = await fetch(base + path, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Answer<P>;
}

// Every chain membership on the first page as "chain name: enterprise name", and how many there are.
export async function memberships(base: string, cookie: string): Promise<{ total: number; lines: string[] }> {
  const page = await get(base, cookie, '/api/v1/memberships');
  const lines = page.items.map((m) => `${m.chain_name ?? m.chain}: ${m.enterprise_name ?? m.uscc}`);
  return { total: page.total, lines };
}
