// The API under hostile input, on the local Keystone: a revoked token changes nothing a
// moment later, nor does a password changed in Keystone (its caller's token is revalidated); failed logins get 429 before Keystone is asked again; what an
// unauthenticated caller sends never bends the log; a caller whose token cannot delegate
// (an application credential) is refused a create at once, with nothing recorded.
// The worker is not started: nothing here makes a stack.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import request from 'supertest';
import { redact, REDACTED } from '../../src/log/redact.js';
import { KeystoneClient, OpenStackHttp } from '../../src/openstack/index.js';
import { cloudEnv, passwordLogin, userOf } from '../helpers/cloud.js';
import { icclabAttributes, inProcess, KIND_CATEGORY, passwordHeaders } from '../helpers/service.js';

const { service, logs } = inProcess({ SM_LOGIN_FAILURES_PER_USER: '3', SM_LOGIN_FAILURES_PER_CLIENT: '50', SM_LOGIN_FAILURE_WINDOW_SECONDS: '60' });
const api = request(service.app);
const env = cloudEnv();
const http = new OpenStackHttp({ retries: 2 });
const keystone = new KeystoneClient(env.OS_AUTH_URL, http);
after(() => service.close());

const create = (headers: Record<string, string>, extra = '') => api.post('/disco/').set('Category', KIND_CATEGORY)
  .set('Content-Type', 'text/occi').set(headers).set('X-OCCI-Attribute', icclabAttributes(1, extra));
const login = (who: Parameters<typeof passwordLogin>[0]) => { const p = passwordLogin(who); return keystone.authenticate(p.credentials, p.scope); };

test('a token revoked in Keystone cannot delete or act on a cluster a moment later: 401', async () => {
  const made = await create(passwordHeaders('demo'));
  assert.equal(made.status, 201, made.text);
  const path = new URL(made.headers.location as string).pathname;
  const token = await login('demo');
  const mine = { 'X-Auth-Token': token.value };
  assert.equal((await api.get(path).set(mine)).status, 200, 'the token works (and is cached for reads)');
  // revoked by its user: DELETE /v3/auth/tokens
  await http.call({ service: 'keystone', operation: 'test.revoke', method: 'DELETE', url: `${env.OS_AUTH_URL.replace(/\/+$/, '')}/auth/tokens`,
    token: token.value, headers: { 'x-subject-token': token.value } });
  const del = await api.delete(path).set(mine);
  assert.equal(del.status, 401, del.text);
  assert.match(del.text, /Keystone did not accept the credentials/);
  assert.equal((await api.post(`${path}?action=suspend`).set(mine)).status, 401);
  assert.equal((await api.post('/disco/').set('Category', KIND_CATEGORY).set(mine).set('X-OCCI-Attribute', icclabAttributes(1))).status, 401);
  const still = await api.get(path).set(passwordHeaders('demo'));
  assert.equal(still.status, 200);
  assert.match(still.text, /icclab\.disco\.state="pending"/, 'nothing changed');
  assert.equal((await api.delete(path).set(passwordHeaders('demo'))).status, 200, 'the owner with live credentials still can');
});

test('a kept caller whose token was revoked: a create is 401 even when its request is wrong too, and nothing is made', async () => {
  const token = await login('demo');
  const mine = { 'X-Auth-Token': token.value };
  const count = async () => {
    const r = await api.get('/disco/').set(passwordHeaders('demo')).set('Accept', 'text/uri-list');
    assert.equal(r.status, 200, r.text);
    return r.text.split('\n').filter((l) => l.includes('/disco/')).length;
  };
  // kept by a read: a create's checks and secrets are staged while Keystone confirms the token
  assert.equal((await api.get('/disco/').set(mine)).status, 200);
  const wrong = await create(mine, '').set('X-OCCI-Attribute', icclabAttributes('abc'));
  assert.equal(wrong.status, 400, wrong.text);
  assert.match(wrong.text, /^icclab\.disco\.components\.heat\.slavecount: expected an integer from 0 to 50/, 'a live token: the request\'s own error');
  const before = await count();
  await http.call({ service: 'keystone', operation: 'test.revoke', method: 'DELETE', url: `${env.OS_AUTH_URL.replace(/\/+$/, '')}/auth/tokens`,
    token: token.value, headers: { 'x-subject-token': token.value } });
  for (const attrs of [icclabAttributes('abc'), icclabAttributes(1), `${icclabAttributes(1)}, no.such.attribute="1"`]) {
    const r = await api.post('/disco/').set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi').set(mine).set('X-OCCI-Attribute', attrs);
    assert.equal(r.status, 401, `${attrs.slice(-40)}: ${r.text}`);
    assert.match(r.text, /Keystone did not accept the credentials/);
  }
  assert.equal(await count(), before, 'no cluster was made');
});

/** A user of the test's own in the demo project (member), so that no other test's tokens or password change. */
async function ownUser(prefix: string, password: string) {
  const admin = await login('admin');
  const base = env.OS_AUTH_URL.replace(/\/+$/, '');
  const ks = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, json?: unknown, token: string | undefined = admin.value) =>
    (await http.call({ service: 'keystone', operation: `test.${method}`, method, url: `${base}${path}`, ...(token ? { token } : {}), ...(json ? { json } : {}) })).body as Record<string, unknown>;
  const project = ((await ks('GET', `/projects?name=${encodeURIComponent(env.OS_PROJECT_NAME)}`)).projects as { id: string }[])[0]!;
  const member = ((await ks('GET', '/roles?name=member')).roles as { id: string }[])[0]!;
  const name = `${prefix}-${Date.now()}`;
  const user = (await ks('POST', '/users', { user: { name, password, domain_id: 'default' } })).user as { id: string };
  await ks('PUT', `/projects/${project.id}/users/${user.id}/roles/${member.id}`);
  const as = (pw: string) => ({ 'X-User-Name': name, 'X-Password': pw, 'X-Tenant-Name': env.OS_PROJECT_NAME });
  return { id: user.id, ks, as, remove: () => ks('DELETE', `/users/${user.id}`) };
}
/** Password logins the service made (Keystone's 201s), from its metrics. */
const logins = async () => Number(/^disco_sm_openstack_request_seconds_count\{[^}]*service="keystone",status="201"\} (\d+)$/m.exec((await request(service.admin).get('/metrics')).text)?.[1] ?? 0);

test('a password changed in Keystone stops the next change made with the old one (its cached token): 401', async () => {
  const [oldPw, newPw] = [`old-${randomUUID()}`, `new-${randomUUID()}`];
  const u = await ownUser('sm-test-pwchange', oldPw);
  try {
    const nothing = `/disco/${randomUUID()}`;
    // changes: the first logs in (Keystone's 201), the next ones validate that login's token (200)
    assert.equal((await api.delete(nothing).set(u.as(oldPw))).status, 404, 'authenticated, and no such cluster');
    const before = await logins();
    assert.ok(before >= 1, 'the login was counted');
    for (let i = 0; i < 2; i++) assert.equal((await api.delete(nothing).set(u.as(oldPw))).status, 404);
    assert.equal(await logins(), before, 'no new login for these changes');
    // the user's own change, as `openstack user password set` makes it: Keystone revokes the user's tokens
    await u.ks('POST', `/users/${u.id}/password`, { user: { password: newPw, original_password: oldPw } }, undefined);
    const del = await api.delete(nothing).set(u.as(oldPw));
    assert.equal(del.status, 401, del.text);
    assert.match(del.text, /Keystone did not accept the credentials/);
    assert.equal((await api.get('/disco/').set(u.as(oldPw))).status, 401, 'reads with the old password stop too');
  } finally {
    await u.remove();
  }
});

test('a kept password caller whose token Keystone revoked (the user disabled, then enabled) creates with one new login, the create done again for it', async () => {
  const pw = `pw-${randomUUID()}`;
  const u = await ownUser('sm-test-relogin', pw);
  try {
    assert.equal((await api.get('/disco/').set(u.as(pw))).status, 200, 'logged in, and kept');
    // disabling a user revokes its tokens in Keystone; its password stays right
    await u.ks('PATCH', `/users/${u.id}`, { user: { enabled: false } });
    await u.ks('PATCH', `/users/${u.id}`, { user: { enabled: true } });
    const before = await logins();
    const made = await create(u.as(pw));
    assert.equal(made.status, 201, made.text);
    assert.equal(await logins(), before + 1, 'the kept token was refused: one new login');
    const id = new URL(made.headers.location as string).pathname.split('/').pop()!;
    const rec = await service.store.get(id);
    assert.equal(rec?.userId, u.id, 'the record is the confirmed caller\'s');
    assert.equal((await api.delete(`/disco/${id}`).set(u.as(pw))).status, 200);
  } finally {
    await u.remove();
  }
});

test('failed logins for one user name: 429 with Retry-After, other users unaffected', async () => {
  const nobody = { 'X-User-Name': `nobody-${Date.now()}`, 'X-Password': 'wrong-password', 'X-Tenant-Name': env.OS_PROJECT_NAME };
  for (let i = 0; i < 3; i++) assert.equal((await api.get('/disco/').set(nobody)).status, 401);
  const r = await api.get('/disco/').set(nobody);
  assert.equal(r.status, 429, r.text);
  assert.match(r.text, /too many failed logins from this address or for this user name: try again in \d+ s/);
  const wait = Number(r.headers['retry-after']);
  assert.ok(wait >= 1 && wait <= 60, `Retry-After: ${r.headers['retry-after']}`);
  assert.equal((await api.get('/disco/').set(passwordHeaders('demo'))).status, 200);
});

test("an unauthenticated caller's X-Password is never registered: every log line stays JSON", async () => {
  const hostile = '"level":';
  const r = await api.get('/disco/').set({ 'X-User-Name': `hostile-${Date.now()}`, 'X-Password': hostile, 'X-Tenant-Name': env.OS_PROJECT_NAME });
  assert.equal(r.status, 401);
  assert.equal(redact(`a ${hostile} b`), `a ${hostile} b`, 'not scrubbed: the service does not hold it');
  assert.equal((await api.get('/disco/').set(passwordHeaders('demo'))).status, 200);
  await new Promise((done) => setImmediate(done));
  assert.ok(logs.length > 3, `${logs.length} log lines`);
  for (const l of logs) {
    const o = JSON.parse(l) as { level: unknown };
    assert.equal(typeof o.level, 'number', l);
  }
  assert.equal(redact(`x ${userOf('demo')[1]} y`), `x ${REDACTED} y`, 'a password Keystone accepted is still scrubbed');
});

test('a create with an application credential\'s token is a 403 at once, dry run too, and nothing is recorded', async () => {
  const owner = await login('icclab');
  // Keystone (Zed, memcached) sometimes answers 400 "Could not find role assignment" for a role
  // the user has (seen twice on 2026-12-07, while this file's other tests made and deleted a user):
  // the test's own setup, so it asks again rather than fail on it
  const make = () => keystone.createApplicationCredential(owner, { name: `sm-test-no-delegation-${randomUUID()}` });
  const ac = await make().catch((e: unknown) => {
    if (!(e instanceof Error && /Could not find role assignment/.test(e.message))) throw e;
    return make();
  });
  try {
    const acToken = await keystone.authenticate({ kind: 'applicationCredential', id: ac.id, secret: ac.secret });
    assert.ok(acToken.methods.includes('application_credential'), acToken.methods.join(','));
    const projectId = acToken.project!.id;
    const before = (await service.store.listByProject(projectId)).length;
    for (const extra of ['', ', icclab.disco.dryrun="true"']) {
      const r = await create({ 'X-Auth-Token': acToken.value }, extra);
      assert.equal(r.status, 403, r.text);
      assert.match(r.text, /a token from an application credential cannot create a cluster.*X-User-Name and X-Password/);
    }
    assert.equal((await service.store.listByProject(projectId)).length, before, 'no record');
    const list = await api.get('/disco/').set({ 'X-Auth-Token': acToken.value });
    assert.equal(list.status, 200, 'reads with it are fine');
  } finally {
    await keystone.deleteApplicationCredential(owner, ac.id);
  }
});

test('a create with a trust-scoped token is a 403 at once, and nothing is recorded', async () => {
  const root = env.OS_AUTH_URL.replace(/\/+$/, '');
  const trustor = await login('demo');
  const trustee = await login('other');
  const made = await http.call({ service: 'keystone', operation: 'test.createTrust', method: 'POST', url: `${root}/OS-TRUST/trusts`, token: trustor.value,
    json: { trust: { trustor_user_id: trustor.user.id, trustee_user_id: trustee.user.id, project_id: trustor.project!.id, impersonation: false,
      roles: trustor.roles.filter((r) => r.name === 'member').map((r) => ({ name: r.name })) } } });
  const trustId = (made.body as { trust: { id: string } }).trust.id;
  try {
    const scoped = await http.call({ service: 'keystone', operation: 'test.trustToken', method: 'POST', url: `${root}/auth/tokens`,
      json: { auth: { identity: { methods: ['token'], token: { id: trustee.value } }, scope: { 'OS-TRUST:trust': { id: trustId } } } } });
    const token = String(scoped.headers['x-subject-token']);
    const before = (await service.store.listByProject(trustor.project!.id)).length;
    const r = await create({ 'X-Auth-Token': token });
    assert.equal(r.status, 403, r.text);
    assert.match(r.text, /a trust-scoped token cannot create a cluster.*a token obtained from a password login/);
    assert.equal((await service.store.listByProject(trustor.project!.id)).length, before, 'no record');
  } finally {
    await http.call({ service: 'keystone', operation: 'test.deleteTrust', method: 'DELETE', url: `${root}/OS-TRUST/trusts/${trustId}`, token: trustor.value });
  }
});
