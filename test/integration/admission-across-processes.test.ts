// Admission holds across API processes: two services on one store (as two API processes
// on one Redis or one SQLite file), each with its own caches, admit at once no more than
// the project's quota and its cluster cap allow. No worker runs: records, no stacks.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import request from 'supertest';
import { cloud } from '../helpers/cloud.js';
import { attributesWith, inProcess, KIND_CATEGORY, passwordHeaders } from '../helpers/service.js';

// a project no other test makes stacks in: its headroom holds still while this runs
const WHO = 'other' as const;
const a = inProcess({ SM_MAX_CLUSTERS_PER_PROJECT: '3' });
const b = inProcess({ SM_DATA_DIR: a.env.SM_DATA_DIR!, SM_MAX_CLUSTERS_PER_PROJECT: '3' });
const made: string[] = [];

const create = async (s: typeof a, workers: number) => {
  const r = await request(s.service.app).post('/disco/').set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi')
    .set(passwordHeaders(WHO)).set('X-OCCI-Attribute', attributesWith(workers, '{}')); // no framework: any worker count
  if (r.status === 201) made.push(new URL(r.headers.location as string).pathname.split('/')[2]!);
  return r;
};

async function clearRecords(): Promise<void> {
  for (const id of made.splice(0)) await a.service.store.delete(id);
}

after(async () => {
  await clearRecords();
  await a.service.close();
  await b.service.close();
});

test('two processes admitting at once: the quota holds (one cluster fits, not two)', async () => {
  const free = (await cloud(WHO).nova.headroom()).instances;
  assert.ok(free !== null && free >= 2, `the test needs room for 2 instances in ${WHO}, has ${free}`);
  const workers = Math.ceil(free / 2); // 1 + workers fits alone; twice does not
  assert.ok(1 + workers <= free && 2 * (1 + workers) > free);
  // both warm their caches first: each has read the same headroom
  assert.equal((await create(a, 0)).status, 201);
  assert.equal((await create(b, 0)).status, 201);
  await clearRecords();
  const [x, y] = await Promise.all([create(a, workers), create(b, workers)]);
  assert.deepEqual([x.status, y.status].sort(), [201, 400], `${x.status} ${x.text} / ${y.status} ${y.text}`);
  assert.match((x.status === 400 ? x : y).text, /quota cannot hold this cluster: \d+ instances needed, \d+ left/);
  await clearRecords();
});

test('two processes admitting at once: the per-project cap holds', async () => {
  assert.equal((await create(a, 0)).status, 201);
  assert.equal((await create(b, 0)).status, 201);
  const [x, y] = await Promise.all([create(a, 0), create(b, 0)]);
  assert.deepEqual([x.status, y.status].sort(), [201, 409], `${x.status} ${x.text} / ${y.status} ${y.text}`);
  assert.match((x.status === 409 ? x : y).text, /the project has 3 clusters \(or is making them\), at most 3 \(SM_MAX_CLUSTERS_PER_PROJECT\): delete one first/);
  const z = await create(a, 0);
  assert.equal(z.status, 409);
  await clearRecords();
  assert.equal((await create(b, 0)).status, 201, 'room again once they are gone');
});
