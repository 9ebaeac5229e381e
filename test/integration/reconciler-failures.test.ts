// How provisioning fails, on the local cloud: Heat's own failure (here: a flavor no host can
// take, so Nova's scheduler finds no valid host) becomes `failed` with HEAT_CREATE_FAILED and
// Heat's reason, and a DELETE of it leaves no stack, even when cut off (a crash) between the
// credential and the record; a caller's token that expired before the create was sent
// becomes AUTH_EXPIRED with nothing made.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';
import request from 'supertest';
import { cloud } from '../helpers/cloud.js';
import { waitForGone } from '../helpers/heat.js';
import { icclabAttributes, inProcess, KIND_CATEGORY, passwordHeaders, textAttributes } from '../helpers/service.js';

const { service } = inProcess();
const api = request(service.app);
const demo = passwordHeaders('demo');
const os = cloud('demo');
after(async () => { await service.close(); });

async function create(workers: number, extra = ''): Promise<string> {
  const r = await api.post('/disco/').set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi').set(demo)
    .set('X-OCCI-Attribute', icclabAttributes(workers) + extra);
  assert.equal(r.status, 201, r.text);
  return new URL(r.headers.location as string).pathname;
}

async function until(path: string, states: string[], ms = 900_000): Promise<Map<string, string>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const attrs = textAttributes((await api.get(path).set(demo)).text);
    if (states.includes(attrs.get('icclab.disco.state') ?? '')) return attrs;
    if (Date.now() > deadline) throw new Error(`still ${attrs.get('icclab.disco.state')}`);
    await sleep(500);
  }
}

test('a token that expired before the create: AUTH_EXPIRED, nothing made', { timeout: 120_000 }, async () => {
  const path = await create(1);
  const id = path.split('/')[2]!;
  // the worker has not started yet: age the stored token
  await service.store.update(id, (r) => ({ ...r, createTokenExpiresAt: new Date(Date.now() - 1000).toISOString() }));
  await service.startWorker();
  const attrs = await until(path, ['failed']);
  assert.equal(attrs.get('icclab.disco.reason'), 'AUTH_EXPIRED');
  assert.match(attrs.get('icclab.disco.message') ?? '', /nothing was made/);
  assert.equal((await os.heat.listStacks({ name: `disco-${id}` })).length, 0);
  assert.deepEqual(await os.keystone.findApplicationCredentials(await os.session.token(), `disco-${id}`), []);
  assert.equal((await api.delete(path).set(demo)).status, 200);
  for (let i = 0; i < 40 && (await api.get(path).set(demo)).status !== 404; i++) await sleep(250);
  assert.equal((await api.get(path).set(demo)).status, 404);
});

test('Heat fails the stack (no valid host): HEAT_CREATE_FAILED with Heat reason; a DELETE cut off between the credential and the record (a crash) finishes on the next run, leaving no stack', { timeout: 1_200_000 }, async () => {
  const path = await create(1, ', icclab.disco.components.heat.masterflavor="m1.unschedulable"');
  const id = path.split('/')[2]!;
  const attrs = await until(path, ['failed', 'ready']);
  assert.equal(attrs.get('icclab.disco.state'), 'failed');
  assert.equal(attrs.get('icclab.disco.reason'), 'HEAT_CREATE_FAILED');
  assert.equal(attrs.get('stack_status'), 'CREATE_FAILED');
  assert.match(attrs.get('icclab.disco.message') ?? '', /No valid host/);
  assert.equal(attrs.get('icclab.disco.message'), attrs.get('stack_status_reason'));
  assert.equal((await os.heat.listStacks({ name: `disco-${id}` })).length, 1, 'kept for inspection');

  // the crash: the record's delete fails once, after the stack and the credential are gone
  const store = service.store;
  const realDelete = store.delete.bind(store);
  let cut = 0;
  store.delete = async (x: string) => {
    if (x === id && cut++ === 0) throw new Error('killed before the record went');
    return realDelete(x);
  };
  try {
    assert.equal((await api.delete(path).set(demo)).status, 200);
    await waitForGone(os.heat, `disco-${id}`, 300_000);
    for (let i = 0; i < 120 && (await api.get(path).set(demo)).status !== 404; i++) await sleep(500);
    assert.equal(cut >= 1, true, 'the cut happened');
    assert.equal((await api.get(path).set(demo)).status, 404, 'the record went on the next run');
    assert.deepEqual(await os.keystone.findApplicationCredentials(await os.session.token(), `disco-${id}`), []);
  } finally { store.delete = realDelete; }
});
