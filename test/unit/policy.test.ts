// The policy: which roles grant which rule (OpenStack's reader/member personas by default,
// configurable), who sees a cluster's secrets, and which rule a change needs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DomainError } from '../../src/errors/domain-error.js';
import { changeRule, Policy, RULES, type Rule } from '../../src/policy/policy.js';
import { loadConfig } from '../../src/config/load.js';

const reader = { userId: 'r', roles: ['reader'] };
const member = { userId: 'm', roles: ['member', 'reader'] };
const admin = { userId: 'a', roles: ['admin', 'member', 'reader'] };
const stranger = { userId: 's', roles: ['heat_stack_owner'] };
const READS: Rule[] = ['disco:list', 'disco:get', 'disco:events'];

test('by default a reader reads, a member changes, no role does nothing', () => {
  const p = new Policy();
  //        rule                 reader  member  admin  stranger
  const rows: [Rule, boolean, boolean, boolean, boolean][] = [
    ['disco:list', true, true, true, false],
    ['disco:get', true, true, true, false],
    ['disco:events', true, true, true, false],
    ['disco:create', false, true, true, false],
    ['disco:delete', false, true, true, false],
    ['disco:scale', false, true, true, false],
    ['disco:suspend', false, true, true, false],
    ['disco:resume', false, true, true, false],
    ['disco:set_expiry', false, true, true, false],
    ['disco:show_secrets', false, false, true, false],
  ];
  assert.deepEqual(rows.map((r) => r[0]).sort(), [...RULES].sort(), 'every rule has a row');
  for (const [rule, ...want] of rows) {
    assert.deepEqual([reader, member, admin, stranger].map((w) => p.allows(w, rule)), want, rule);
  }
});

test('a refusal is a FORBIDDEN naming the rule, the roles it needs and the caller\'s', () => {
  assert.throws(() => new Policy().enforce(reader, 'disco:delete'), (e: unknown) => e instanceof DomainError && e.code === 'FORBIDDEN' &&
    e.message === 'disco:delete needs one of the roles member, admin in the project; your roles: reader');
  assert.throws(() => new Policy({ 'disco:create': [] }).enforce(admin, 'disco:create'), /needs a role no one is given/);
  assert.doesNotThrow(() => new Policy().enforce(member, 'disco:create'));
});

test('the configuration replaces a rule; role names compare without case', () => {
  const p = new Policy({ 'disco:create': ['Cluster-Maker'], 'disco:list': ['member'] });
  assert.equal(p.allows({ userId: 'x', roles: ['cluster-maker'] }, 'disco:create'), true);
  assert.equal(p.allows(member, 'disco:create'), false);
  assert.equal(p.allows(reader, 'disco:list'), false);
  assert.equal(p.allows(reader, 'disco:get'), true, 'rules not named keep their default');
});

test('secrets: the creator sees them, and the roles of disco:show_secrets; other members do not', () => {
  const p = new Policy();
  assert.equal(p.showsSecrets(member, 'm'), true);
  assert.equal(p.showsSecrets(member, 'someone-else'), false);
  assert.equal(p.showsSecrets(reader, 'someone-else'), false);
  assert.equal(p.showsSecrets(admin, 'someone-else'), true);
  assert.equal(new Policy({ 'disco:show_secrets': [] }).showsSecrets(admin, 'someone-else'), false);
});

test('the rule of a change', () => {
  assert.equal(changeRule('scale', false), 'disco:scale');
  assert.equal(changeRule('suspend', false), 'disco:suspend');
  assert.equal(changeRule('resume', false), 'disco:resume');
  assert.equal(changeRule(undefined, true), 'disco:scale');
  assert.equal(changeRule(undefined, false), 'disco:set_expiry');
  assert.equal(changeRule('explode', false), 'disco:scale');
});

test('etc/sm.json holds the default policy', () => {
  const c = loadConfig({});
  for (const r of READS) assert.deepEqual(c.policy[r], ['reader', 'member', 'admin']);
  assert.deepEqual(c.policy['disco:show_secrets'], ['admin']);
});
