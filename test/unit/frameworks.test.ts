// The framework catalog as data: the resolver's order and refusals, the expression
// language, and each framework's computed values and checks (disco's DDFS replica rule,
// hadoop's replication), all from the real manifests in frameworks/.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DomainError } from '../../src/errors/domain-error.js';
import { makeClusterSecrets, nodeSecrets, ownerSecrets } from '../../src/clusters/secrets.js';
import { FrameworkCatalog } from '../../src/frameworks/catalog.js';
import { evaluate, ExprError } from '../../src/frameworks/expr.js';
import { settleProperties, type Properties } from '../../src/frameworks/properties.js';
import { resolveOrder, ResolveError } from '../../src/frameworks/resolver.js';

const graph = (o: Record<string, string[]>) => new Map(Object.entries(o).map(([k, v]) => [k, { depends_on: v }]));

test('resolver: dependencies first, then name order', () => {
  const g = graph({ zeppelin: ['spark'], spark: ['hadoop'], hadoop: [], jupyter: [], bootstrap: [], a: ['jupyter', 'hadoop'] });
  assert.deepEqual(resolveOrder(g, ['zeppelin', 'jupyter']), ['hadoop', 'jupyter', 'spark', 'zeppelin']);
  assert.deepEqual(resolveOrder(g, ['a', 'bootstrap']), ['bootstrap', 'hadoop', 'jupyter', 'a']);
  assert.deepEqual(resolveOrder(g, []), []);
});

test('resolver: unknown names and cycles, with the chain', () => {
  const g = graph({ spark: ['hadoop'], hadoop: ['yarn'], x: ['y'], y: ['z'], z: ['x'] });
  assert.throws(() => resolveOrder(g, ['spark']), (e: unknown) => e instanceof ResolveError && /unknown framework yarn \(spark -> hadoop -> yarn\)/.test(e.message));
  assert.throws(() => resolveOrder(g, ['x']), /dependency cycle: x -> y -> z -> x/);
  assert.throws(() => resolveOrder(g, ['storm']), /unknown framework storm; known: hadoop, spark, x, y, z/);
});

function fixture(manifests: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fw-'));
  for (const [name, yaml] of Object.entries(manifests)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'framework.yaml'), yaml);
  }
  return dir;
}
const m = (name: string, deps: string, extra = '') => `name: ${name}\nversion: "1"\ndescription: d\ndepends_on: [${deps}]\n${extra}`;

test('a cycle, an unknown dependency or a broken field in a manifest stops start-up', () => {
  assert.throws(() => FrameworkCatalog.load(fixture({ a: m('a', 'b'), b: m('b', 'a') })), /a\/framework\.yaml: depends_on: dependency cycle: a -> b -> a/);
  assert.throws(() => FrameworkCatalog.load(fixture({ a: m('a', 'nope') })), /a\/framework\.yaml: depends_on: unknown framework nope \(a -> nope\)/);
  assert.throws(() => FrameworkCatalog.load(fixture({ a: m('a', '', 'ports: [{port: 80, protocol: tcp, audience: world}]\n') })),
    /a\/framework\.yaml: ports\.0\.audience must be equal to one of the allowed values/);
  assert.throws(() => FrameworkCatalog.load(fixture({ a: m('a', '', 'defaults: {x: 1}\n') })), /x is not a property in parameters/);
  assert.throws(() => FrameworkCatalog.load(fixture({ a: m('a', '', 'parameters: {type: object, properties: {x: {type: integer}}}\ndefaults: {x: {cluster: cpus}}\n') })),
    /unknown cluster fact cpus/);
  assert.throws(() => FrameworkCatalog.load(fixture({ a: m('a', '', 'scripts: {master: master.sh}\n') })), /scripts: master\.sh does not exist/);
  assert.throws(() => FrameworkCatalog.load(fixture({ a: m('a', '', 'parameters: {type: object, properties: {x: {type: integr}}}\n') })),
    /parameters: not a usable JSON Schema/);
  assert.throws(() => FrameworkCatalog.load(fixture({ a: m('a', '', 'colour: blue\n') })), /manifest must NOT have additional properties \(colour\)/);
});

test('expressions are data', () => {
  const facts = { workers: 2, worker_vcpus: 4 };
  assert.equal(evaluate({ min: [3, { cluster: 'workers' }] }, facts, {}), 2);
  assert.equal(evaluate({ mul: [{ cluster: 'worker_vcpus' }, { param: 'm' }] }, facts, { m: 1.5 }), 6);
  assert.equal(evaluate({ and: [{ lte: [1, 2] }, { not: { gt: [1, 2] } }] }, facts, {}), true);
  assert.throws(() => evaluate({ exec: 'rm -rf /' }, facts, {}), ExprError);
  assert.throws(() => evaluate({ cluster: 'nope' }, facts, {}), /unknown cluster fact "nope"/);
  assert.throws(() => evaluate({ min: [1, 'x'] }, facts, {}), /expected a number/);
});

const catalog = FrameworkCatalog.load();
const facts = (workers: number) => ({ workers, nodes: workers + 1, master_vcpus: 2, master_ram_mb: 4096, master_disk_gb: 40,
  worker_vcpus: 4, worker_ram_mb: 8192, worker_disk_gb: 80 });
const settle = (names: string[], given: Properties, workers: number) => settleProperties(catalog.resolve(names), given, facts(workers));

test('disco: replicas default min(3, workers); 3 replicas on 2 workers is refused saying how to fix it', () => {
  assert.equal(settle(['disco'], {}, 5).properties.disco!.replicas, 3);
  assert.equal(settle(['disco'], {}, 2).properties.disco!.replicas, 2);
  assert.equal(settle(['disco'], { disco: { replicas: '1' } }, 2).properties.disco!.replicas, 1, 'OCCI strings are coerced');
  assert.throws(() => settle(['disco'], { disco: { replicas: 3 } }, 2), (e: unknown) => e instanceof DomainError && e.code === 'INVALID' &&
    e.attribute === 'icclab.disco.components.disco.replicas' &&
    e.message === 'icclab.disco.components.disco.replicas: DDFS keeps 3 replicas of every tag and blob on different nodes, and only the 2 workers hold data (the master is not in the node table): ask for at least 3 workers, or set icclab.disco.components.disco.replicas to 2 or less');
  assert.throws(() => settle(['disco'], {}, 0), /DDFS stores data on the workers only/);
  assert.throws(() => settle(['disco'], { disco: { replicas: 0 } }, 4), /disco\.replicas: expected a value that must be >= 1 \(got 0\)/);
  assert.throws(() => settle(['disco'], { disco: { replica: 2 } }, 4), /disco\.replica: expected a property of disco among replicas/);
});

test('hadoop: replication min(3, workers); bootstrap worker_multiplier default 1, master_multiplier 0', () => {
  assert.equal(settle(['hadoop'], {}, 1).properties.hadoop!.replication, 1);
  assert.equal(settle(['hadoop'], {}, 7).properties.hadoop!.replication, 3);
  assert.throws(() => settle(['hadoop'], { hadoop: { replication: 4 } }, 3), /dfs\.replication 4 needs at least 4 DataNodes but the cluster has 3 workers/);
  const b = settle([], { bootstrap: { worker_multiplier: '2.5', packages: 'htop,vim' } }, 1).properties.bootstrap!;
  assert.deepEqual(b, { worker_multiplier: 2.5, packages: 'htop,vim', master_multiplier: 0 });
  assert.throws(() => settle([], { bootstrap: { packages: 'htop; rm -rf /' } }, 1), /bootstrap\.packages: expected a value that must match pattern/);
});

test('properties of frameworks not asked for, and secret properties', () => {
  assert.throws(() => settle(['hadoop'], { jupyter: { password: 'longenough' } }, 1), /jupyter is not requested: add it to icclab\.disco\.dependencies\.inject/);
  const s = settle(['jupyter'], { jupyter: { password: 'longenough' } }, 1);
  assert.deepEqual(s.properties.jupyter, {});
  assert.deepEqual(s.secrets, { jupyter: { password: 'longenough' } });
});

test('generated secrets: names distinct from properties, `unless` names a property; always-applied frameworks install first', () => {
  const params = 'parameters: {type: object, properties: {password: {type: string}}}\n';
  assert.throws(() => FrameworkCatalog.load(fixture({ a: m('a', '', `${params}generate: [{name: password, bytes: 16}]\n`) })),
    /a\/framework\.yaml: generate: password is also a property in parameters/);
  assert.throws(() => FrameworkCatalog.load(fixture({ a: m('a', '', `${params}generate: [{name: token, bytes: 16, unless: pasword}]\n`) })),
    /generate: unless pasword is not a property in parameters/);
  assert.throws(() => FrameworkCatalog.load(fixture({ a: m('a', '', 'generate: [{name: token}]\n') })), /generate: token needs bytes/);
  assert.throws(() => FrameworkCatalog.load(fixture({ a: m('a', '', 'generate: [{name: k, type: ssh_key, bytes: 8}]\n') })), /generate: k is a key pair: no bytes/);
  assert.throws(() => FrameworkCatalog.load(fixture({ a: m('a', '', 'generate: [{name: k, type: ssh_key, show_to_owner: true}]\n') })), /never shown/);
  // "zz-base" sorts last by name, but a framework applied to every cluster comes first
  const c = FrameworkCatalog.load(fixture({ 'zz-base': m('zz-base', '', 'always: true\n'), alpha: m('alpha', '') }));
  assert.deepEqual(c.resolve(['alpha']).map((f) => f.name), ['zz-base', 'alpha']);
});

test('cluster secrets: a key pair, generated secrets unless replaced, what nodes get and what the owner sees', () => {
  const fws = catalog.resolve(['jupyter', 'disco']);
  const withToken = makeClusterSecrets('id-1', fws, {}, {});
  assert.match(withToken.clusterPublicKey!, /^ssh-ed25519 \S+ disco-cluster-id-1$/);
  assert.match(withToken.clusterPrivateKey!, /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
  assert.match(String(withToken.frameworkSecrets!.jupyter!.token), /^[0-9a-f]{48}$/);   // 24 bytes, hex
  assert.match(String(withToken.frameworkSecrets!.disco!.cookie), /^[0-9a-f]{48}$/);
  // disco's own key pair, not the cluster's (root's)
  assert.match(String(withToken.frameworkSecrets!.disco!.ssh_key), /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
  assert.match(String(withToken.frameworkSecrets!.disco!.ssh_key_pub), /^ssh-ed25519 \S+ disco-disco-id-1$/);
  assert.notEqual(String(withToken.frameworkSecrets!.disco!.ssh_key), withToken.clusterPrivateKey);
  const withPassword = makeClusterSecrets('id-2', fws, { jupyter: { password: 'correct horse' } }, {});
  assert.deepEqual(withPassword.frameworkSecrets!.jupyter, { password: 'correct horse' });
  const s = { sshPrivateKey: 'owner-key', ...withToken };
  const node = nodeSecrets(s);
  assert.deepEqual(Object.keys(node).sort(), ['bootstrap_gateway_password', 'cluster_private_key', 'cluster_public_key', 'disco_cookie', 'disco_ssh_key', 'disco_ssh_key_pub', 'jupyter_token']);
  assert.ok(!Object.values(node).includes('owner-key'), "the owner's private key never goes to the nodes");
  // the gateway's password (bootstrap, every cluster) and the notebook token
  assert.match(String(withToken.frameworkSecrets!.bootstrap!.gateway_password), /^[0-9a-f]{32}$/);
  assert.deepEqual(ownerSecrets(s, fws), [['icclab.disco.components.bootstrap.gateway_password', withToken.frameworkSecrets!.bootstrap!.gateway_password],
    ['icclab.disco.components.jupyter.token', withToken.frameworkSecrets!.jupyter!.token]]);
  assert.deepEqual(ownerSecrets({ sshPrivateKey: 'k', ...withPassword }, fws).map(([k]) => k), ['icclab.disco.components.bootstrap.gateway_password'], 'no token to show when a password was set');
});

test('bootstrap.authorized_keys: OpenSSH public keys, comma-separated; nothing that could add options or lines', () => {
  const validate = FrameworkCatalog.load().get('bootstrap')!.validate;
  const ed = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq4Yt0r0v4oX1kz0Ew2m4lXv9c3o9Ez8a0b1c2d3e4f';
  const rsa = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQC7 ops@mgmt.example';
  const ok = [ed, `${ed} alice@laptop`, `${ed},${rsa}`, 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY= k', 'sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29t'];
  const refused = [
    '', 'AAAAC3NzaC1lZDI1NTE5AAAAIGq4Yt0r0v4oX1kz0Ew2m4lXv9c3o9Ez8a0b1c2d3e4f',           // no type
    `command="rm -rf /" ${ed}`, `no-pty,${ed}`,                                          // options
    `${ed}\n${rsa}`, `${ed} alice laptop`, `${ed} $(id)`, `${ed};id`, `${ed},`, `,${ed}`, // lines, spaces, shell
    'ssh-dss AAAAB3NzaC1kc3MAAACBAP1/U4EddRIpUt9KnC7s5Of2EbdSPO9EAMMeP4C2USZpRV1AIlH7WT2NWPq/xfW6MPbLm1Vs14E7',
    `${ed},`.repeat(200),
  ];
  for (const v of ok) assert.ok(validate({ authorized_keys: v }), `${v}: ${JSON.stringify(validate.errors)}`);
  for (const v of refused) assert.ok(!validate({ authorized_keys: v }), v);
});
