// Which callers' tokens can make a cluster: a password login's token (or one obtained
// from it) can; a token from an application credential or a trust cannot, and is told how
// to get one that can. token.ts reads the trust from Keystone's token body.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Caller } from '../../src/auth/authenticator.js';
import { assertCanDelegate } from '../../src/auth/delegation.js';
import { DomainError } from '../../src/errors/domain-error.js';
import { AuthToken, parseTokenInfo } from '../../src/openstack/token.js';

const ref = { id: 'x', name: 'x', domain: { id: 'default', name: 'Default' } };
const callerOf = (extra: Record<string, unknown>): Caller => {
  const token = new AuthToken('tok', parseTokenInfo({ token: { user: ref, project: ref, methods: ['password'], roles: [],
    expires_at: '2999-01-01T00:00:00Z', issued_at: '2000-01-01T00:00:00Z', catalog: [], ...extra } }));
  return { token, userId: 'x', projectId: 'x', projectName: 'x' };
};

test('trust-scoped tokens are recognised', () => {
  const t = parseTokenInfo({ token: { methods: ['token'], 'OS-TRUST:trust': { id: 'trust-1', impersonation: false } } });
  assert.deepEqual(t.trust, { id: 'trust-1' });
  assert.equal(parseTokenInfo({ token: { methods: ['password'] } }).trust, undefined);
});

const ROWS: { name: string; token: Record<string, unknown>; refused?: RegExp }[] = [
  { name: 'a password login', token: {} },
  { name: 'a token obtained from a password login', token: { methods: ['token', 'password'] } },
  { name: 'an application credential', token: { methods: ['application_credential'], application_credential: { id: 'a', name: 'a', restricted: true } },
    refused: /a token from an application credential cannot create a cluster.*X-User-Name and X-Password/ },
  { name: 'an unrestricted application credential, rescoped', token: { methods: ['token', 'application_credential'] },
    refused: /application credential/ },
  { name: 'a trust', token: { methods: ['token'], 'OS-TRUST:trust': { id: 't' } },
    refused: /a trust-scoped token cannot create a cluster.*a token obtained from a password login/ },
];

for (const row of ROWS) {
  test(`a create with ${row.name}: ${row.refused ? '403' : 'allowed'}`, () => {
    const run = () => assertCanDelegate(callerOf(row.token));
    if (!row.refused) { assert.doesNotThrow(run); return; }
    assert.throws(run, (e: unknown) => e instanceof DomainError && e.code === 'FORBIDDEN' && row.refused!.test(e.message));
  });
}
