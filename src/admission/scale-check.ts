// Scaling a ready cluster: the new worker count is checked as at create (bounds, the
// frameworks' rules such as DDFS replicas <= workers, the project's quota for the workers
// added) before the record asks the reconciler for it. Nothing changes when it is refused.
import type { Caller } from '../auth/authenticator.js';
import type { FrameworkCatalog } from '../frameworks/catalog.js';
import { settleProperties } from '../frameworks/properties.js';
import type { AttributeValue } from '../occi/model.js';
import type { OpenStack } from '../openstack/index.js';
import { DomainError } from '../errors/domain-error.js';
import { quotaRefusal, quotaReport } from './quota.js';
import type { ClusterRecord } from '../clusters/record.js';
import { parseWorkers } from '../clusters/spec.js';


export async function checkScale(
  r: ClusterRecord, value: AttributeValue | undefined, o: { maxWorkers: number; catalog: FrameworkCatalog; cloud: OpenStack; caller: Caller },
): Promise<number> {
  const workers = parseWorkers(value, r.spec.workers, o.maxWorkers);
  if (r.state !== 'ready') throw new DomainError('CONFLICT', `cluster ${r.id} is ${r.state}: scaling needs it ready`);
  if (workers === r.spec.workers) return workers;
  const facts = r.spec.facts ?? {};
  // the settled properties stay (replicas chosen at create); their checks must hold for the new count
  settleProperties(r.spec.frameworks.map((f) => o.catalog.get(f.name)!), r.spec.components, { ...facts, workers, nodes: workers + 1 });
  const added = workers - r.spec.workers;
  if (added > 0) {
    const report = await quotaReport(o.cloud, o.caller.projectId, {
      instances: added, cores: added * (facts.worker_vcpus ?? 0), ramMb: added * (facts.worker_ram_mb ?? 0),
      floatingIps: 0, networks: 0, routers: 0, securityGroups: 0,
    });
    if (!report.fits) throw quotaRefusal(report);
  }
  return workers;
}
