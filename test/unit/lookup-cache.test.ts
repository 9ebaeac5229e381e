// The per-project lookup cache of creates: kept values, background refresh of stale ones,
// failures never kept, in-flight lookups shared.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { LookupCache } from '../../src/admission/lookup-cache.js';

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
