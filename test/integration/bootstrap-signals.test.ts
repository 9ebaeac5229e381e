// Readiness is the nodes' word: on the local cloud, the cluster stays `installing` until
// the last node signals its wait condition (the test plays the nodes one by one), then is
// `ready`; a FAILURE from one worker (node-sim --fail) gives `failed` / BOOTSTRAP_FAILED
// naming the node and the framework, and a DELETE of it leaves nothing.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { adminCloud, listNodes, projectIds, signalNode, signalSection } from '../../scripts/local-cloud/node-sim-lib.js';
import { cloud } from '../helpers/cloud.js';
import { emptyLane, waitForGone } from '../helpers/heat.js';
import { startNodeSim } from '../helpers/node-sim.js';
import { icclabAttributes, inProcess, KIND_CATEGORY, passwordHeaders, textAttributes } from '../helpers/service.js';

/** This file's own project: it runs beside the others (test/run.ts). */
const LANE = 'signals';
// stacks an earlier, interrupted run left in this lane go first
before(() => emptyLane(cloud(LANE).heat));

const { service } = inProcess();
const api = request(service.app);
const demo = passwordHeaders(LANE);
const os = cloud(LANE);
const admin = adminCloud();
after(async () => { await service.close(); });

async function create(title: string, workers: number): Promise<string> {
  const r = await api.post('/disco/').set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi').set(demo)
    .set('X-OCCI-Attribute', `${icclabAttributes(workers)}, occi.core.title="${title}"`);
  assert.equal(r.status, 201, r.text);
  return new URL(r.headers.location as string).pathname;
}
const attrsOf = async (path: string) => textAttributes((await api.get(path).set(demo)).text);
async function until(path: string, ok: (a: Map<string, string>) => boolean, ms = 900_000): Promise<Map<string, string>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const a = await attrsOf(path);
    if (ok(a)) return a;
    if (Date.now() > deadline) throw new Error(`gave up: ${a.get('icclab.disco.state')} ${a.get('icclab.disco.progress')}`);
    await sleep(300);
  }
}
async function deleteAndCheck(path: string): Promise<void> {
  const id = path.split('/')[2]!;
  assert.equal((await api.delete(path).set(demo)).status, 200);
  await waitForGone(os.heat, `disco-${id}`, 300_000);
  for (let i = 0; i < 60 && (await api.get(path).set(demo)).status !== 404; i++) await sleep(500);
  assert.equal((await api.get(path).set(demo)).status, 404);
}

test('installing until the last node signals, then ready', { timeout: 1_200_000 }, async () => {
  await service.startWorker();
  const title = `signals-${process.pid}`;
  const path = await create(title, 2);
  let a = await until(path, (x) => x.get('icclab.disco.state') === 'installing');
  const sections = ['bootstrap', 'hadoop', 'jupyter', 'spark', 'zeppelin', 'bootstrap-post'];
  const progress = (installed: number, done: number[]) => `3/3 servers up, ${installed}/3 nodes installed; ${sections.map((x, i) => `${x} ${done[i]}/3`).join(', ')}`;
  a = await until(path, (x) => (x.get('icclab.disco.progress') ?? '').includes(';'));
  assert.equal(a.get('icclab.disco.progress'), progress(0, [0, 0, 0, 0, 0, 0]));
  const project = await projectIds(admin, [LANE]);
  const mine = async () => (await listNodes(admin, project)).filter((n) => n.name.startsWith(`${title}-`) && n.status === 'ACTIVE');
  let nodes = await mine();
  for (let i = 0; i < 40 && nodes.length < 3; i++) { await sleep(500); nodes = await mine(); }
  assert.deepEqual(nodes.map((n) => n.name).sort(), [`${title}-master`, `${title}-worker-0`, `${title}-worker-1`]);
  assert.deepEqual(nodes[0]!.sections, sections);

  // per-framework progress: the last node finished bootstrap and hadoop only
  for (const sec of ['bootstrap', 'hadoop']) assert.ok((await signalSection(nodes[2]!, sec, true)) < 300);
  a = await until(path, (x) => x.get('icclab.disco.progress') === progress(0, [1, 1, 0, 0, 0, 0]));
  for (const n of nodes.slice(0, 2)) assert.ok((await signalNode(n, true)).status < 300);
  a = await until(path, (x) => x.get('icclab.disco.progress') === progress(2, [3, 3, 2, 2, 2, 2]));
  await sleep(3000); // several polls later: still waiting for the last node
  a = await attrsOf(path);
  assert.equal(a.get('icclab.disco.state'), 'installing', 'two of three nodes are not enough');
  assert.equal(a.get('stack_status'), 'CREATE_IN_PROGRESS');

  assert.ok((await signalNode(nodes[2]!, true)).status < 300);
  a = await until(path, (x) => x.get('icclab.disco.state') !== 'installing');
  assert.equal(a.get('icclab.disco.state'), 'ready', a.get('icclab.disco.message'));
  assert.equal(a.get('icclab.disco.progress'), progress(3, [3, 3, 3, 3, 3, 3]));
  // no Jupyter password asked for: a generated token, shown to the owner only; Heat hides the nodes' secrets
  assert.match(a.get('icclab.disco.components.jupyter.token') ?? '', /^[0-9a-f]{48}$/);
  const listing = await api.get('/disco/').set(demo).set('Accept', 'application/occi+json');
  assert.ok(!listing.text.includes(a.get('icclab.disco.components.jupyter.token')!), 'not in listings');
  const stack = await os.heat.getStack(`disco-${path.split('/')[2]}`);
  assert.equal(stack.parameters.node_secrets, '******');
  await deleteAndCheck(path);
});

test("a worker's FAILURE: failed / BOOTSTRAP_FAILED naming node and framework", { timeout: 1_200_000 }, async () => {
  const title = `bootfail-${process.pid}`;
  const sim = await startNodeSim(['--project', LANE, '--fail', `${title}-worker-1`]);
  try {
    const path = await create(title, 2);
    const a = await until(path, (x) => ['failed', 'ready'].includes(x.get('icclab.disco.state') ?? ''));
    assert.equal(a.get('icclab.disco.state'), 'failed');
    assert.equal(a.get('icclab.disco.reason'), 'BOOTSTRAP_FAILED');
    assert.equal(a.get('icclab.disco.message'), `node ${title}-worker-1 failed to install hadoop: simulated failure (node-sim --fail)`);
    assert.ok(sim.lines.some((l) => l.includes(`${title}-worker-1: FAILURE (hadoop)`)), sim.lines.join('\n'));
    await deleteAndCheck(path);
  } finally {
    await sim.stop();
  }
});
