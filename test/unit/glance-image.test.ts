// The login user an image names (os_admin_user), reported as ssh_user only when it is a plain
// user name: a property anyone who uploads an image sets must not carry text into GET.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toImage } from '../../src/openstack/glance.js';

const image = (props: Record<string, unknown>) => toImage({ id: 'i', name: 'n', status: 'active', visibility: 'public', ...props });

test('os_admin_user: a plain user name is the login user; anything else is ignored', () => {
  for (const u of ['ubuntu', 'debian', 'cloud-user', 'centos', '_svc', 'a'.repeat(32)]) assert.equal(image({ os_admin_user: u }).adminUser, u);
  for (const bad of ['root; rm -rf /', 'Debian', '', 'a'.repeat(33), '1user', 'x y', 42, null]) {
    assert.equal(image({ os_admin_user: bad }).adminUser, undefined, String(bad));
  }
  assert.equal(image({}).adminUser, undefined);
});
