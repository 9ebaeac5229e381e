// Keystone against the local cloud: the three ways to authenticate, the typed 401, the
// catalog, validation of a caller's token, application credentials, the token cache.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  KeystoneClient, NotFoundError, OpenStackHttp, Session, UnauthorizedError, findEndpoint,
} from '../../src/openstack/index.js';
import { cloudEnv, passwordLogin } from '../helpers/cloud.js';

const env = cloudEnv();
const keystone = new KeystoneClient(env.OS_AUTH_URL, new OpenStackHttp({ retries: 1 }));
const demo = passwordLogin('demo');

test('password auth by names with domain names, scoped to the demo project', async () => {
  const t = await keystone.authenticate(demo.credentials, demo.scope);
  assert.equal(t.user.name, env.OS_USERNAME);
  assert.equal(t.project?.name, env.OS_PROJECT_NAME);
  assert.deepEqual(t.methods, ['password']);
  assert.ok(t.value.length > 20);
  assert.ok(t.expiresAt.getTime() > Date.now());
  const roles = t.roles.map((r) => r.name);
  assert.ok(roles.includes('member') && roles.includes('heat_stack_owner'), roles.join(','));
  assert.ok(!roles.includes('admin'), 'the demo user is no admin');
});

test('password auth by ids (user id, project id, domain id)', async () => {
  const first = await keystone.authenticate(demo.credentials, demo.scope);
  const t = await keystone.authenticate(
    { kind: 'password', userId: first.user.id, password: env.OS_PASSWORD },
    { projectId: first.project!.id });
  assert.equal(t.user.id, first.user.id);
  assert.equal(t.project?.id, first.project!.id);
  const byDomainId = await keystone.authenticate(
    { kind: 'password', username: env.OS_USERNAME, password: env.OS_PASSWORD, userDomain: { id: 'default' } },
    { projectName: env.OS_PROJECT_NAME, projectDomain: { id: 'default' } });
  assert.equal(byDomainId.user.id, first.user.id);
});

test('a wrong password gives the typed 401', async () => {
  const wrong = 'not-the-password-' + Date.now();
  const err = await keystone.authenticate(
    { kind: 'password', username: env.OS_USERNAME, password: wrong, userDomain: { name: 'Default' } }, demo.scope,
  ).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof UnauthorizedError, String(err));
  assert.equal(err.code, 'OS_UNAUTHORIZED');
  assert.equal(err.status, 401);
  assert.equal(err.service, 'keystone');
  assert.equal(err.operation, 'keystone.authenticate');
  assert.match(err.osMessage ?? '', /authenticat/i);
  assert.ok(!err.message.includes(wrong), 'the password is not in the message');
});

test('token auth re-scopes an existing token', async () => {
  const unscoped = await keystone.authenticate(demo.credentials, 'unscoped');
  assert.equal(unscoped.project, undefined);
  const t = await keystone.authenticate({ kind: 'token', token: unscoped.value }, demo.scope);
  assert.equal(t.project?.name, env.OS_PROJECT_NAME);
  assert.ok(t.methods.includes('token') || t.methods.includes('password'));
  assert.notEqual(t.value, unscoped.value);
});

test('the catalog resolves Heat, Nova, Neutron and Glance', async () => {
  const t = await keystone.authenticate(demo.credentials, demo.scope);
  const heat = findEndpoint(t.catalog, 'orchestration', { interface: 'public', region: env.OS_REGION_NAME });
  assert.equal(heat, `http://127.0.0.1:8004/v1/${t.project!.id}`);
  assert.equal(findEndpoint(t.catalog, 'compute'), 'http://127.0.0.1:8774/v2.1');
  assert.equal(findEndpoint(t.catalog, 'network', { interface: 'internal' }), 'http://127.0.0.1:9696');
  assert.equal(findEndpoint(t.catalog, 'image'), 'http://127.0.0.1:9292');
  assert.throws(() => findEndpoint(t.catalog, 'compute', { region: 'NoSuchRegion' }), { code: 'OS_ENDPOINT_NOT_FOUND' });
  assert.throws(() => findEndpoint(t.catalog, 'object-store'), /not in the catalog/);
});

test("validating a caller's token returns user, project and roles", async () => {
  const caller = await keystone.authenticate(demo.credentials, demo.scope);
  const info = await keystone.validateToken(caller.value);
  assert.equal(info.user.id, caller.user.id);
  assert.equal(info.project?.id, caller.project!.id);
  assert.deepEqual(info.roles.map((r) => r.name).sort(), caller.roles.map((r) => r.name).sort());
  // checked with another valid token (the way a service with its own token would)
  const other = await keystone.authenticate(demo.credentials, demo.scope);
  assert.equal((await keystone.validateToken(caller.value, other.value)).user.id, caller.user.id);
  await assert.rejects(keystone.validateToken('gAAAAABnot-a-real-token-0000000000000000000000000000', other.value),
    (e: unknown) => e instanceof NotFoundError && e.status === 404);
});

test('application credential: create, authenticate by id and by name, delete', async () => {
  const owner = await keystone.authenticate(demo.credentials, demo.scope);
  const ac = await keystone.createApplicationCredential(owner, {
    name: `ostest-ac-${process.pid}-${Date.now()}`, description: 'client test',
    expiresAt: new Date(Date.now() + 3600_000),
  });
  try {
    assert.equal(ac.projectId, owner.project!.id);
    assert.ok(ac.secret.length >= 20);
    const byId = await keystone.authenticate({ kind: 'applicationCredential', id: ac.id, secret: ac.secret });
    assert.deepEqual(byId.methods, ['application_credential']);
    assert.equal(byId.project?.id, owner.project!.id);
    assert.equal(byId.applicationCredential?.id, ac.id);
    const byName = await keystone.authenticate({ kind: 'applicationCredential', name: ac.name, secret: ac.secret,
      username: env.OS_USERNAME, userDomain: { name: env.OS_USER_DOMAIN_NAME } });
    assert.equal(byName.user.id, owner.user.id);
    await assert.rejects(keystone.authenticate({ kind: 'applicationCredential', id: ac.id, secret: 'wrong-secret-xyz' }),
      UnauthorizedError);
  } finally {
    await keystone.deleteApplicationCredential(owner, ac.id);
  }
  await assert.rejects(keystone.authenticate({ kind: 'applicationCredential', id: ac.id, secret: ac.secret }),
    UnauthorizedError, 'a deleted application credential no longer authenticates');
});

test('the session caches its token and refreshes it before expiry', async () => {
  let now = Date.now();
  const session = new Session(keystone, demo.credentials, demo.scope, { refreshMarginMs: 60_000, now: () => now });
  const [a, b] = await Promise.all([session.token(), session.token()]);
  assert.equal(a, b, 'concurrent callers share one authentication');
  assert.equal(await session.token(), a, 'cached while far from expiry');
  now = a.expiresAt.getTime() - 30_000; // inside the refresh margin
  const c = await session.token();
  assert.notEqual(c.value, a.value, 'a new token before the old one expires');
  session.invalidate(c);
  now = Date.now();
  assert.notEqual((await session.token()).value, c.value, 'invalidate forces a new token');
});
