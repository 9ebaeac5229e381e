// The spec against the caller's cloud: flavors, images and the external network exist.
import { NotFoundError, ConflictError, type OpenStack } from '../openstack/index.js';
import { badAttribute } from './errors.js';
import { ATTR } from './kind.js';
import type { ClusterSpec } from './record.js';

async function exists(check: () => Promise<unknown>, attribute: string, expected: string, value: string): Promise<void> {
  try {
    await check();
  } catch (e) {
    if (e instanceof NotFoundError) throw badAttribute(attribute, `${expected} that exists in the project`, value);
    if (e instanceof ConflictError) throw badAttribute(attribute, `${expected} that is unambiguous (use its id)`, value);
    throw e;
  }
}

export async function checkSpecInCloud(spec: ClusterSpec, os: OpenStack): Promise<void> {
  await Promise.all([
    exists(() => os.nova.flavor(spec.masterFlavor), ATTR.masterFlavor, 'a flavor', spec.masterFlavor),
    exists(() => os.nova.flavor(spec.workerFlavor), ATTR.workerFlavor, 'a flavor', spec.workerFlavor),
    exists(() => os.glance.image(spec.masterImage), ATTR.masterImage, 'an image', spec.masterImage),
    exists(() => os.glance.image(spec.workerImage), ATTR.workerImage, 'an image', spec.workerImage),
    exists(async () => {
      const n = await os.neutron.network(spec.externalNetwork);
      if (!n.external) throw new NotFoundError('OS_NOT_FOUND', 'not external', { service: 'neutron', operation: 'neutron.network' });
    }, ATTR.externalNetwork, 'an external network', spec.externalNetwork),
  ]);
}
