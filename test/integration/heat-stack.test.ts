// A whole cluster-shaped stack through the client on the local cloud: create, outputs,
// nested resources, events, PATCH update of the worker count, suspend/resume, delete.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { NotFoundError, type StackRef } from '../../src/openstack/index.js';
import { generateSshKeyPair } from '../../src/crypto/ssh-keypair.js';
import { cloud, cloudEnv } from '../helpers/cloud.js';
import { cleanupStacks, fixture, testStackName, waitForGone, waitForStatus } from '../helpers/heat.js';

const os = cloud('demo');
const name = testStackName('cluster');
let ref: StackRef | undefined;

before(async () => { await cleanupStacks(os.heat); });
after(async () => {
  if (!ref) return;
  await os.heat.deleteStack(ref).catch(() => undefined);
  await waitForGone(os.heat, name, 120_000, { redelete: true }).catch(() => undefined);
});

const servers = async (r: StackRef) => (await os.heat.resources(r, { nestedDepth: 2 }))
  .filter((x) => x.type === 'OS::Nova::Server');

test('a cluster stack reaches CREATE_COMPLETE and its outputs are read', { timeout: 1_200_000 }, async () => {
  const env = cloudEnv();
  const keys = generateSshKeyPair(name);
  ref = await os.heat.createStack(name, {
    template: fixture('cluster-net.yaml'),
    parameters: { image: env.LOCAL_CLOUD_IMAGE, flavor: env.LOCAL_CLOUD_FLAVOR,
      external_network: env.LOCAL_CLOUD_EXTERNAL_NETWORK, worker_count: 2,
      ssh_public_key: keys.publicKey },
    timeoutMins: 10,
    tags: ['ostest'],
  });
  assert.match(ref.id, /^[0-9a-f-]{36}$/);
  const stack = await waitForStatus(os.heat, ref, 'CREATE_COMPLETE');
  assert.equal(stack.name, name);
  assert.deepEqual(stack.outputErrors, {});

  // the external subnet of the local cloud is 192.0.2.0/24, the private one 192.168.19.0/24
  assert.match(String(stack.outputs.external_ip), /^192\.0\.2\.\d+$/);
  assert.match(String(stack.outputs.master_ip), /^192\.168\.19\.\d+$/);
  assert.equal(stack.outputs.ssh_public_key, keys.publicKey, 'Nova holds the key pair whose private half we keep');
  const workerIps = stack.outputs.worker_ips as string[];
  assert.equal(workerIps.length, 2);
  for (const ip of workerIps) assert.match(ip, /^192\.168\.19\.\d+$/);

  // the same values through the outputs API
  assert.deepEqual((await os.heat.outputKeys(ref)).sort(),
    ['external_ip', 'master_ip', 'ssh_public_key', 'worker_ips']);
  assert.equal(await os.heat.output(ref, 'external_ip'), stack.outputs.external_ip);

  // without resolving the outputs (what the reconciler's polls ask for): the same stack, no outputs
  const bare = await os.heat.getStack(ref, { outputs: false });
  assert.deepEqual([bare.id, bare.status, bare.outputs], [ref.id, 'CREATE_COMPLETE', {}]);

  // by name (Heat redirects to the id) and in the list
  assert.equal((await os.heat.getStack(name)).id, ref.id);
  assert.ok((await os.heat.listStacks({ name })).some((s) => s.id === ref!.id));

  const all = await servers(ref);
  assert.equal(all.length, 3, 'one master and two workers');
  assert.ok(all.every((s) => s.status === 'CREATE_COMPLETE'));
  assert.ok(all.some((s) => s.stackId !== ref!.id), 'workers live in the nested ResourceGroup stack');

  const events = await os.heat.events(ref, { nestedDepth: 2 });
  assert.ok(events.some((e) => e.resourceName === name && e.status === 'CREATE_COMPLETE'));
  assert.ok(events.some((e) => e.resourceName === 'workers' && e.status === 'CREATE_COMPLETE'));
});

test('a PATCH update changes the worker count to 1', { timeout: 1_200_000 }, async () => {
  assert.ok(ref, 'the create test ran first');
  await os.heat.patchStack(ref, { parameters: { worker_count: 1 } });
  const stack = await waitForStatus(os.heat, ref, 'UPDATE_COMPLETE');
  assert.equal((stack.outputs.worker_ips as string[]).length, 1);
  assert.equal(stack.parameters.worker_count, '1');
  assert.equal((await servers(ref)).length, 2, 'master and one worker');
});

test('suspend and resume', { timeout: 1_200_000 }, async () => {
  assert.ok(ref);
  await os.heat.suspend(ref);
  await waitForStatus(os.heat, ref, 'SUSPEND_COMPLETE');
  await os.heat.resume(ref);
  await waitForStatus(os.heat, ref, 'RESUME_COMPLETE');
});

test('delete reaches DELETE_COMPLETE, then a get is a typed 404', { timeout: 1_200_000 }, async () => {
  assert.ok(ref);
  await os.heat.deleteStack(ref);
  await waitForStatus(os.heat, ref, 'DELETE_COMPLETE').catch((e: unknown) => {
    // the stack may be gone before we look at it
    if (!(e instanceof NotFoundError)) throw e;
  });
  const gone = await waitForGone(os.heat, name);
  assert.ok(gone instanceof NotFoundError);
  assert.equal(gone.code, 'OS_NOT_FOUND');
  assert.equal(gone.status, 404);
  assert.equal(gone.service, 'heat');
  assert.equal(gone.operation, 'heat.getStack');
  assert.match(gone.requestId ?? '', /^req-/);
  assert.match(gone.message, /heat\.getStack failed: HTTP 404/);
  ref = undefined;
});
