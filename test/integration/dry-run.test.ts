// The plan (icclab.disco.dryrun=true) on the local cloud: frameworks in order, template,
// security rules, Heat's validation and quota headroom, and nothing made. Every
// dependency-closed subset of the frameworks renders a template Heat accepts.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import request from 'supertest';
import type { Plan } from '../../src/service/plan.js';
import { cloud } from '../helpers/cloud.js';
import { icclabAttributes, inProcess, KIND_CATEGORY, passwordHeaders } from '../helpers/service.js';

const open = inProcess({ SM_ACCESS_CIDR: '198.51.100.0/24' });
const closed = inProcess();
const demo = passwordHeaders('demo');
const os = cloud('demo');
after(async () => { await open.service.close(); await closed.service.close(); });

const dryRun = (app: typeof open, attrs: string) => request(app.service.app).post('/disco/')
  .set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi').set(demo)
  .set('X-OCCI-Attribute', `${attrs}, icclab.disco.dryrun=true`);
const withInject = (inject: string, workers = 3) => icclabAttributes(workers).replace(/inject="[^"]*"/, `inject="${inject}"`);

test('a dry run returns the plan and makes nothing', { timeout: 60_000 }, async () => {
  const r = await dryRun(open, withInject("{'spark':''}", 2));
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers['content-type'] as string, /^application\/json/);
  const plan = JSON.parse(r.text) as Plan;
  assert.deepEqual(plan.frameworks.map((f) => f.name), ['bootstrap', 'hadoop', 'spark']);
  assert.deepEqual(plan.frameworks[1]!.properties, { replication: 2, reserved_disk_gb: 2 });
  assert.equal(plan.validation.ok, true, JSON.stringify(plan.validation));
  assert.equal(plan.quota.fits, true);
  assert.deepEqual(plan.quota.needed, { instances: 3, cores: 3, ramMb: 192, floatingIps: 1, networks: 1, routers: 1, securityGroups: 1 });
  assert.equal(plan.parameters.worker_count, 2);
  // SSH and the gateway open to the configured CIDR only; every other port (a UI's own among
  // them) only inside the group
  const ui = plan.security_rules.find((x) => x.portMin === 9870)!;
  assert.deepEqual([ui.audience, ui.remote], ['cluster', 'cluster']);
  const gateway = plan.security_rules.find((x) => x.portMin === 19870)!;
  assert.deepEqual([gateway.audience, gateway.remote], ['public', '198.51.100.0/24']);
  assert.equal(plan.security_rules.find((x) => x.portMin === 8020)!.remote, 'cluster');
  const resources = (plan.template as { resources: Record<string, { type: string; properties: Record<string, unknown> }> }).resources;
  const opened = Object.values(resources).filter((x) => x.type === 'OS::Neutron::SecurityGroupRule');
  assert.deepEqual(opened.map((x) => x.properties.port_range_min).sort((a, b) => Number(a) - Number(b)), [22, 8443, 18088, 19870, 28080]);
  assert.ok(opened.every((x) => x.properties.remote_ip_prefix === '198.51.100.0/24'));
  assert.ok(!r.text.includes('0.0.0.0/0'));
  // nothing made: no stack (of this plan: other files make stacks in demo meanwhile), no record
  const name = String(plan.parameters.cluster_name);
  assert.match(name, /^disco-[0-9a-f]{8}$/);
  assert.deepEqual((await os.heat.listStacks()).filter((s) => s.name.startsWith(name)), []);
  assert.ok(!(await request(open.service.app).get('/disco/').set(demo)).text.includes('X-OCCI-Location'));
});

test('without an access CIDR nothing is opened to the outside', async () => {
  const plan = JSON.parse((await dryRun(closed, withInject('jupyter', 1))).text) as Plan;
  assert.ok(plan.security_rules.filter((x) => x.audience === 'public').every((x) => x.remote === null));
  const resources = Object.values((plan.template as { resources: Record<string, { type: string }> }).resources);
  assert.equal(resources.filter((x) => x.type === 'OS::Neutron::SecurityGroupRule').length, 0);
});

test('more cores than the quota allows is refused with the numbers', async () => {
  const r = await dryRun(open, withInject('', 5).replace(/slaveflavor="[^"]*"/, 'slaveflavor="m1.large"'));
  assert.equal(r.status, 400);
  // 1 core for the m1.tiny master, 4 for each of 5 m1.large workers: 21 > Nova's default 20;
  // RAM (64 + 5 x 8192 = 41024 MB of 51200) and instances (6 of 30) would fit
  // (other files' clusters in the demo project may leave fewer instances too: named first)
  assert.match(r.text, /^icclab\.disco\.components\.heat\.slavecount: the project's quota cannot hold this cluster: (\d+ instances needed, \d+ left; )?21 cores needed, \d+ left[.;] /);
});

test('every dependency-closed subset of the frameworks renders a template Heat accepts', { timeout: 120_000 }, async () => {
  const chains = [[], ['hadoop'], ['hadoop', 'spark'], ['hadoop', 'spark', 'zeppelin']];
  let n = 0;
  for (const disco of [false, true]) {
    for (const jupyter of [false, true]) {
      for (const chain of chains) {
        const names = [...chain, ...(disco ? ['disco'] : []), ...(jupyter ? ['jupyter'] : [])];
        const r = await dryRun(open, withInject(names.join(',')));
        assert.equal(r.status, 200, `${names.join(',')}: ${r.text}`);
        const plan = JSON.parse(r.text) as Plan;
        assert.equal(plan.validation.ok, true, `${names.join(',')}: ${JSON.stringify(plan.validation)}`);
        assert.deepEqual(plan.frameworks.map((f) => f.name).sort(), ['bootstrap', ...names].sort());
        n++;
      }
    }
  }
  assert.equal(n, 16);
});
