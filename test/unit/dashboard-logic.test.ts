// The dashboard's decisions without a browser: the create form read from the model, the
// request it makes, the timeline's phases, and the client's reading of a cluster resource.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterOf, createBody } from '../../src/client/cluster.js';
import { frameworkChoices, requestOf, withDependencies } from '../../src/dashboard/pages/create-form.js';
import { nodesOf, phases } from '../../src/dashboard/pages/timeline.js';
import { discovery } from '../../src/disco-kind/kind.js';
import { FrameworkCatalog } from '../../src/frameworks/catalog.js';
import { renderDiscovery } from '../../src/occi/index.js';
import type { Model } from '../../src/client/types.js';

const model = JSON.parse(renderDiscovery(discovery(FrameworkCatalog.load()), 'application/occi+json').body) as Model;
const choices = frameworkChoices(model);

test('the form offers every shipped framework, bootstrap always, with the properties a create may set (not the UIs)', () => {
  assert.deepEqual(choices.map((c) => c.name).sort(), ['bootstrap', 'disco', 'hadoop', 'jupyter', 'spark', 'zeppelin']);
  assert.deepEqual(choices.filter((c) => c.always).map((c) => c.name), ['bootstrap']);
  const hadoop = choices.find((c) => c.name === 'hadoop')!;
  assert.deepEqual(hadoop.fields.map((f) => f.name).sort(), ['icclab.disco.components.hadoop.replication', 'icclab.disco.components.hadoop.reserved_disk_gb']);
  assert.equal(hadoop.fields[0]!.type, 'number');
  assert.deepEqual(choices.find((c) => c.name === 'spark')!.depends, ['hadoop']);
  assert.deepEqual(choices.find((c) => c.name === 'spark')!.fields, [], 'spark_history is a UI the service reports');
  const post = choices.find((c) => c.name === 'bootstrap')!.fields.find((f) => f.name.endsWith('.post_init'))!;
  assert.equal(post.type, 'text');
});

test('dependencies are added, in the catalog order', () => {
  const table: [string[], string[]][] = [
    [[], []],
    [['spark'], ['hadoop', 'spark']],
    [['zeppelin'], ['hadoop', 'spark', 'zeppelin']],
    [['disco', 'jupyter'], ['disco', 'jupyter']],
  ];
  const order = choices.map((c) => c.name);
  for (const [chosen, want] of table) {
    assert.deepEqual(withDependencies(chosen, choices).filter((n) => n !== 'bootstrap'), [...want].sort((a, b) => order.indexOf(a) - order.indexOf(b)), chosen.join());
  }
});

test('the form values become a create request: empty fields take the defaults, numbers are numbers, typos are sent as typed', () => {
  const req = requestOf({
    'occi.core.title': ' web-1 ', 'icclab.disco.components.heat.slavecount': '2', 'icclab.disco.components.heat.masterflavor': '',
    'icclab.disco.lifetime': 'soon', 'icclab.disco.components.hadoop.replication': '2', 'icclab.disco.components.disco.replicas': '3',
    'icclab.disco.components.bootstrap.post_init': 'touch /x',
  }, ['spark'], choices);
  assert.deepEqual(req, {
    frameworks: ['hadoop', 'spark'], title: 'web-1', workers: 2, lifetime: 'soon' as unknown as number,
    properties: { bootstrap: { post_init: 'touch /x' }, hadoop: { replication: 2 } },
  }, 'disco is not chosen: its property is not sent');
  const body = createBody(req);
  assert.deepEqual(body.mixins, ['http://schemas.cloudcomplab.ch/occi/sm/framework#hadoop', 'http://schemas.cloudcomplab.ch/occi/sm/framework#spark']);
  assert.deepEqual(body.attributes, {
    'occi.core.title': 'web-1', 'icclab.disco.components.heat.slavecount': 2, 'icclab.disco.lifetime': 'soon',
    'icclab.disco.components.bootstrap.post_init': 'touch /x', 'icclab.disco.components.hadoop.replication': 2,
  });
  assert.equal((createBody(req, true).attributes as Record<string, unknown>)['icclab.disco.dryrun'], true);
});

test('the timeline: one phase per state change, each as long as until the next, the last still going', () => {
  const ph = phases([
    { id: 's1', time: '2026-01-01T10:00:00.000Z', source: 'service', state: 'pending' },
    { id: 'h1', time: '2026-01-01T10:00:01.000Z', source: 'heat', stack: 'x', resource: 'master', status: 'CREATE_IN_PROGRESS', reason: '' },
    { id: 's2', time: '2026-01-01T10:00:02.500Z', source: 'service', state: 'deploying' },
    { id: 's3', time: '2026-01-01T10:01:02.500Z', source: 'service', state: 'ready', message: 'all nodes installed' },
  ]);
  assert.deepEqual(ph, [
    { state: 'pending', from: '2026-01-01T10:00:00.000Z', ms: 2500 },
    { state: 'deploying', from: '2026-01-01T10:00:02.500Z', ms: 60_000 },
    { state: 'ready', from: '2026-01-01T10:01:02.500Z', ms: null, message: 'all nodes installed' },
  ]);
});

test('a cluster resource read by the client: state, frameworks, workers, UIs, properties, actions', () => {
  const c = clusterOf({
    id: 'a', mixins: ['http://schemas.cloudcomplab.ch/occi/sm/framework#hadoop', 'http://other#x'],
    actions: ['http://schemas.cloudcomplab.ch/occi/sm/action#scale'],
    attributes: { 'occi.core.title': 'web', 'icclab.disco.state': 'ready', 'icclab.disco.components.heat.slavecount': '3', external_ip: '192.0.2.7',
      'icclab.disco.ui.yarn': 'https://192.0.2.7:8443/', 'icclab.disco.components.hadoop.replication': 2, ssh_user: 'debian' },
  });
  assert.equal(c.title, 'web');
  assert.equal(c.state, 'ready');
  assert.equal(c.workers, 3);
  assert.deepEqual(c.frameworks, ['hadoop']);
  assert.deepEqual(c.uis, [{ name: 'yarn', url: 'https://192.0.2.7:8443/' }]);
  assert.deepEqual(c.properties, { hadoop: { replication: 2 } }, 'the heat.* attributes are the kind\'s own, no framework\'s');
  assert.deepEqual(c.actions, ['scale']);
  assert.equal(c.privateKey, undefined);
});

test('the nodes: each node that signalled, its frameworks\' last status, in natural order', () => {
  const ev = (node: string, framework: string, status: 'SUCCESS' | 'FAILURE', i: number) =>
    ({ id: `n${i}`, time: `2026-01-01T10:00:0${i}.000Z`, source: 'node' as const, node, framework, status, reason: '' });
  assert.deepEqual(nodesOf([
    ev('c-worker-10', 'bootstrap', 'SUCCESS', 1), ev('c-worker-2', 'bootstrap', 'FAILURE', 2), ev('c-worker-2', 'bootstrap', 'SUCCESS', 3),
    ev('c-master', 'hadoop', 'SUCCESS', 4), { id: 's', time: '2026-01-01T10:00:05.000Z', source: 'service', state: 'ready' },
  ]), [
    { node: 'c-master', frameworks: [{ name: 'hadoop', status: 'SUCCESS' }] },
    { node: 'c-worker-2', frameworks: [{ name: 'bootstrap', status: 'SUCCESS' }] },
    { node: 'c-worker-10', frameworks: [{ name: 'bootstrap', status: 'SUCCESS' }] },
  ]);
});
