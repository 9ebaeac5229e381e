// Building a ClusterSpec from request attributes: defaults, the worker count rule, names,
// frameworks from inject and from mixins, component properties; every refusal names the
// attribute.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DomainError } from '../../src/errors/domain-error.js';
import { buildSpec, parseWorkers, storedAttributes } from '../../src/clusters/spec.js';
import { FrameworkCatalog } from '../../src/frameworks/catalog.js';
import type { AttributeValue } from '../../src/occi/model.js';

const defaults = {
  maxWorkers: 50, defaultWorkers: 1, masterFlavor: 'm1.small', workerFlavor: 'm1.small', masterImage: 'img',
  workerImage: 'img', externalNetwork: 'public', subnetCidr: '192.168.19.0/24', dnsNameservers: [], accessCidr: null, mirrorUrl: null, sshUser: 'debian',
};
const catalog = FrameworkCatalog.load();
const ID = '0123abcd-0000-4000-8000-000000000000';
const spec = (a: Record<string, AttributeValue>, mixins = []) => buildSpec(new Map(Object.entries(a)), mixins, defaults, catalog, ID);

test('defaults from the configuration', () => {
  assert.deepEqual(spec({}), {
    name: 'disco-0123abcd', networkName: 'disco-0123abcd-net', externalNetwork: 'public', masterImage: 'img',
    workerImage: 'img', masterFlavor: 'm1.small', workerFlavor: 'm1.small', workers: 1,
    frameworks: [{ name: 'bootstrap', version: '1' }], components: {},
  });
});

test('the worker count', () => {
  assert.equal(parseWorkers('3', 1, 50), 3);
  assert.equal(parseWorkers(0, 1, 50), 0);
  assert.equal(parseWorkers(' 50 ', 1, 50), 50);
  assert.equal(parseWorkers(undefined, 7, 50), 7);
  for (const bad of ['-1', 'abc', '51', '1.5', '', true, -2, '1e3']) {
    assert.throws(() => parseWorkers(bad, 1, 50), (e: unknown) => e instanceof DomainError && e.code === 'INVALID' &&
      e.attribute === 'icclab.disco.components.heat.slavecount' && /expected an integer from 0 to 50/.test(e.message), String(bad));
  }
});

test('frameworks from inject and mixins; unknown ones refused with the known list', () => {
  const s = spec({ 'icclab.disco.dependencies.inject': "{'spark':''}" },
    [{ term: 'jupyter', scheme: 'http://schemas.cloudcomplab.ch/occi/sm/framework#', class: 'mixin' }] as never);
  // dependencies first, then by name; bootstrap goes to every cluster
  assert.deepEqual(s.frameworks.map((f) => f.name), ['bootstrap', 'hadoop', 'jupyter', 'spark']);
  assert.deepEqual(spec({ 'icclab.disco.dependencies.inject': "{'hadoop':'3.3.6'}" }).frameworks.map((f) => f.version), ['1', '3.3.6']);
  assert.throws(() => spec({ 'icclab.disco.dependencies.inject': "{'hadoop':'2.7.1'}" }),
    /inject: expected version 3\.3\.6 of hadoop \(the one installed\) or '' for it \(got "2\.7\.1"\)/);
  assert.throws(() => spec({ 'icclab.disco.dependencies.inject': 'bootstrap' }), /expected frameworks among disco, hadoop/);
  assert.throws(() => spec({ 'icclab.disco.dependencies.inject': 'storm' }),
    /icclab\.disco\.dependencies\.inject: expected frameworks among disco, hadoop, jupyter, spark, zeppelin \(got "storm"\)/);
});

test('component properties, unknown attributes, DNS-safe names', () => {
  const s = spec({ 'icclab.disco.components.jupyter.port': 8888, 'icclab.disco.components.heat.slavecount': '2' });
  assert.deepEqual(s.components, { jupyter: { port: 8888 } });
  assert.throws(() => spec({ 'icclab.disco.components.storm.x': 1 }), /icclab\.disco\.components\.storm\.x: expected a property of a framework/);
  assert.throws(() => spec({ 'icclab.disco.components.heat.slavecont': 1 }), /heat\.slavecont: expected an attribute of the disco kind/);
  assert.throws(() => spec({ 'icclab.disco.components.heat.networkname': 'my_net' }), /networkname: expected a DNS-safe name/);
  assert.throws(() => spec({ 'occi.core.title': '-x' }), /occi\.core\.title: expected a DNS-safe name/);
  assert.equal(spec({ 'occi.core.title': 'Analytics-1' }).name, 'Analytics-1');
});

test('stored attributes keep no credential and a numeric worker count', () => {
  const attrs = new Map<string, AttributeValue>([['icclab.disco.deployer.password', 'pw'], ['icclab.disco.deployer.username', 'u'],
    ['icclab.disco.components.heat.slavecount', '2'], ['icclab.disco.components.heat.masterflavor', 'm1.tiny']]);
  attrs.set('icclab.disco.components.jupyter.password', 'notebook-secret');
  attrs.set('icclab.disco.dependencies.inject', 'jupyter');
  assert.deepEqual(storedAttributes(attrs, spec(Object.fromEntries(attrs)), catalog), {
    'icclab.disco.dependencies.inject': 'jupyter',
    'icclab.disco.components.heat.slavecount': 2, 'icclab.disco.components.heat.masterflavor': 'm1.tiny',
  });
});

test('only what the kind and the framework mixins declare: anything else is a 400 naming it', () => {
  const refused = (name: string, why: RegExp) => assert.throws(() => spec({ [name]: 'x' }),
    (e: unknown) => e instanceof DomainError && e.code === 'INVALID' && e.attribute === name && why.test(e.message), name);
  // the service's own: a caller must not be able to make its cluster's GET say these
  for (const owned of ['stack_status', 'external_ip', 'ssh_private_key', 'ssh_public_key', 'icclab.disco.state', 'icclab.disco.reason',
    'stackid', 'mcn.service.state', 'occi.core.id', 'icclab.disco.expires_at']) {
    refused(owned, /set by the service/);
  }
  for (const unknown of ['foo', 'disco_status', 'icclab.disco.components.heat.bogus', 'icclab.disco.components.nodot',
    'icclab.diskoo.state', 'occi.core.source', 'icclab.disco.components.bootstrap.__proto__', 'icclab.disco.components.__proto__.x',
    'icclab.disco.components.bootstrap.constructor.x']) {
    refused(unknown, /an attribute of the disco kind or of a framework mixin/);
  }
  // declared ones pass
  assert.equal(spec({ 'occi.core.title': 'ok', 'occi.core.summary': 'a summary', 'icclab.disco.deployer.region': 'RegionOne' }).name, 'ok');
});
