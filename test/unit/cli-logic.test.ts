// The CLI's decisions without a service: credentials from OS_* and clouds.yaml, the cluster
// file, the output formats, and what a wait makes of a cluster.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseClusterFile } from '../../src/cli/config-file.js';
import { loginFrom, UsageError } from '../../src/cli/credentials.js';
import { formatOne, formatRows } from '../../src/cli/output.js';
import { waitStep } from '../../src/cli/wait.js';
import type { Cluster } from '../../src/client/cluster.js';

const OS = { OS_AUTH_URL: 'http://ks/v3', OS_USERNAME: 'u', OS_PASSWORD: 'p', OS_PROJECT_NAME: 'proj', OS_USER_DOMAIN_NAME: 'D' };
const CLOUDS = `clouds:
  lab:
    region_name: R1
    auth: {auth_url: "http://lab/v3", username: alice, password: secret, project_name: science, project_domain_name: Lab}
  appcred:
    auth: {auth_url: "http://lab/v3", application_credential_id: ac1, application_credential_secret: s3}
`;
const files = (text: string) => (p: string) => (p.endsWith('/.config/openstack/clouds.yaml') ? text : undefined);

test('credentials: OS_* variables, a clouds.yaml cloud (variables beside it win), application credentials; what is missing is named', () => {
  assert.deepEqual(loginFrom(OS), { authUrl: 'http://ks/v3', scope: { projectName: 'proj', projectDomain: { name: 'D' } },
    credentials: { kind: 'password', password: 'p', username: 'u', userDomain: { name: 'D' } } });
  const lab = loginFrom({ HOME: '/home/x', OS_CLOUD: 'lab' }, { readFile: files(CLOUDS) });
  assert.deepEqual(lab, { authUrl: 'http://lab/v3', region: 'R1', scope: { projectName: 'science', projectDomain: { name: 'Lab' } },
    credentials: { kind: 'password', password: 'secret', username: 'alice', userDomain: { name: 'Default' } } });
  assert.equal((loginFrom({ HOME: '/h', OS_PASSWORD: 'other' }, { cloud: 'lab', readFile: files(CLOUDS) }).credentials as { password: string }).password, 'other');
  assert.deepEqual(loginFrom({ HOME: '/h' }, { cloud: 'appcred', readFile: files(CLOUDS) }).credentials, { kind: 'applicationCredential', id: 'ac1', secret: 's3' });
  const refusals: [Record<string, string>, { cloud?: string }, RegExp][] = [
    [{}, {}, /no credentials: set OS_AUTH_URL/],
    [{ ...OS, OS_PASSWORD: '' }, {}, /OS_USERNAME \(or OS_USER_ID\) and OS_PASSWORD/],
    [{ ...OS, OS_PROJECT_NAME: '' }, {}, /no project/],
    [{ HOME: '/h' }, { cloud: 'nope' }, /no cloud "nope" in .*clouds\.yaml \(it has: lab, appcred\)/],
  ];
  for (const [env, o, why] of refusals) assert.throws(() => loginFrom(env, { ...o, readFile: files(CLOUDS) }), (e: unknown) => e instanceof UsageError && why.test(e.message), why.source);
  assert.throws(() => loginFrom({ HOME: '/h' }, { cloud: 'lab', readFile: () => undefined }), /no clouds\.yaml in/);
});

test('a disposabledisco-style cluster file becomes a create request; a misspelt key is named', () => {
  const req = parseClusterFile(`name: c1
workers: 3
lifetime: 7200
frameworks: [bootstrap, disco]
packages: [htop, jq]
pip: "numpy,scipy"
post_init: |
  touch /x
master_multiplier: 1
properties: {disco: {replicas: 2}}
`, 'c.yaml');
  assert.deepEqual(req, { frameworks: ['disco'], title: 'c1', workers: 3, lifetime: 7200,
    properties: { disco: { replicas: 2 }, bootstrap: { packages: 'htop,jq', pip: 'numpy,scipy', post_init: 'touch /x\n', master_multiplier: 1 } } });
  assert.deepEqual(parseClusterFile('{"name": "j", "frameworks": ["spark"]}', 'c.json'), { frameworks: ['spark'], title: 'j' });
  assert.deepEqual(parseClusterFile('', 'empty.yaml'), { frameworks: [] });
  assert.throws(() => parseClusterFile('name: x\nworker: 3\n', 'c.yaml'), /c\.yaml: \(top\) has no key "worker"/);
  assert.throws(() => parseClusterFile('workers: many\n', 'c.yaml'), /c\.yaml: \/workers must be integer/);
  assert.throws(() => parseClusterFile('name: [\n', 'c.yaml'), /c\.yaml: not YAML or JSON/);
});

test('output: a table, json, yaml, value; -c picks and orders columns, an unknown one is named', () => {
  const rows = [{ id: 'a', name: 'one', frameworks: ['hadoop', 'spark'] }, { id: 'b', name: 'two', frameworks: [] }];
  const all = ['id', 'name', 'frameworks'];
  assert.equal(formatRows(rows, all, { output: 'value', columns: ['name', 'id'] }), 'one a\ntwo b\n');
  assert.deepEqual(JSON.parse(formatRows(rows, all, { output: 'json', columns: ['id'] })), [{ id: 'a' }, { id: 'b' }]);
  assert.equal(formatRows(rows, all, { output: 'yaml', columns: ['name'] }), '- name: one\n- name: two\n');
  const table = formatRows(rows, all, { output: 'table', columns: [] });
  assert.match(table, /│ id │ name │ frameworks\s+│/);
  assert.match(table, /│ a\s+│ one\s+│ hadoop, spark │/);
  assert.throws(() => formatRows(rows, all, { output: 'value', columns: ['nmae'] }), /-c nmae: no such column \(columns: id, name, frameworks\)/);
  assert.equal(formatOne({ id: 'a', state: 'ready' }, ['id', 'state'], { output: 'value', columns: ['state'] }), 'ready\n');
});

test('a wait decides from the cluster as last seen', () => {
  const c = (state: Cluster['state'], extra: Partial<Cluster> = {}) => ({ id: 'x', title: 'x', state, frameworks: [], uis: [], properties: {}, actions: [], attributes: {}, ...extra }) as Cluster;
  const table: [Parameters<typeof waitStep>[0], Cluster | undefined, ReturnType<typeof waitStep>][] = [
    ['ready', c('deploying'), { wait: true }],
    ['ready', c('ready'), { done: true }],
    ['ready', c('updating'), { wait: true }],
    ['ready', c('failed', { reason: 'BOOTSTRAP_FAILED', message: 'apt-get: E: no package' }), { failed: 'BOOTSTRAP_FAILED: apt-get: E: no package' }],
    ['ready', undefined, { failed: 'the cluster was deleted' }],
    ['suspended', c('updating'), { wait: true }],
    ['suspended', c('suspended'), { done: true }],
    ['suspended', c('failed', { reason: 'TIMEOUT', message: 'update: SUSPEND_IN_PROGRESS for longer than 1 h' }), { failed: 'TIMEOUT: update: SUSPEND_IN_PROGRESS for longer than 1 h' }],
    ['ready', c('suspended'), { wait: true }],
    ['deleted', c('deleting'), { wait: true }],
    ['deleted', c('ready'), { wait: true }],
    ['deleted', undefined, { done: true }],
    ['deleted', c('failed'), { failed: 'FAILED: no reason given' }],
  ];
  for (const [want, cluster, step] of table) assert.deepEqual(waitStep(want, cluster), step, `${want} ${cluster?.state ?? 'gone'}`);
});
