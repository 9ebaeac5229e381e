// A cluster as clients use it, read from the service's OCCI JSON resource: the attribute
// names stay here and in attribute-names.ts, so pages and commands never spell them.
import { ATTR, componentAttribute, parseComponentAttribute } from '../disco-kind/attribute-names.js';

export const FRAMEWORK_SCHEME = 'http://schemas.cloudcomplab.ch/occi/sm/framework#';
export const KIND_ID = 'http://schemas.cloudcomplab.ch/occi/sm#disco';
export const ACTION_SCHEME = 'http://schemas.cloudcomplab.ch/occi/sm/action#';

export type ClusterState = 'pending' | 'deploying' | 'installing' | 'ready' | 'updating' | 'suspended' | 'deleting' | 'failed';

export interface Cluster {
  id: string;
  /** The record's revision, as the change stream reports it (a GET does not). */
  revision?: number;
  title: string;
  state: ClusterState;
  reason?: string;
  message?: string;
  progress?: string;
  frameworks: string[];
  workers?: number;
  masterFlavor?: string;
  workerFlavor?: string;
  masterImage?: string;
  workerImage?: string;
  createdAt?: string;
  updatedAt?: string;
  expiresAt?: string;
  lifetime?: number;
  deadline?: string;
  externalIp?: string;
  sshUser?: string;
  /** Only for its creator (and admins); otherwise the service's "(hidden: ...)" text. */
  privateKey?: string;
  /** The framework web UIs (and `status`) through the cluster's gateway. */
  uis: { name: string; url: string }[];
  gatewayUser?: string;
  /** Each framework's properties as the service reports them. */
  properties: Record<string, Record<string, unknown>>;
  /** Actions the service offers now (scale, suspend, resume). */
  actions: string[];
  attributes: Record<string, unknown>;
}

export interface OcciResource { id: string; title?: string; mixins?: string[]; attributes?: Record<string, unknown>; actions?: string[] }

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

export function clusterOf(r: OcciResource): Cluster {
  const a = r.attributes ?? {};
  const properties: Cluster['properties'] = {};
  const uis: Cluster['uis'] = [];
  for (const [k, v] of Object.entries(a)) {
    const c = parseComponentAttribute(k);
    if (c) (properties[c.framework] ??= {})[c.property] = v;
    // only https links: a page makes them hrefs, and the gateway speaks nothing else
    if (k.startsWith('icclab.disco.ui.') && typeof v === 'string' && /^https:\/\//.test(v)) uis.push({ name: k.slice('icclab.disco.ui.'.length), url: v });
  }
  const c: Cluster = {
    id: r.id, title: str(a['occi.core.title']) ?? r.title ?? r.id, state: (str(a['icclab.disco.state']) ?? 'pending') as ClusterState,
    frameworks: (r.mixins ?? []).filter((m) => m.startsWith(FRAMEWORK_SCHEME)).map((m) => m.slice(FRAMEWORK_SCHEME.length)),
    uis, properties, actions: (r.actions ?? []).map((x) => x.slice(x.indexOf('#') + 1)), attributes: a,
  };
  const set = <K extends keyof Cluster>(k: K, v: Cluster[K] | undefined) => { if (v !== undefined) c[k] = v; };
  set('reason', str(a['icclab.disco.reason']));
  set('message', str(a['icclab.disco.message']));
  set('progress', str(a['icclab.disco.progress']));
  set('workers', num(a[ATTR.workers]));
  set('masterFlavor', str(a[ATTR.masterFlavor]));
  set('workerFlavor', str(a[ATTR.workerFlavor]));
  set('masterImage', str(a[ATTR.masterImage]));
  set('workerImage', str(a[ATTR.workerImage]));
  set('createdAt', str(a['icclab.disco.created_at']));
  set('updatedAt', str(a['icclab.disco.updated_at']));
  set('expiresAt', str(a['icclab.disco.expires_at']));
  set('lifetime', num(a[ATTR.lifetime]));
  set('deadline', str(a[ATTR.deadline]));
  set('externalIp', str(a.external_ip));
  set('sshUser', str(a.ssh_user));
  set('privateKey', str(a.ssh_private_key));
  set('gatewayUser', str(a['icclab.disco.gateway.user']));
  return c;
}

/** What a create asks for; anything left out takes the service's default. */
export interface CreateRequest {
  title?: string;
  workers?: number;
  masterFlavor?: string;
  workerFlavor?: string;
  masterImage?: string;
  workerImage?: string;
  externalNetwork?: string;
  /** Framework names (bootstrap is always applied). */
  frameworks: string[];
  /** Properties per framework: {hadoop: {replication: 2}}. */
  properties?: Record<string, Record<string, string | number | boolean>>;
  lifetime?: number;
  deadline?: string;
}

/** The OCCI JSON resource a create sends. */
export function createBody(req: CreateRequest, dryRun = false): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  const put = (k: string, v: unknown) => { if (v !== undefined && v !== '') attributes[k] = v; };
  put('occi.core.title', req.title);
  put(ATTR.workers, req.workers);
  put(ATTR.masterFlavor, req.masterFlavor);
  put(ATTR.workerFlavor, req.workerFlavor);
  put(ATTR.masterImage, req.masterImage);
  put(ATTR.workerImage, req.workerImage);
  put(ATTR.externalNetwork, req.externalNetwork);
  put(ATTR.lifetime, req.lifetime);
  put(ATTR.deadline, req.deadline);
  for (const [fw, props] of Object.entries(req.properties ?? {})) {
    for (const [p, v] of Object.entries(props)) put(componentAttribute(fw, p), v);
  }
  if (dryRun) attributes[ATTR.dryRun] = true;
  return { kind: KIND_ID, mixins: req.frameworks.map((f) => `${FRAMEWORK_SCHEME}${f}`), attributes };
}
