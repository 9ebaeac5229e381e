// Would the cluster fit in the project's quotas? Nova (instances, cores, RAM) and Neutron
// (floating IPs, networks, routers, security groups). Checked before anything is made, so
// a cluster that cannot fit is refused with the numbers instead of failing half-way.
import type { Flavor, OpenStack } from '../openstack/index.js';
import { DomainError } from '../errors/domain-error.js';
import { ATTR } from '../disco-kind/attribute-names.js';
import type { ClusterSpec } from '../clusters/record.js';

export interface QuotaNeeds { instances: number; cores: number; ramMb: number; floatingIps: number; networks: number; routers: number; securityGroups: number }
export type QuotaHeadroom = { [K in keyof QuotaNeeds]: number | null };  // null: unlimited

export interface QuotaReport { needed: QuotaNeeds; headroom: QuotaHeadroom; fits: boolean; shortfalls: string[] }

const LABEL: Record<keyof QuotaNeeds, string> = {
  instances: 'instances', cores: 'cores', ramMb: 'MB of RAM', floatingIps: 'floating IPs', networks: 'networks',
  routers: 'routers', securityGroups: 'security groups',
};

export function quotaNeeds(spec: ClusterSpec, f: { master: Flavor; worker: Flavor }): QuotaNeeds {
  return {
    instances: 1 + spec.workers,
    cores: f.master.vcpus + spec.workers * f.worker.vcpus,
    ramMb: f.master.ramMb + spec.workers * f.worker.ramMb,
    floatingIps: 1, networks: 1, routers: 1, securityGroups: 1,
  };
}

export function compareQuota(needed: QuotaNeeds, headroom: QuotaHeadroom): QuotaReport {
  const shortfalls: string[] = [];
  for (const k of Object.keys(needed) as (keyof QuotaNeeds)[]) {
    const left = headroom[k];
    if (left !== null && needed[k] > left) shortfalls.push(`${needed[k]} ${LABEL[k]} needed, ${left} left`);
  }
  return { needed, headroom, fits: shortfalls.length === 0, shortfalls };
}

export async function quotaHeadroom(os: OpenStack, projectId: string): Promise<QuotaHeadroom> {
  const [nova, neutron] = await Promise.all([os.nova.headroom(), os.neutron.quotas(projectId)]);
  return {
    instances: nova.instances, cores: nova.cores, ramMb: nova.ramMb,
    floatingIps: neutron.floatingip.headroom, networks: neutron.network.headroom,
    routers: neutron.router.headroom, securityGroups: neutron.security_group.headroom,
  };
}

export async function quotaReport(os: OpenStack, projectId: string, needed: QuotaNeeds): Promise<QuotaReport> {
  return compareQuota(needed, await quotaHeadroom(os, projectId));
}

export function quotaRefusal(r: QuotaReport): DomainError {
  return new DomainError('INVALID',
    `${ATTR.workers}: the project's quota cannot hold this cluster: ${r.shortfalls.join('; ')}. ` +
    'Ask for fewer or smaller workers, free resources, or ask your cloud administrator for more quota', ATTR.workers);
}
