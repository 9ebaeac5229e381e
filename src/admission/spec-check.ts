// The spec against the caller's cloud: flavors, images and the external network exist.
import { NotFoundError, ConflictError, type Flavor, type OpenStack } from '../openstack/index.js';
import { badAttribute } from '../errors/domain-error.js';
import { ATTR } from '../disco-kind/attribute-names.js';
import type { ClusterFact } from '../frameworks/catalog.js';
import type { ClusterSpec } from '../clusters/record.js';

async function exists<T>(check: () => Promise<T>, attribute: string, expected: string, value: string): Promise<T> {
  try {
    return await check();
  } catch (e) {
    if (e instanceof NotFoundError) throw badAttribute(attribute, `${expected} that exists in the project`, value);
    if (e instanceof ConflictError) throw badAttribute(attribute, `${expected} that is unambiguous (use its id)`, value);
    throw e;
  }
}

/** A lookup kept for a while under `key` (LookupCache), or made every time. */
export type Cached = <T>(key: string, load: () => Promise<T>) => Promise<T>;

/** What the cloud says of the spec: the two flavors, and the master image's login user if it names one. */
export interface CloudFacts { master: Flavor; worker: Flavor; sshUser?: string }

/** Checks that what the spec names exists; returns the two flavors. */
export async function checkSpecInCloud(spec: ClusterSpec, os: OpenStack, cached: Cached = (_k, load) => load()): Promise<CloudFacts> {
  const flavor = (name: string) => cached(`flavor:${name}`, () => os.nova.flavor(name));
  const image = (name: string) => cached(`image:${name}`, () => os.glance.image(name));
  const [master, worker, masterImage] = await Promise.all([
    exists(() => flavor(spec.masterFlavor), ATTR.masterFlavor, 'a flavor', spec.masterFlavor),
    exists(() => flavor(spec.workerFlavor), ATTR.workerFlavor, 'a flavor', spec.workerFlavor),
    exists(() => image(spec.masterImage), ATTR.masterImage, 'an image', spec.masterImage),
    exists(() => image(spec.workerImage), ATTR.workerImage, 'an image', spec.workerImage),
    exists(async () => {
      const n = await cached(`network:${spec.externalNetwork}`, () => os.neutron.network(spec.externalNetwork));
      if (!n.external) throw new NotFoundError('OS_NOT_FOUND', 'not external', { service: 'neutron', operation: 'neutron.network' });
    }, ATTR.externalNetwork, 'an external network', spec.externalNetwork),
  ]);
  return { master, worker, ...(masterImage.adminUser ? { sshUser: masterImage.adminUser } : {}) };
}

/** The facts manifests' expressions may use (the catalog checks manifests against the same names). */
export function clusterFacts(spec: ClusterSpec, f: { master: Flavor; worker: Flavor }): Record<ClusterFact, number> {
  return {
    workers: spec.workers, nodes: spec.workers + 1,
    master_vcpus: f.master.vcpus, master_ram_mb: f.master.ramMb, master_disk_gb: f.master.diskGb,
    worker_vcpus: f.worker.vcpus, worker_ram_mb: f.worker.ramMb, worker_disk_gb: f.worker.diskGb,
  };
}
