// The per-project lookup cache of creates: kept values, background refresh of stale ones,
// failures never kept, in-flight lookups shared, and the headroom adjusted in place.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { LookupCache } from '../../src/admission/lookup-cache.js';
import { afterAdmission } from '../../src/admission/quota.js';

test('a kept value is served without a lookup; a stale one is served while a fresh one is fetched', async () => {
  const c = new LookupCache();
  let calls = 0;
  const load = async () => { calls++; await sleep(5); return calls; };
  const [a, b] = await Promise.all([c.get('k', 100, load), c.get('k', 100, load)]);
  assert.deepEqual([a, b, calls], [1, 1, 1], 'two requests at once share one lookup');
  assert.equal(await c.get('k', 100, load), 1);
  await sleep(120);
  assert.equal(await c.get('k', 100, load), 1, 'stale: the old value now ...');
  await sleep(20);
  assert.equal(await c.get('k', 100, load), 2, '... and the refreshed one next');
  assert.equal(calls, 2);
  await sleep(1100);
  assert.equal(await c.get('k', 100, load), 3, 'past ten times its time to live: looked up before answering');
});

test('a failed lookup is not kept; ttl 0 always looks up', async () => {
  const c = new LookupCache();
  let n = 0;
  await assert.rejects(c.get('x', 1000, async () => { n++; throw new Error('404'); }));
  assert.equal(await c.get('x', 1000, async () => { n++; return 'found'; }), 'found');
  assert.equal(n, 2);
  assert.equal(await c.get('y', 0, async () => 'a'), 'a');
  assert.equal(await c.get('y', 0, async () => 'b'), 'b');
});

test('adjust changes the kept headroom: an admitted cluster counts until the next fetch', async () => {
  const c = new LookupCache();
  const h = { instances: 10, cores: 20, ramMb: 51200, floatingIps: 50, networks: 100, routers: 10, securityGroups: 10 };
  await c.get('p:headroom', 10_000, async () => h);
  const needed = { instances: 3, cores: 3, ramMb: 192, floatingIps: 1, networks: 1, routers: 1, securityGroups: 1 };
  c.adjust<typeof h>('p:headroom', (v) => afterAdmission(v, needed) as typeof h);
  c.adjust<typeof h>('p:headroom', (v) => afterAdmission(v, needed) as typeof h);
  assert.deepEqual(await c.get('p:headroom', 10_000, async () => h),
    { instances: 4, cores: 14, ramMb: 50816, floatingIps: 48, networks: 98, routers: 8, securityGroups: 8 });
  assert.deepEqual(afterAdmission({ ...h, cores: null }, needed).cores, null, 'unlimited stays unlimited');
});
