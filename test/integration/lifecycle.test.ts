// Cluster lifecycle on the local cloud (node-sim plays the nodes): suspend then resume with
// Heat following, and the events of that cluster's create, suspend, resume and delete, in
// order; a disposable cluster (lifetime 20 s) deleted once it passed, also across a restart of
// the service; lifetime and deadline; scale 2 -> 4 -> 1; drains; impossible scales.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { cloud } from '../helpers/cloud.js';
import { emptyLane, waitForGone } from '../helpers/heat.js';
import { startNodeSim, type RunningSim } from '../helpers/node-sim.js';
import { attributesWith, icclabAttributes, inProcess, KIND_CATEGORY, passwordHeaders, testEnv, textAttributes } from '../helpers/service.js';

/** This file's own project: it runs beside the others (test/run.ts). */
const LANE = 'lifecycle';
// stacks an earlier, interrupted run left in this lane go first
before(() => emptyLane(cloud(LANE).heat));

const demo = passwordHeaders(LANE);
const os = cloud(LANE);
const ACTION = (term: string) => `${term}; scheme="http://schemas.cloudcomplab.ch/occi/sm/action#"; class="action"`;
let sim: RunningSim;

type Api = ReturnType<typeof request>;
/** A cluster of the ICCLab README's request, with `o.inject` instead of its frameworks when given. */
async function create(api: Api, title: string, o: { extra?: string; inject?: string; workers?: number } = {}): Promise<string> {
  const attrs = o.inject ? attributesWith(o.workers ?? 1, o.inject) : icclabAttributes(o.workers ?? 1);
  const r = await api.post('/disco/').set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi').set(demo)
    .set('X-OCCI-Attribute', `${attrs}, occi.core.title="${title}"${o.extra ?? ''}`);
  assert.equal(r.status, 201, r.text);
  return new URL(r.headers.location as string).pathname;
}
const attrsOf = async (api: Api, path: string) => textAttributes((await api.get(path).set(demo)).text);
async function until(api: Api, path: string, state: string, ms = 900_000): Promise<Map<string, string>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const a = await attrsOf(api, path);
    if (a.get('icclab.disco.state') === state) return a;
    if (a.get('icclab.disco.state') === 'failed') throw new Error(`failed: ${a.get('icclab.disco.message')}`);
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${state}: ${a.get('icclab.disco.state')}`);
    await sleep(300);
  }
}
const stackOf = (path: string) => `disco-${path.split('/')[2]}`;

// the tests run side by side (each its own clusters, in this file's project)
describe('lifecycle on the local cloud', { concurrency: 3 }, () => {
  // the masters of clusters titled dfail-* answer their drain with drain_error
  before(async () => { sim = await startNodeSim(['--project', LANE, '--drain-fail', 'dfail-*']); });
  after(async () => { await sim.stop(); });

  it('suspend then resume, then delete: Heat follows, runstate follows; the events of it all in time order, paged, served without a call to OpenStack', { timeout: 1_200_000 }, async () => {
    const env = testEnv();
    const { service } = inProcess(env);
    await service.startWorker();
    const api = request(service.app);
    // an API-only process on the same store: what it answers can only come from the record
    const reader = inProcess(env).service;
    const read = request(reader.app);
    try {
      const path = await create(api, `susp-${process.pid}`);
      await until(api, path, 'ready');
      // the action (202, the record already says updating) ...
      const s = await api.post(`${path}?action=suspend`).set('Category', ACTION('suspend')).set(demo);
      assert.equal(s.status, 202, s.text);
      assert.equal(textAttributes(s.text).get('icclab.disco.state'), 'updating');
      let a = await until(api, path, 'suspended');
      assert.equal(a.get('runstate'), 'suspended');
      assert.equal((await os.heat.getStack(stackOf(path), { outputs: false })).status, 'SUSPEND_COMPLETE');
      // suspending a suspended cluster changes nothing
      assert.equal((await api.post(`${path}?action=suspend`).set('Category', ACTION('suspend')).set(demo)).status, 202);
      assert.equal((await attrsOf(api, path)).get('icclab.disco.state'), 'suspended');
      // ... and the old attribute form of ICCLab's clients
      const r = await api.post(path).set('Content-Type', 'text/occi').set(demo).set('X-OCCI-Attribute', 'action="resume"');
      assert.equal(r.status, 200, r.text);
      a = await until(api, path, 'ready');
      assert.equal(a.get('runstate'), 'running');
      assert.equal((await os.heat.getStack(stackOf(path), { outputs: false })).status, 'RESUME_COMPLETE');
      assert.equal((await api.delete(path).set(demo)).status, 200);
      type Ev = { id: string; time: string; source: string; state?: string; status?: string; resource?: string; node?: string; framework?: string };
      let events: Ev[] = [];
      for (let i = 0; i < 1200; i++) {
        const r = await read.get(`${path}/events`).set(demo);
        if (r.status !== 200) break;
        events = (r.body as { events: Ev[] }).events;
        if (events.some((e) => e.source === 'heat' && e.status === 'DELETE_IN_PROGRESS')) break;
        await sleep(250);
      }
      // pages of 7 (limit, then the marker of the last one seen) add up to the whole list
      const paged: Ev[] = [];
      for (let marker: string | undefined, n = 0; n < 50; n++) {
        const r = await read.get(`${path}/events`).query({ limit: 7, ...(marker ? { marker } : {}) }).set(demo);
        assert.equal(r.status, 200, r.text);
        const page = r.body as { events: Ev[]; next?: string };
        assert.ok(page.events.length <= 7);
        paged.push(...page.events);
        if (!page.next) break;
        marker = page.next;
      }
      assert.deepEqual(paged.map((e) => e.id), events.slice(0, paged.length).map((e) => e.id));
      assert.ok(paged.length >= events.length, 'every event reached through the pages');
      assert.equal((await read.get(`${path}/events`).query({ limit: 0 }).set(demo)).status, 400);
      assert.equal((await read.get(`${path}/events`).query({ marker: 'no-such-event' }).set(demo)).status, 400);
      const calls = await reader.metrics.registry.getSingleMetricAsString('disco_sm_openstack_request_seconds');
      assert.deepEqual(calls.split('\n').filter((l) => /_count\{/.test(l) && !/service="(identity|keystone)"/.test(l)), [],
        'reading events asked OpenStack nothing but Keystone (the caller\'s login)');
      const times = events.map((e) => Date.parse(e.time));
      assert.deepEqual(times, [...times].sort((x, y) => x - y), 'oldest first');
      // installing lasts from the last server up to the last signal: a look may fall outside it
      // (in order; a reconcile pass already under way when an action came may add a state
      // between, which the next pass corrects)
      const states = events.filter((e) => e.source === 'service' && e.state !== 'installing').map((e) => e.state);
      const want = ['pending', 'deploying', 'ready', 'updating', 'suspended', 'updating', 'ready', 'deleting'];
      assert.equal(want.reduce((i, x) => (i < 0 ? i : states.indexOf(x, i) + 1 || -1), 0) > 0, true, `${want.join(', ')} in order in: ${states.join(', ')}`);
      assert.equal(states[0], 'pending');
      assert.equal(states.at(-1), 'deleting');
      // Heat's times have whole seconds: across sources, order is only defined to the second
      const second = (p: (e: Ev) => boolean) => {
        const e = events.find(p);
        assert.ok(e, JSON.stringify(events.map((x) => [x.source, x.state ?? x.status, x.resource ?? x.node])));
        return Math.floor(Date.parse(e.time) / 1000);
      };
      const created = second((e) => e.source === 'heat' && e.resource === stackOf(path) && e.status === 'CREATE_IN_PROGRESS');
      const signal = second((e) => e.source === 'node' && e.framework === 'bootstrap');
      const ready = second((e) => e.state === 'ready');
      const deleting = second((e) => e.state === 'deleting');
      const deleteStarted = second((e) => e.source === 'heat' && e.status === 'DELETE_IN_PROGRESS');
      assert.ok(created <= signal && signal <= ready && ready <= deleting && deleting <= deleteStarted,
        JSON.stringify({ created, signal, ready, deleting, deleteStarted }));
      const heat = events.filter((e) => e.source === 'heat' && e.resource === stackOf(path)).map((e) => e.status);
      assert.deepEqual(heat, ['CREATE_IN_PROGRESS', 'CREATE_COMPLETE', 'SUSPEND_IN_PROGRESS', 'SUSPEND_COMPLETE', 'RESUME_IN_PROGRESS', 'RESUME_COMPLETE', 'DELETE_IN_PROGRESS'],
        'the stack: created, suspended, resumed, then deleted');
      // every node signalled every section
      assert.equal(events.filter((e) => e.source === 'node').length, 2 * 6);
      await waitForGone(os.heat, stackOf(path), 300_000);
    } finally {
      await reader.close();
      await service.close();
    }
  });

  it('lifetime 20 s: deleted by the service once it passed, by a process started after the first one stopped', { timeout: 1_200_000 }, async () => {
    const env = testEnv();
    const first = inProcess(env);
    await first.service.startWorker();
    let api = request(first.service.app);
    // a master only: what expires is the record's lifetime, whatever the cluster's size
    const path = await create(api, `life-${process.pid}`, { inject: "{'jupyter':''}", workers: 0, extra: ', icclab.disco.lifetime="20"' });
    const a = await until(api, path, 'ready');
    const readyAt = Date.now();
    const expires = Date.parse(a.get('icclab.disco.expires_at') ?? '');
    // ready was seen up to a poll after it happened
    assert.ok(expires - readyAt > 10_000 && expires - readyAt <= 20_500, `expires_at ${a.get('icclab.disco.expires_at')} is 20 s after ready`);
    await first.service.close();
    const second = inProcess(env); // same data directory: the record and its expiry survive
    await second.service.startWorker();
    api = request(second.service.app);
    try {
      // the record says when and why it went: deleting by the service, not before the expiry, promptly after it
      let deleting: { time: string; message?: string } | undefined;
      for (let i = 0; i < 300 && !deleting; i++) {
        const r = await api.get(`${path}/events`).set(demo);
        deleting = (r.body as { events?: { time: string; state?: string; message?: string }[] }).events?.find((e) => e.state === 'deleting');
        if (!deleting) await sleep(200);
      }
      assert.ok(deleting, 'deleted by the service');
      assert.equal(deleting.message, 'deleted by the service: its lifetime of 20 s from ready passed');
      const at = Date.parse(deleting.time);
      assert.ok(at >= expires, `not before its expiry (${deleting.time} vs ${new Date(expires).toISOString()})`);
      assert.ok(at - expires < 20_000, `within 20 s of its expiry (${deleting.time})`);
      // then Heat's delete takes what it takes on a busy cloud
      await waitForGone(os.heat, stackOf(path), 300_000);
      for (let i = 0; i < 60 && (await api.get(path).set(demo)).status !== 404; i++) await sleep(500);
      assert.equal((await api.get(path).set(demo)).status, 404);
    } finally {
      await second.service.close();
    }
  });

  it('lifetime and deadline: checked, changed by a partial update, cleared with "none"', { timeout: 200_000 }, async () => {
    const { service } = inProcess();
    const api = request(service.app);
    try {
      const bad = await api.post('/disco/').set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi').set(demo)
        .set('X-OCCI-Attribute', `${icclabAttributes(1)}, icclab.disco.deadline="tomorrow"`);
      assert.equal(bad.status, 400);
      assert.match(bad.text, /icclab\.disco\.deadline.*ISO 8601/);
      const path = await create(api, `dead-${process.pid}`);
      const deadline = new Date(Date.now() + 3_600_000).toISOString();
      const u = await api.post(path).set('Content-Type', 'text/occi').set(demo).set('X-OCCI-Attribute', `icclab.disco.deadline="${deadline}"`);
      assert.equal(u.status, 200, u.text);
      assert.equal((await attrsOf(api, path)).get('icclab.disco.expires_at'), deadline);
      const past = await api.post(path).set('Content-Type', 'text/occi').set(demo).set('X-OCCI-Attribute', 'icclab.disco.deadline="2001-01-01T00:00:00Z"');
      assert.equal(past.status, 400);
      assert.match(past.text, /a time in the future/);
      await api.post(path).set('Content-Type', 'text/occi').set(demo).set('X-OCCI-Attribute', 'icclab.disco.deadline="none"');
      assert.equal((await attrsOf(api, path)).get('icclab.disco.expires_at'), undefined);
      assert.equal((await api.delete(path).set(demo)).status, 200);
      await service.startWorker();
      await waitForGone(os.heat, stackOf(path), 300_000);
    } finally {
      await service.close();
    }
  });

  /** Worker servers Heat holds for the cluster (nested two levels: group -> node -> server). */
  async function workerServers(path: string): Promise<number> {
    const stack = await os.heat.getStack(stackOf(path));
    const res = await os.heat.resources(stack, { nestedDepth: 2 });
    return res.filter((x) => x.type === 'OS::Nova::Server' && x.status !== 'DELETE_COMPLETE').length - 1;
  }

  it('scale 2 -> 4 -> 1: each step ends ready with exactly that many worker servers in Heat', { timeout: 1_200_000 }, async () => {
    const { service } = inProcess();
    await service.startWorker();
    const api = request(service.app);
    try {
      const path = await create(api, `scale-${process.pid}`, { inject: 'jupyter', workers: 2 });
      await until(api, path, 'ready');
      assert.equal(await workerServers(path), 2);
      // the action ...
      const up = await api.post(`${path}?action=scale`).set('Category', ACTION('scale')).set('Content-Type', 'text/occi').set(demo)
        .set('X-OCCI-Attribute', 'icclab.disco.components.heat.slavecount=4');
      assert.equal(up.status, 202, up.text);
      const during = textAttributes(up.text);
      assert.equal(during.get('icclab.disco.state'), 'updating');
      assert.equal(during.get('icclab.disco.components.heat.slavecount'), '4');
      let a = await until(api, path, 'ready');
      assert.equal(await workerServers(path), 4);
      assert.equal(a.get('icclab.disco.progress')?.startsWith('5/5 servers up, 5/5 nodes installed'), true, a.get('icclab.disco.progress'));
      // ... and the partial update
      const down = await api.post(path).set('Content-Type', 'text/occi').set(demo).set('X-OCCI-Attribute', 'icclab.disco.components.heat.slavecount=1');
      assert.equal(down.status, 200, down.text);
      a = await until(api, path, 'ready');
      assert.equal(await workerServers(path), 1);
      assert.equal(a.get('icclab.disco.components.heat.slavecount'), '1');
      assert.equal((await api.delete(path).set(demo)).status, 200);
      await waitForGone(os.heat, stackOf(path), 300_000);
    } finally {
      await service.close();
    }
  });

  it('a scale-down of a cluster that drains: the workers go once the master said done; a drain that failed removes none and says why; an impossible scale is a 400 and changes nothing', { timeout: 1_200_000 }, async () => {
    const { service } = inProcess();
    await service.startWorker();
    const api = request(service.app);
    const hadoop = { inject: 'hadoop', workers: 2, extra: ', icclab.disco.components.hadoop.replication="1"' };
    const down = (path: string) => api.post(path).set('Content-Type', 'text/occi').set(demo).set('X-OCCI-Attribute', 'icclab.disco.components.heat.slavecount=1');
    const drainOf = async (path: string) => (await os.heat.resources(await os.heat.getStack(stackOf(path)))).find((x) => x.name === 'drain')?.status;
    try {
      const [ok, bad] = await Promise.all([create(api, `drain-${process.pid}`, hadoop), create(api, `dfail-${process.pid}`, hadoop)]);
      await Promise.all([until(api, ok, 'ready'), until(api, bad, 'ready')]);
      assert.equal(await drainOf(ok), 'CREATE_COMPLETE', 'the drain deployment is made with the cluster, without waiting for the master');
      for (const p of [ok, bad]) assert.equal((await down(p)).status, 200);
      const [a, b] = await Promise.all([until(api, ok, 'ready'), (async () => {
        // the failed drain's rollback also ends ready: wait for the message that says so
        const deadline = Date.now() + 300_000;
        for (;;) {
          const x = await attrsOf(api, bad);
          if (x.get('icclab.disco.state') === 'ready' && x.get('icclab.disco.message')) return x;
          assert.ok(Date.now() < deadline, `no failed scale reported: ${x.get('icclab.disco.state')}`);
          await sleep(500);
        }
      })()]);
      // drained (node-sim answered for the master), then the worker removed
      assert.equal(a.get('icclab.disco.components.heat.slavecount'), '1');
      assert.equal(await workerServers(ok), 1);
      assert.equal(await drainOf(ok), 'UPDATE_COMPLETE');
      // an impossible scale of it (below what a framework needs, over quota) is a 400 and changes nothing
      const scale = (n: number) => api.post(`${ok}?action=scale`).set('Category', ACTION('scale')).set('Content-Type', 'text/occi').set(demo)
        .set('X-OCCI-Attribute', `icclab.disco.components.heat.slavecount=${n}`);
      const before = await attrsOf(api, ok);
      const hdfs = await scale(0);
      assert.equal(hdfs.status, 400, hdfs.text);
      assert.match(hdfs.text, /icclab\.disco\.components\.hadoop\.replication: HDFS needs at least one worker/);
      const quota = await scale(20);
      assert.equal(quota.status, 400, quota.text);
      assert.match(quota.text, /quota cannot hold this cluster: .*instances needed/);
      const after = await attrsOf(api, ok);
      for (const k of ['icclab.disco.state', 'icclab.disco.components.heat.slavecount', 'stack_status', 'icclab.disco.updated_at']) {
        assert.equal(after.get(k), before.get(k), k);
      }
      assert.equal(await workerServers(ok), 1);
      // refused: nothing removed, the count back, the master's reason quoted
      assert.equal(b.get('icclab.disco.components.heat.slavecount'), '2');
      assert.equal(await workerServers(bad), 2);
      assert.equal(b.get('icclab.disco.message'),
        'scale to 1 workers failed: the master could not drain the leaving workers: simulated drain failure (node-sim --drain-fail); back to 2 workers');
      for (const p of [ok, bad]) assert.equal((await api.delete(p).set(demo)).status, 200);
      await Promise.all([ok, bad].map((p) => waitForGone(os.heat, stackOf(p), 300_000)));
    } finally {
      await service.close();
    }
  });
});
