// Heat's template validation (with files and environment) and resource signals.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { BadRequestError, type StackRef } from '../../src/openstack/index.js';
import { cloud } from '../helpers/cloud.js';
import { fixture, testStackName, waitForGone, waitForStatus } from '../helpers/heat.js';

const os = cloud('demo');
const created: StackRef[] = [];
after(async () => {
  for (const r of created) {
    await os.heat.deleteStack(r).catch(() => undefined);
    await waitForGone(os.heat, r.name, 120_000, { redelete: true }).catch(() => undefined);
  }
});

test('a broken template gives Heat message in a typed error', async () => {
  const err = await os.heat.validate({ template: {
    heat_template_version: '2018-08-31',
    resources: { x: { type: 'OS::Heat::RandomString', properties: { lenght: 3 } } },
  } }).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof BadRequestError, String(err));
  assert.equal(err.status, 400);
  assert.equal(err.operation, 'heat.validate');
  assert.match(err.osMessage ?? '', /Unknown Property lenght/);
  assert.match(err.message, /heat\.validate failed: HTTP 400: .*Unknown Property lenght/);
  assert.ok(err.osType, 'Heat names the error type');

  await assert.rejects(os.heat.validate({ template: 'heat_template_version: 2018-08-31\nresources: {x: {type: OS::No::Such}}\n' }),
    (e: unknown) => e instanceof BadRequestError && /OS::No::Such/.test(e.message));
});

test('validation with files and an environment', async () => {
  const template = {
    heat_template_version: '2018-08-31',
    parameters: { size: { type: 'number', default: 4 } },
    resources: { inner: { type: 'My::Inner', properties: { length: { get_param: 'size' } } } },
  };
  const inner = 'heat_template_version: 2018-08-31\nparameters:\n  length: {type: number}\n' +
    'resources:\n  r: {type: OS::Heat::RandomString, properties: {length: {get_param: length}}}\n';
  const ok = await os.heat.validate({
    template, files: { 'inner.yaml': inner },
    environment: { resource_registry: { 'My::Inner': 'inner.yaml' }, parameter_defaults: { size: 7 } },
  });
  // Heat reports the environment's parameter_defaults as the parameter's default
  assert.equal(ok.parameters.size?.Default, 7, JSON.stringify(ok.parameters));
  assert.equal(ok.parameters.size?.Type, 'Number');
  // without the file the provider resource cannot be resolved
  await assert.rejects(os.heat.validate({ template, environment: { resource_registry: { 'My::Inner': 'inner.yaml' } } }),
    BadRequestError);
});

test('a signal to a wait condition handle completes the stack', { timeout: 120_000 }, async () => {
  const name = testStackName('signal');
  const ref = await os.heat.createStack(name, { template: fixture('wait-condition.yaml'), parameters: { timeout: 90 } });
  created.push(ref);
  // the handle must exist before it can be signalled
  for (let i = 0; i < 60; i++) {
    const handle = (await os.heat.resources(ref)).find((r) => r.name === 'handle');
    if (handle?.status === 'CREATE_COMPLETE') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.equal((await os.heat.getStack(ref)).status, 'CREATE_IN_PROGRESS', 'waiting for the signal');
  await os.heat.signal(ref, 'handle', { status: 'SUCCESS', reason: 'installed', data: 'node-1 ready', id: 'node-1' });
  const stack = await waitForStatus(os.heat, ref, 'CREATE_COMPLETE', 60_000);
  assert.deepEqual(JSON.parse(String(stack.outputs.data)), { 'node-1': 'node-1 ready' });
  const events = await os.heat.events(ref);
  assert.ok(events.some((e) => e.resourceName === 'handle' && /Signal: status:SUCCESS reason:installed/.test(e.statusReason)),
    events.map((e) => `${e.resourceName} ${e.status} ${e.statusReason}`).join('\n'));
});
