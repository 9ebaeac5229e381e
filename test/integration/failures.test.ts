// Failures on the local cloud, one case per kind of Heat behaviour (the decisions around
// them are rows of test/unit/decide.test.ts): a create whose nodes never signal (Heat's
// WaitConditionTimeout) becomes failed / TIMEOUT naming the install phase, is kept for
// inspection, then deleted by the service, leaving no stack; a scale whose new worker fails (Heat's UPDATE_FAILED) goes back to the previous count and
// says why. The timers are seconds here; node-sim fails only the nodes these tests name.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { cloud } from '../helpers/cloud.js';
import { emptyLane, waitForGone } from '../helpers/heat.js';
import { startNodeSim, type RunningSim } from '../helpers/node-sim.js';
import { attributesWith, masterOnlyAttributes, inProcess, KIND_CATEGORY, passwordHeaders, textAttributes } from '../helpers/service.js';

/** This file's own project: it runs beside the others (test/run.ts). */
const LANE = 'failures';
// stacks an earlier, interrupted run left in this lane go first
before(() => emptyLane(cloud(LANE).heat));

const SILENT = `silent-${process.pid}`;
const FAIL_SCALE = `badscale-${process.pid}-worker-1`;
type Api = ReturnType<typeof request>;
const demo = passwordHeaders(LANE);
const os = cloud(LANE);
async function settle(api: Api, path: string, states: string[], ms = 900_000): Promise<Map<string, string>> {
  let a = new Map<string, string>();
  for (const end = Date.now() + ms; Date.now() < end;) {
    a = textAttributes((await api.get(path).set(demo)).text);
    if (states.includes(a.get('icclab.disco.state') ?? '')) return a;
    await sleep(500);
  }
  throw new Error(`gave up waiting for ${states.join('|')}: ${a.get('icclab.disco.state')} ${a.get('icclab.disco.message')}`);
}
async function create(api: Api, title: string, workers: number): Promise<string> {
  const r = await api.post('/disco/').set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi').set(demo)
    .set('X-OCCI-Attribute', `${attributesWith(workers, 'jupyter')}, occi.core.title="${title}"`);
  assert.equal(r.status, 201, r.text);
  return new URL(r.headers.location as string).pathname;
}

// one node-sim for both cases, which run side by side: it stays silent for the first, fails
// the node the other names
let sim: RunningSim;
describe('failures on the local cloud', { concurrency: 2 }, () => {
  before(async () => { sim = await startNodeSim(['--project', LANE, '--silent', `${SILENT}-*`, '--fail', FAIL_SCALE]); });
  after(async () => { await sim.stop(); });

  it('nodes that never signal: failed / TIMEOUT (install); kept for inspection SM_FAILED_RETENTION_SECONDS (8), then deleted', { timeout: 1_200_000 }, async () => {
    const { service } = inProcess({ SM_INSTALL_TIMEOUT_SECONDS: '15', SM_FAILED_RETENTION_SECONDS: '8' });
    await service.startWorker();
    const api = request(service.app);
    try {
      const r = await api.post('/disco/').set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi').set(demo)
        .set('X-OCCI-Attribute', `${masterOnlyAttributes()}, occi.core.title="${SILENT}"`); // a master that never signals is enough
      assert.equal(r.status, 201, r.text);
      const path = new URL(r.headers.location as string).pathname;
      const a = await settle(api, path, ['failed', 'ready']);
      const failedAt = Date.now();
      assert.equal(a.get('icclab.disco.state'), 'failed');
      assert.equal(a.get('icclab.disco.reason'), 'TIMEOUT');
      assert.match(a.get('icclab.disco.message') ?? '', /^install: not every node finished within 15 s \(SM_INSTALL_TIMEOUT_SECONDS\): .*WaitConditionTimeout/);
      // kept for inspection meanwhile, then deleted by the service (no DELETE from here)
      assert.equal((await os.heat.getStack(`disco-${path.split('/')[2]}`, { outputs: false })).status, 'CREATE_FAILED');
      await waitForGone(os.heat, `disco-${path.split('/')[2]}`, 300_000);
      assert.ok(Date.now() - failedAt >= 7_000, 'not before the retention time');
      for (let i = 0; i < 60 && (await api.get(path).set(demo)).status !== 404; i++) await sleep(500);
      assert.equal((await api.get(path).set(demo)).status, 404);
    } finally {
      await service.close();
    }
  });

  it('a scale whose new worker fails goes back to the previous count and says why', { timeout: 1_200_000 }, async () => {
    const { service } = inProcess();
    await service.startWorker();
    const api = request(service.app);
    try {
      const title = FAIL_SCALE.replace(/-worker-1$/, '');
      const path = await create(api, title, 1);
      await settle(api, path, ['ready']);
      const up = await api.post(path).set('Content-Type', 'text/occi').set(demo).set('X-OCCI-Attribute', 'icclab.disco.components.heat.slavecount=2');
      assert.equal(up.status, 200, up.text);
      // updating, failing, back to 1 worker: ready again with the reason
      let a = await settle(api, path, ['updating']);
      for (const end = Date.now() + 900_000; Date.now() < end; await sleep(500)) {
        a = textAttributes((await api.get(path).set(demo)).text);
        if (a.get('icclab.disco.state') === 'ready' && /failed/.test(a.get('icclab.disco.message') ?? '')) break;
        assert.notEqual(a.get('icclab.disco.state'), 'failed', a.get('icclab.disco.message'));
      }
      assert.equal(a.get('icclab.disco.state'), 'ready');
      assert.equal(a.get('icclab.disco.components.heat.slavecount'), '1');
      assert.match(a.get('icclab.disco.message') ?? '', new RegExp(`^scale to 2 workers failed \\(.*${FAIL_SCALE}.*\\); back to 1 workers$`));
      const stack = await os.heat.getStack(`disco-${path.split('/')[2]}`);
      const servers = (await os.heat.resources(stack, { nestedDepth: 2 })).filter((x) => x.type === 'OS::Nova::Server');
      assert.equal(servers.length, 2, 'the master and one worker');
      assert.equal((await api.delete(path).set(demo)).status, 200);
      await waitForGone(os.heat, stack.name, 300_000);
    } finally {
      await service.close();
    }
  });
});
