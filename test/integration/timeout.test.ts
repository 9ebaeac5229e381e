// A create whose nodes never signal (no node simulator runs here) becomes failed / TIMEOUT
// naming the install phase once the wait conditions time out (SM_INSTALL_TIMEOUT_MINUTES=1),
// and a DELETE of it leaves no stack.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import request from 'supertest';
import { cloud } from '../helpers/cloud.js';
import { waitForGone } from '../helpers/heat.js';
import { icclabAttributes, inProcess, KIND_CATEGORY, passwordHeaders, textAttributes } from '../helpers/service.js';

test('nodes that never signal: failed / TIMEOUT (install), and DELETE leaves no stack', { timeout: 400_000 }, async () => {
  const { service } = inProcess({ SM_INSTALL_TIMEOUT_MINUTES: '1' });
  await service.startWorker();
  const api = request(service.app);
  const demo = passwordHeaders('demo');
  try {
    const r = await api.post('/disco/').set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi').set(demo)
      .set('X-OCCI-Attribute', `${icclabAttributes(1)}, occi.core.title="silent-${process.pid}"`);
    assert.equal(r.status, 201, r.text);
    const path = new URL(r.headers.location as string).pathname;
    let a = new Map<string, string>();
    for (let i = 0; i < 600; i++) {
      a = textAttributes((await api.get(path).set(demo)).text);
      if (['failed', 'ready'].includes(a.get('icclab.disco.state') ?? '')) break;
      await sleep(500);
    }
    assert.equal(a.get('icclab.disco.state'), 'failed');
    assert.equal(a.get('icclab.disco.reason'), 'TIMEOUT');
    assert.match(a.get('icclab.disco.message') ?? '', /^install: not every node finished within 1 min/);
    assert.equal((await api.delete(path).set(demo)).status, 200);
    await waitForGone(cloud('demo').heat, `disco-${path.split('/')[2]}`, 180_000);
  } finally {
    await service.close();
  }
});
