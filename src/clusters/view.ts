// A record as the OCCI entity clients read: the ICCLab attributes old clients poll
// (stack_status, external_ip, ssh keys, mcn.service.state, runstate), our state, reason
// and times, and the request's own attributes. Never a password or a token; the private
// key only because the caller owns the cluster (the API checked the project).
import type { AttributeValue, EntityView } from '../occi/model.js';
import type { FrameworkCatalog } from '../frameworks/catalog.js';
import { ACTIONS, DISCO_KIND, frameworkMixins, KIND_LOCATION } from './kind.js';
import type { ClusterRecord } from './record.js';
import { mcnServiceState } from './states.js';

export function clusterLocation(id: string): string {
  return `${KIND_LOCATION}${id}`;
}

export function clusterView(r: ClusterRecord, privateKey: string | undefined, catalog: FrameworkCatalog): EntityView {
  const attrs: [string, AttributeValue][] = [['occi.core.id', r.id], ['occi.core.title', r.spec.name]];
  const add = (k: string, v: AttributeValue | null | undefined) => { if (v !== null && v !== undefined && v !== '') attrs.push([k, v]); };
  add('icclab.disco.state', r.state);
  add('icclab.disco.reason', r.reason);
  add('icclab.disco.message', r.message);
  if (r.progress) add('icclab.disco.progress', `${r.progress.serversUp}/${r.progress.nodes} servers up, ${r.progress.installed}/${r.progress.nodes} nodes installed`);
  add('icclab.disco.created_at', r.createdAt);
  add('icclab.disco.updated_at', r.updatedAt);
  if (!r.stackId) add('disco_status', 'nothing here right now');
  add('stack_status', r.stackStatus);
  add('stack_status_reason', r.stackStatusReason);
  add('stackid', r.stackId);
  add('mcn.service.state', mcnServiceState(r.state));
  add('runstate', r.state === 'suspended' ? 'suspended' : 'running');
  add('external_ip', r.outputs.externalIp);
  add('ssh_key_name', r.outputs.sshKeyName);
  add('ssh_public_key', r.outputs.sshPublicKey);
  add('ssh_private_key', privateKey);
  for (const [k, v] of Object.entries(r.attributes)) if (!attrs.some(([n]) => n === k)) add(k, v);
  const wanted = new Set(r.spec.frameworks.map((f) => f.name));
  return {
    kind: DISCO_KIND,
    mixins: frameworkMixins(catalog).filter((m) => wanted.has(m.term)),
    id: r.id,
    location: clusterLocation(r.id),
    title: r.spec.name,
    attributes: attrs,
    actions: r.desired === 'absent' ? [] : ACTIONS,
  };
}
