// Nova flavors and quota headroom, Glance images, Neutron networks and quotas on the
// local cloud. The expected flavor figures are the ones scripts/local-cloud/stages/seed.sh
// creates; the quota limits are the services' documented defaults.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotFoundError } from '../../src/openstack/index.js';
import { cloud, cloudEnv } from '../helpers/cloud.js';

const env = cloudEnv();
const os = cloud('demo');

test('flavors by name and by id', async () => {
  const byName = await os.nova.flavor('m1.tiny');
  assert.deepEqual({ id: byName.id, vcpus: byName.vcpus, ramMb: byName.ramMb, diskGb: byName.diskGb },
    { id: '1', vcpus: 1, ramMb: 64, diskGb: 1 });
  assert.deepEqual(await os.nova.flavor('1'), byName);
  const large = await os.nova.flavor('m1.large');
  assert.deepEqual([large.vcpus, large.ramMb, large.diskGb], [4, 8192, 80]);
  await assert.rejects(os.nova.flavor('m1.nonesuch'),
    (e: unknown) => e instanceof NotFoundError && /m1\.nonesuch/.test(e.message) && e.service === 'nova');
});

test('compute quota headroom', async () => {
  const h = await os.nova.headroom();
  // Nova's default cores and RAM (20, 50 GiB); 30 instances, as scripts/local-cloud's seed sets them
  assert.deepEqual(h.limits, { instances: 30, cores: 20, ramMb: 51200 });
  assert.equal(h.instances, h.limits.instances - h.used.instances);
  assert.equal(h.cores, h.limits.cores - h.used.cores);
  assert.equal(h.ramMb, h.limits.ramMb - h.used.ramMb);
});

test('images by name and by id', async () => {
  const img = await os.glance.image(env.LOCAL_CLOUD_IMAGE);
  assert.equal(img.name, env.LOCAL_CLOUD_IMAGE);
  assert.equal(img.status, 'active');
  assert.deepEqual(await os.glance.image(img.id), img);
  await assert.rejects(os.glance.image('no-such-image'), NotFoundError);
  await assert.rejects(os.glance.image('00000000-0000-0000-0000-000000000000'), NotFoundError);
});

test('external networks and network quotas', async () => {
  const ext = await os.neutron.networks({ external: true });
  assert.ok(ext.some((n) => n.name === env.LOCAL_CLOUD_EXTERNAL_NETWORK && n.external));
  assert.ok(ext.every((n) => n.external));
  const pub = await os.neutron.network(env.LOCAL_CLOUD_EXTERNAL_NETWORK);
  assert.equal(pub.external, true);
  assert.equal(pub.subnets.length, 1);
  assert.deepEqual(await os.neutron.network(pub.id), pub);
  await assert.rejects(os.neutron.network('no-such-network'), NotFoundError);

  const project = (await os.session.token()).project!.id;
  const q = await os.neutron.quotas(project);
  // Neutron's default for floating IPs; 20 routers, as scripts/local-cloud's seed sets them
  assert.equal(q.floatingip.limit, 50);
  assert.equal(q.router.limit, 20);
  assert.equal(q.floatingip.headroom, 50 - q.floatingip.used - q.floatingip.reserved);
});
