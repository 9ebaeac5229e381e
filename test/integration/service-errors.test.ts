// The error matrix: every bad request gets a clear 4xx naming what was wrong; no 500.
// The worker is not started here, so records made by these tests provision nothing.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import request, { type Response } from 'supertest';
import { cloud, cloudEnv } from '../helpers/cloud.js';
import { icclabAttributes, inProcess, KIND_CATEGORY, passwordHeaders } from '../helpers/service.js';

const { service, env } = inProcess();
const api = request(service.app);
/** This file's own project: its records hold quota room (no worker makes their stacks), and demo's is shared. */
const LANE = 'errors';
const demo = passwordHeaders(LANE);
const other = passwordHeaders('other');
const seen: Response[] = [];
const track = (r: Response): Response => { seen.push(r); return r; };
let path = '';

const create = (attrs: string, headers: Record<string, string> = demo, category = KIND_CATEGORY) =>
  api.post('/disco/').set('Category', category).set('Content-Type', 'text/occi').set(headers)
    .set('X-OCCI-Attribute', attrs).then(track);

before(async () => {
  const r = await create(icclabAttributes(1));
  assert.equal(r.status, 201, r.text);
  path = new URL(r.headers.location as string).pathname;
});
after(async () => {
  await service.close();
  assert.ok(seen.length > 20);
  // no 5xx here: each would be a bug
  const bad = seen.filter((r) => r.status >= 500);
  assert.deepEqual(bad.map((r) => `${r.status} ${r.text}`), []);
});

test('no credentials: 401 everywhere', async () => {
  for (const r of [await api.get('/disco/'), await api.get(path), await api.delete(path),
    await api.post('/disco/').set('Category', KIND_CATEGORY).set('X-OCCI-Attribute', icclabAttributes(1))]) {
    track(r);
    assert.equal(r.status, 401, r.text);
    assert.match(r.text, /no credentials: send X-Auth-Token, or X-User-Name and X-Password/);
  }
});

test('bad token, bad password, wrong tenant: 401', async () => {
  let r = track(await api.get('/disco/').set('X-Auth-Token', 'gAAAAABnot-a-token-0123456789012345678901234567890123'));
  assert.equal(r.status, 401);
  assert.match(r.text, /Keystone did not accept the credentials/);
  r = track(await api.get('/disco/').set({ ...demo, 'X-Password': 'wrong-password' }));
  assert.equal(r.status, 401);
  const token = (await cloud('demo').session.token()).value;
  r = track(await api.get('/disco/').set({ 'X-Auth-Token': token, 'X-Tenant-Name': 'other' }));
  assert.equal(r.status, 401);
  assert.match(r.text, /X-Tenant-Name "other" is not the project of these credentials/);
  r = track(await api.get('/disco/').set({ 'X-Auth-Token': token, 'X-Tenant-Name': 'demo' }));
  assert.equal(r.status, 200, 'a token with its own tenant name is fine');
});

test('unknown id: 404', async () => {
  for (const p of ['/disco/00000000-0000-4000-8000-000000000000', '/disco/not-a-uuid', '/nothing/here']) {
    const r = track(await api.get(p).set(demo));
    assert.equal(r.status, 404, `${p}: ${r.text}`);
  }
});

test("another project's cluster: 404 on GET, DELETE and actions", async () => {
  for (const r of [await api.get(path).set(other), await api.delete(path).set(other),
    await api.post(`${path}?action=suspend`).set(other), await api.post(path).set(other).set('X-OCCI-Attribute', 'action="suspend"')]) {
    track(r);
    assert.equal(r.status, 404, r.text);
    assert.ok(!r.text.includes('ssh'), 'nothing about the cluster leaks');
  }
  assert.equal(track(await api.get(path).set(demo)).status, 200, 'still there for its owner');
  const list = track(await api.get('/disco/').set(other));
  assert.ok(!list.text.includes(path));
});

test('malformed Category and wrong Kind: 400', async () => {
  let r = await create(icclabAttributes(1), demo, 'disco; class="kind"');
  assert.equal(r.status, 400);
  assert.match(r.text, /scheme/);
  r = await create(icclabAttributes(1), demo, 'disco; scheme="http://schemas.cloudcomplab.ch/occi/sm#"; class="thing"');
  assert.equal(r.status, 400);
  r = await create(icclabAttributes(1), demo, 'compute; scheme="http://schemas.ogf.org/occi/infrastructure#"; class="kind"');
  assert.equal(r.status, 400);
  assert.match(r.text, /Category: expected the kind disco/);
});

test('worker count -1, abc, 10000, 1.5: 400 naming the attribute', async () => {
  for (const n of ['-1', 'abc', '10000', '1.5']) {
    const r = await create(icclabAttributes(n));
    assert.equal(r.status, 400, `${n}: ${r.text}`);
    assert.match(r.text, /^icclab\.disco\.components\.heat\.slavecount: expected an integer from 0 to 50/);
  }
});

test('unknown framework: 400 with the known ones', async () => {
  const r = await create(icclabAttributes(1).replace("'jupyter':''", "'jupyter':'','storm':''"));
  assert.equal(r.status, 400);
  assert.match(r.text, /icclab\.disco\.dependencies\.inject: expected frameworks among disco, hadoop, jupyter, spark, zeppelin \(got "storm"\)/);
});

test('an inject value with code is refused and nothing runs', async () => {
  const marker = `/tmp/disco-pwned-${process.pid}`;
  const attrs = icclabAttributes(1).replace(/icclab\.disco\.dependencies\.inject="[^"]*"/,
    `icclab.disco.dependencies.inject="__import__('os').system('touch ${marker}')"`);
  const r = await create(attrs);
  assert.equal(r.status, 400);
  assert.match(r.text, /^icclab\.disco\.dependencies\.inject: expected/);
  const dict = await create(icclabAttributes(1).replace(/icclab\.disco\.dependencies\.inject="[^"]*"/,
    `icclab.disco.dependencies.inject="{'hadoop': __import__('os').system('touch ${marker}')}"`));
  assert.equal(dict.status, 400);
  assert.equal(existsSync(marker), false);
});

test('framework rules before anything is made: disco 3 replicas on 2 workers, hadoop without workers', async () => {
  const disco = (workers: number, replicas?: number) => icclabAttributes(workers).replace(/inject="[^"]*"/, "inject=\"{'disco':''}\"") +
    (replicas === undefined ? '' : `, icclab.disco.components.disco.replicas="${replicas}"`);
  let r = await create(disco(2, 3));
  assert.equal(r.status, 400);
  assert.match(r.text, /^icclab\.disco\.components\.disco\.replicas: DDFS keeps 3 replicas .* ask for at least 3 workers, or set icclab\.disco\.components\.disco\.replicas to 2 or less/);
  r = await create(disco(2, 1));
  assert.equal(r.status, 201, r.text);
  r = await create(icclabAttributes(0));
  assert.equal(r.status, 400);
  assert.match(r.text, /hadoop\.replication: HDFS needs at least one worker/);
});

test('unknown flavor, image, network and attributes: 400 naming them', async () => {
  let r = await create(icclabAttributes(1).replace(/slaveflavor="[^"]*"/, 'slaveflavor="m9.huge"'));
  assert.equal(r.status, 400);
  assert.match(r.text, /^icclab\.disco\.components\.heat\.slaveflavor: expected a flavor that exists in the project \(got "m9\.huge"\)/);
  r = await create(icclabAttributes(1).replace(/masterimage="[^"]*"/, 'masterimage="no-such-image"'));
  assert.match(r.text, /^icclab\.disco\.components\.heat\.masterimage: expected an image that exists/);
  r = await create(icclabAttributes(1, ', icclab.disco.components.heat.externalnetworkname="nowhere"'));
  assert.equal(r.status, 400);
  r = await create(icclabAttributes(1, ', icclab.disco.bogus="1"'));
  assert.equal(r.status, 400);
  assert.match(r.text, /^icclab\.disco\.bogus: expected an attribute of the disco kind or of a framework mixin \(see GET \/-\/\)/);
  r = await create(icclabAttributes(1, ', occi.core.title="not a dns name!"'));
  assert.match(r.text, /^occi\.core\.title: expected a DNS-safe name/);
});

test('wrong method: 405 with Allow', async () => {
  for (const [r, allow] of [[await api.put(path).set(demo), 'GET, POST, DELETE'], [await api.delete('/disco/').set(demo), 'GET, POST'],
    [await api.patch('/-/'), 'GET']] as const) {
    track(r);
    assert.equal(r.status, 405, r.text);
    assert.equal(r.headers.allow, allow);
  }
});

test('actions on a cluster that is not ready: 409 saying why; unknown action: 400; a bad body: 415; Accept nobody serves: 406', async () => {
  let r = track(await api.post(`${path}?action=suspend`).set(demo));
  assert.equal(r.status, 409);
  assert.match(r.text, /is (pending|deploying|installing): suspend needs it ready or suspended/);
  r = track(await api.post(path).set(demo).set('X-OCCI-Attribute', 'action="resume"'));
  assert.equal(r.status, 409);
  r = track(await api.post(`${path}?action=scale`).set(demo).set('X-OCCI-Attribute', 'icclab.disco.components.heat.slavecount=2'));
  assert.equal(r.status, 409);
  assert.match(r.text, /scaling needs it ready/);
  r = track(await api.post(`${path}?action=explode`).set(demo));
  assert.equal(r.status, 400);
  r = track(await api.post('/disco/').set(demo).set('Content-Type', 'application/xml').send('<disco/>'));
  assert.equal(r.status, 415);
  r = track(await api.get(path).set(demo).set('Accept', 'image/png'));
  assert.equal(r.status, 406);
});

test('the old deployer attributes work as credentials, and the password is kept nowhere', async () => {
  const e = cloudEnv();
  const r = track(await api.post('/disco/').set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi')
    .set('X-Tenant-Name', e.OS_PROJECT_NAME)
    .set('X-OCCI-Attribute', icclabAttributes(1, `, icclab.disco.deployer.username="${e.OS_USERNAME}", ` +
      `icclab.disco.deployer.password="${e.OS_PASSWORD}", icclab.disco.deployer.region="${e.OS_REGION_NAME}"`)));
  assert.equal(r.status, 201, r.text);
  const got = track(await api.get(new URL(r.headers.location as string).pathname).set(passwordHeaders('demo')));
  assert.equal(got.status, 200);
  assert.ok(!got.text.includes(e.OS_PASSWORD) && !got.text.includes('deployer.password'));
  const wrong = track(await api.post('/disco/').set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi')
    .set('X-OCCI-Attribute', icclabAttributes(1, `, icclab.disco.deployer.username="${e.OS_USERNAME}", icclab.disco.deployer.password="nope"`)));
  assert.equal(wrong.status, 401);
  for (const f of readdirSync(env.SM_DATA_DIR!).filter((x) => x.startsWith('clusters.sqlite'))) {
    assert.ok(!readFileSync(join(env.SM_DATA_DIR!, f)).includes(e.OS_PASSWORD), `the password in ${f}`);
  }
  // no worker provisions it: a pending record would hold its room in the quota for the rest of the file
  await service.store.delete(new URL(r.headers.location as string).pathname.split('/')[2]!);
});

test('a create with X-Auth-Token', async () => {
  const token = (await cloud(LANE).session.token()).value;
  const r = track(await api.post('/disco/').set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi')
    .set('X-Auth-Token', token).set('X-OCCI-Attribute', icclabAttributes(2)));
  assert.equal(r.status, 201, r.text);
  const got = track(await api.get(new URL(r.headers.location as string).pathname).set('X-Auth-Token', token));
  assert.match(got.text, /icclab\.disco\.components\.heat\.slavecount=2/);
  await service.store.delete(new URL(r.headers.location as string).pathname.split('/')[2]!);
});

test('names that reach OpenStack URLs cannot change the path: each is a 400 naming its attribute', async () => {
  for (const bad of ['..', '.', '%2e%2e', '.%2E', '../../servers', 'a/b', '?all_tenants=1', '#x', '%00']) {
    for (const [attr, expected] of [['masterflavor', /expected a flavor that exists in the project/], ['slaveflavor', /expected a flavor that exists/],
      ['externalnetworkname', /expected an external network that exists/], ['masterimage', /expected an image that exists/]] as const) {
      const r = await create(icclabAttributes(1).replace(new RegExp(`${attr}="[^"]*"`), `${attr}="${bad}"`));
      assert.equal(r.status, 400, `${attr}=${bad}: ${r.text}`);
      assert.match(r.text, new RegExp(`^icclab\\.disco\\.components\\.heat\\.${attr}: `), `${attr}=${bad}`);
      assert.match(r.text, expected, `${attr}=${bad}`);
    }
  }
});

test("attributes the service owns cannot be set: a create or an update naming one is a 400 naming it", async () => {
  for (const [name, value] of [['stack_status', '"CREATE_COMPLETE"'], ['external_ip', '"203.0.113.7"'], ['icclab.disco.state', '"ready"'], ['made.up', '1']]) {
    const r = await create(icclabAttributes(1, `, ${name}=${value}`));
    assert.equal(r.status, 400, r.text);
    assert.match(r.text, new RegExp(`^${name!.replace(/\./g, '\\.')}: expected `));
    const u = track(await api.post(path).set(demo).set('Content-Type', 'text/occi').set('X-OCCI-Attribute', `${name}=${value}`));
    assert.equal(u.status, 400, u.text);
    assert.match(u.text, new RegExp(`^${name!.replace(/\./g, '\\.')}: expected a mutable attribute`));
  }
  const g = track(await api.get(path).set(demo));
  assert.doesNotMatch(g.text, /203\.0\.113\.7|made\.up|stack_status="CREATE_COMPLETE"/);
  // the old clients' credential attributes ride along with a change
  const u = track(await api.post(path).set(demo).set('Content-Type', 'text/occi')
    .set('X-OCCI-Attribute', 'icclab.disco.deployer.region="RegionOne", icclab.disco.lifetime=3600'));
  assert.equal(u.status, 200, u.text);
  const s = track(await api.post(`${path}?action=suspend`).set(demo).set('Content-Type', 'text/occi')
    .set('Category', 'suspend; scheme="http://schemas.cloudcomplab.ch/occi/sm/action#"; class="action"').set('X-OCCI-Attribute', 'external_ip="1.2.3.4"'));
  assert.equal(s.status, 400, s.text);
  assert.match(s.text, /^external_ip: expected no attribute with the action suspend/);
});

test('DELETE by its owner is accepted', async () => {
  const r = track(await api.delete(path).set(demo));
  assert.equal(r.status, 200);
  const g = track(await api.get(path).set(demo));
  assert.match(g.text, /icclab\.disco\.state="deleting"/, 'no worker runs here, so it stays deleting');
});
