// Pure pieces of the client: backoff, catalog lookup, redaction, typed errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay } from '../../src/openstack/backoff.js';
import { findEndpoint } from '../../src/openstack/catalog.js';
import { KeystoneClient } from '../../src/openstack/keystone.js';
import { Session } from '../../src/openstack/session.js';
import { AuthToken } from '../../src/openstack/token.js';
import { OpenStackHttp } from '../../src/openstack/http.js';
import { errorForStatus, NotFoundError, ServerError, OverLimitError, HttpError } from '../../src/openstack/errors.js';
import { redact, registerSecret, REDACTED } from '../../src/log/redact.js';

test('backoff doubles from the base, is capped, and is jittered below the ceiling', () => {
  const o = { baseMs: 100, capMs: 1000 };
  assert.deepEqual([0, 1, 2, 3, 4, 10].map((n) => backoffDelay(n, o, () => 0.999999)), [99, 199, 399, 799, 999, 999]);
  assert.equal(backoffDelay(3, o, () => 0), 0);
});

const catalog = [
  { type: 'compute', name: 'nova', endpoints: [
    { interface: 'public', region: 'RegionOne', url: 'http://a/v2.1/' },
    { interface: 'internal', region: 'RegionOne', url: 'http://internal/v2.1' },
    { interface: 'public', region: 'RegionTwo', url: 'http://b/v2.1' },
  ] },
  { type: 'identity', name: 'keystone', endpoints: [{ interface: 'public', region: 'RegionOne', url: 'http://k/v3' }] },
];

test('catalog lookup by type, interface and region', () => {
  assert.equal(findEndpoint(catalog, 'compute'), 'http://a/v2.1');
  assert.equal(findEndpoint(catalog, 'compute', { region: 'RegionTwo' }), 'http://b/v2.1');
  assert.equal(findEndpoint(catalog, 'compute', { interface: 'internal' }), 'http://internal/v2.1');
  assert.throws(() => findEndpoint(catalog, 'compute', { interface: 'admin' }), /no admin interface for service type compute/);
  assert.throws(() => findEndpoint(catalog, 'orchestration'), /orchestration is not in the catalog \(has: compute, identity\)/);
});

test('an endpoint override stands in for the catalog\'s URL of its service type, with the project filled in', async () => {
  const ref = (id: string) => ({ id, name: id, domain: { id: 'default', name: 'Default' } });
  const token = new AuthToken('tok-override-test', { user: ref('u'), project: ref('p 1'), roles: [], methods: ['password'], catalog,
    expiresAt: new Date(Date.now() + 3_600_000), issuedAt: new Date(), applicationCredential: undefined, trust: undefined });
  const s = Session.fromToken(new KeystoneClient('http://k/v3', new OpenStackHttp({ retries: 0 })), token,
    { endpointOverrides: { orchestration: 'http://10.0.2.2:8004/v1/%(project_id)s/', compute: 'http://10.0.2.2:8774/v2.1' } });
  assert.equal(await s.endpoint('orchestration'), 'http://10.0.2.2:8004/v1/p%201', 'not in the catalog at all: the override serves');
  assert.equal(await s.endpoint('compute'), 'http://10.0.2.2:8774/v2.1', 'in place of the catalog\'s');
  assert.equal(await s.endpoint('identity'), 'http://k/v3', 'other types from the catalog');
});

test('redaction of registered secrets, fernet tokens and private keys', () => {
  registerSecret('s3cr3t-passw0rd');
  registerSecret('abc'); // too short to scrub safely: ignored
  assert.equal(redact('login with s3cr3t-passw0rd twice: s3cr3t-passw0rd'), `login with ${REDACTED} twice: ${REDACTED}`);
  assert.equal(redact('abc'), 'abc');
  const fernet = 'gAAAAABl' + 'x'.repeat(150);
  assert.equal(redact(`token=${fernet};`), `token=${REDACTED};`);
  assert.equal(redact('k: -----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY----- end'), `k: ${REDACTED} end`);
  assert.equal(redact('"-----BEGIN RSA PRIVATE KEY-----\\nMIIE...'), `"${REDACTED}`);
});

test('typed errors by status', () => {
  const d = { service: 'nova', operation: 'nova.flavor', requestId: 'req-1', osMessage: 'Flavor x could not be found.' };
  const e = errorForStatus(404, d);
  assert.ok(e instanceof NotFoundError);
  assert.equal(e.name, 'NotFoundError');
  assert.equal(e.message, 'nova.flavor failed: HTTP 404: Flavor x could not be found. (request req-1)');
  assert.ok(errorForStatus(503, d) instanceof ServerError);
  assert.ok(errorForStatus(413, d) instanceof OverLimitError);
  assert.ok(errorForStatus(429, d) instanceof OverLimitError);
  assert.equal(errorForStatus(418, d).code, 'OS_HTTP_ERROR');
  assert.ok(errorForStatus(418, d) instanceof HttpError);
});
