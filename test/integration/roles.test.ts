// Roles, as OpenStack's own services have them: in the demo project, demo (member, the
// creator), demo-peer (another member) and demo-reader (reader only). A reader reads without
// secret values and changes nothing (403); only the creator sees the secrets' values. No
// worker runs: records, no stacks.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { createCluster, icclabAttributes, inProcess, KIND_CATEGORY, passwordHeaders, textAttributes } from '../helpers/service.js';

const { service } = inProcess();
const api = request(service.app);
const demo = passwordHeaders('demo');
const peer = passwordHeaders('demo-peer');
const reader = passwordHeaders('demo-reader');
const ACTION = 'http://schemas.cloudcomplab.ch/occi/sm/action#';
const WORKERS = 'icclab.disco.components.heat.slavecount';
const TOKEN = 'icclab.disco.components.jupyter.token';
const HIDDEN = '(hidden: shown only to the user who created the cluster)';
let path = '';

before(async () => { path = await createCluster(service.app, demo); });
after(async () => {
  await service.store.delete(path.split('/')[2]!);
  await service.close();
});

test('a reader reads: the list, the cluster (secrets named, not shown), its events', async () => {
  const list = await api.get('/disco/').set(reader);
  assert.equal(list.status, 200, list.text);
  assert.ok(list.text.includes(path));
  const g = await api.get(path).set(reader);
  assert.equal(g.status, 200, g.text);
  const a = textAttributes(g.text);
  assert.equal(a.get('ssh_private_key'), HIDDEN);
  assert.equal(a.get(TOKEN), HIDDEN, 'the notebook token exists, its value is not shown');
  assert.ok(a.get('ssh_public_key')?.startsWith('ssh-ed25519 '), 'what is not secret is shown');
  assert.doesNotMatch(g.text, /BEGIN OPENSSH PRIVATE KEY/);
  const j = await api.get(path).set(reader).set('Accept', 'application/occi+json');
  assert.equal(j.status, 200);
  assert.equal((j.body as { attributes: Record<string, string> }).attributes.ssh_private_key, HIDDEN);
  assert.equal((await api.get(`${path}/events`).set(reader)).status, 200);
});

test('a reader changes nothing: every change is a 403 naming the rule and the roles', async () => {
  const cases: [string, request.Test, RegExp][] = [
    ['create', api.post('/disco/').set(reader).set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi').set('X-OCCI-Attribute', icclabAttributes(1)), /^disco:create needs one of the roles member, admin in the project; your roles: reader/],
    ['dry run', api.post('/disco/').set(reader).set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi').set('X-OCCI-Attribute', icclabAttributes(1, ', icclab.disco.dryrun=true')), /^disco:create needs/],
    ['delete', api.delete(path).set(reader), /^disco:delete needs/],
    ['scale', api.post(`${path}?action=scale`).set(reader).set('Category', `scale; scheme="${ACTION}"; class="action"`).set('Content-Type', 'text/occi').set('X-OCCI-Attribute', `${WORKERS}=2`), /^disco:scale needs/],
    ['scale by update', api.post(path).set(reader).set('Content-Type', 'text/occi').set('X-OCCI-Attribute', `${WORKERS}=2`), /^disco:scale needs/],
    ['suspend', api.post(`${path}?action=suspend`).set(reader).set('Category', `suspend; scheme="${ACTION}"; class="action"`), /^disco:suspend needs/],
    ['resume (old form)', api.post(path).set(reader).set('Content-Type', 'text/occi').set('X-OCCI-Attribute', 'action="resume"'), /^disco:resume needs/],
    ['lifetime', api.post(path).set(reader).set('Content-Type', 'text/occi').set('X-OCCI-Attribute', 'icclab.disco.lifetime=60'), /^disco:set_expiry needs/],
  ];
  for (const [what, call, message] of cases) {
    const r = await call;
    assert.equal(r.status, 403, `${what}: ${r.text}`);
    assert.match(r.text, message, what);
  }
  const g = textAttributes((await api.get(path).set(demo)).text);
  assert.equal(g.get('icclab.disco.state'), 'pending', 'nothing changed');
  assert.equal(g.get('icclab.disco.lifetime'), undefined);
  assert.equal(g.get(WORKERS), '1');
  assert.equal((await service.store.listByProject((await service.store.get(path.split('/')[2]!))!.projectId)).length >= 1, true);
});

test('the creator sees the secrets; another member of the project sees that they exist, with another ETag', async () => {
  const own = await api.get(path).set(demo);
  const a = textAttributes(own.text);
  assert.match(a.get('ssh_private_key')!, /^-----BEGIN OPENSSH PRIVATE KEY-----/);
  assert.match(a.get(TOKEN)!, /^[0-9a-f]{32,}$/);
  const other = await api.get(path).set(peer);
  assert.equal(other.status, 200);
  const b = textAttributes(other.text);
  assert.equal(b.get('ssh_private_key'), HIDDEN);
  assert.equal(b.get(TOKEN), HIDDEN);
  assert.notEqual(own.headers.etag, other.headers.etag, 'the two renderings differ, so must their tags');
  // the peer's tag does not get the creator's answer, nor the reverse
  const cond = await api.get(path).set(peer).set('If-None-Match', own.headers.etag as string);
  assert.equal(cond.status, 200);
  assert.equal(textAttributes(cond.text).get('ssh_private_key'), HIDDEN);
});
