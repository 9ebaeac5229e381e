// A record as the OCCI entity clients read: the ICCLab attributes old clients poll
// (stack_status, external_ip, ssh keys, mcn.service.state, runstate), our state, reason
// and times, and the request's own attributes. Never a password or a token; the secrets
// (private key, generated tokens, post_init) as the API decided: their values to the
// cluster's creator, else named with HIDDEN.
import type { AttributeValue, EntityView } from '../occi/model.js';
import type { FrameworkCatalog } from '../frameworks/catalog.js';
import { ACTIONS, DISCO_KIND, frameworkMixins, KIND_LOCATION } from './kind.js';
import type { ClusterRecord, NodeProgress } from '../clusters/record.js';
import { mcnServiceState } from '../clusters/states.js';
import { expiresAt } from '../clusters/expiry.js';
import { isRequestAttribute } from '../clusters/spec.js';
import { ATTR, parseComponentAttribute, uiAttribute } from './attribute-names.js';

export function clusterLocation(id: string): string {
  return `${KIND_LOCATION}${id}`;
}

/** Shown only to the owner (the API checked the project). */
export interface OwnerSecrets { privateKey: string; shown: [string, string][] }

/** What a caller who may read the cluster but not its secrets sees in their place. */
export const HIDDEN = '(hidden: shown only to the user who created the cluster)';

/** The same secrets, each named, none with its value. */
export function hidden(s: OwnerSecrets): OwnerSecrets {
  return { privateKey: HIDDEN, shown: s.shown.map(([k]) => [k, HIDDEN]) };
}

/** "4/4 servers up, 1/4 nodes installed; bootstrap 4/4, hadoop 2/4, spark 1/4" */
export function progressText(p: NodeProgress): string {
  const head = `${p.serversUp}/${p.nodes} servers up, ${p.installed}/${p.nodes} nodes installed`;
  const sections = Object.entries(p.sections ?? {}).map(([s, n]) => `${s} ${n}/${p.nodes}`);
  return sections.length ? `${head}; ${sections.join(', ')}` : head;
}

function isSecretProperty(name: string, catalog: FrameworkCatalog): boolean {
  const c = parseComponentAttribute(name);
  return c !== null && (catalog.get(c.framework)?.secret_properties.includes(c.property) ?? false);
}

/** The gateway port of the nodes' progress pages (bootstrap's manifest opens it). */
export const GATEWAY_PORT = 8443;
export const GATEWAY_USER = 'disco';

/** Where the gateway serves the progress pages and each UI of the cluster's frameworks, and its certificate. */
export function gatewayAttributes(r: ClusterRecord, catalog: FrameworkCatalog): [string, string][] {
  const ip = r.outputs.externalIp;
  if (!ip || !r.outputs.gatewayFingerprint) return [];
  const uis = r.spec.frameworks.flatMap((f) => catalog.get(f.name)?.ui ?? []);
  return [
    ['icclab.disco.gateway.fingerprint', r.outputs.gatewayFingerprint],
    ...(r.outputs.gatewayPin ? [['icclab.disco.gateway.pin', r.outputs.gatewayPin] as [string, string]] : []),
    ['icclab.disco.gateway.user', GATEWAY_USER],
    [uiAttribute('status'), `https://${ip}:${GATEWAY_PORT}/`],
    ...uis.map((u): [string, string] => [uiAttribute(u.name), `https://${ip}:${u.gateway_port}/`]),
  ];
}

export function clusterView(r: ClusterRecord, owner: OwnerSecrets | undefined, catalog: FrameworkCatalog): EntityView {
  const attrs: [string, AttributeValue][] = [['occi.core.id', r.id], ['occi.core.title', r.spec.name]];
  const add = (k: string, v: AttributeValue | null | undefined) => { if (v !== null && v !== undefined && v !== '') attrs.push([k, v]); };
  add('icclab.disco.state', r.state);
  add('icclab.disco.reason', r.reason);
  add('icclab.disco.message', r.message);
  if (r.progress) add('icclab.disco.progress', progressText(r.progress));
  add('icclab.disco.created_at', r.createdAt);
  add('icclab.disco.lifetime', r.lifetimeSeconds);
  add('icclab.disco.deadline', r.deadline);
  add('icclab.disco.expires_at', expiresAt(r, r.readyAt));
  add('icclab.disco.updated_at', r.updatedAt);
  if (!r.stackId) add('disco_status', 'nothing here right now');
  add('stack_status', r.stackStatus);
  add('stack_status_reason', r.stackStatusReason);
  add('stackid', r.stackId);
  add('mcn.service.state', mcnServiceState(r.state));
  add('runstate', r.state === 'suspended' ? 'suspended' : 'running');
  add('external_ip', r.outputs.externalIp);
  add('ssh_user', r.spec.sshUser);
  for (const [k, v] of gatewayAttributes(r, catalog)) add(k, v);
  add('ssh_key_name', r.outputs.sshKeyName);
  add('ssh_public_key', r.outputs.sshPublicKey);
  add('ssh_private_key', owner?.privateKey);
  for (const [k, v] of owner?.shown ?? []) add(k, v);
  // a record from before only declared attributes were accepted may hold others (or a secret
  // property in clear): what a request could not set today is not shown
  for (const [k, v] of Object.entries(r.attributes)) {
    if (!isRequestAttribute(k) || isSecretProperty(k, catalog) || attrs.some(([n]) => n === k)) continue;
    add(k, v);
  }
  // what the cluster was made with when the request left it to the defaults (a value the request gave is shown as given)
  const made: [string, AttributeValue][] = [[ATTR.workers, r.spec.workers], [ATTR.masterFlavor, r.spec.masterFlavor], [ATTR.workerFlavor, r.spec.workerFlavor],
    [ATTR.masterImage, r.spec.masterImage], [ATTR.workerImage, r.spec.workerImage], [ATTR.externalNetwork, r.spec.externalNetwork]];
  for (const [k, v] of made) if (!attrs.some(([n]) => n === k)) add(k, v);
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
